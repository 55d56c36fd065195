"""PyTorch CPU (2 threads) for the shapes of Benchmarks/CPUKernels: prints "op torch_s" medians."""
import sys, time
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
g = torch.Generator().manual_seed(0)
n, c, h, d = 6075, 1152, 16, 72
wide = torch.randn(n, 4 * c, generator=g); x = torch.randn(1, n, c, generator=g)
shift = torch.randn(1, 1, c, generator=g) * 0.1; scale = torch.randn(1, 1, c, generator=g) * 0.1
scores = torch.randn(15, h, 405, 405, generator=g)
qs = torch.randn(15, h, 405, d, generator=g); qt = torch.randn(405, h, 15, d, generator=g)
qc = torch.randn(1, h, n, d, generator=g); kc = torch.randn(1, h, 40, d, generator=g)
vol = torch.randn(1, 128, 17, 64, 64, generator=g); w3 = torch.randn(128, 128, 3, 3, 3, generator=g) * 0.03
img = torch.randn(1, 512, 64, 64, generator=g); w2 = torch.randn(512, 512, 3, 3, generator=g) * 0.015
freqs = 1.0 / (10000 ** (torch.arange(0, d, 2).float() / d))
tokens = torch.randn(1, 15, 405, c, generator=g); packed = torch.randn(1, n, 3, h, d, generator=g)
def rope(x):
    """rotary-embedding-torch's interleaved rotation, positions along axis -2."""
    angles = torch.arange(x.shape[-2]).float()[:, None] * freqs[None, :]
    angles = angles.repeat_interleave(2, dim=-1)
    pairs = x.unflatten(-1, (-1, 2))
    rotated = torch.stack((-pairs[..., 1], pairs[..., 0]), dim=-1).flatten(-2)
    return x * angles.cos() + rotated * angles.sin()
frame = torch.randn(1, 128, 240, 424, generator=g); wd = torch.randn(128, 128, 3, 3, generator=g) * 0.03
dy3 = torch.randn(1, 128, 17, 64, 64, generator=g)
vol_padded = F.pad(vol, (1, 1, 1, 1, 2, 0))
def conv3d_backward():
    """dL/dx and dL/dw of the causal conv3d for a given dL/dy, without the forward."""
    return torch.ops.aten.convolution_backward(dy3, vol_padded, w3, None, [1, 1, 1], [0, 0, 0], [1, 1, 1], False, [0, 0, 0], 1,
                                               [True, True, False])
cases = [
    ("gelu_tanh[6075x4608]", lambda: F.gelu(wide, approximate="tanh")),
    ("silu[6075x4608]", lambda: F.silu(wide)),
    ("layernorm_modulate[6075x1152]", lambda: F.layer_norm(x, (c,), eps=1e-6) * (1 + scale) + shift),
    ("softmax[15x16x405x405]", lambda: scores.softmax(-1)),
    ("rope[405x16x15x72]", lambda: rope(qt)),
    ("transpose_temporal[15x405x1152]", lambda: tokens.permute(0, 2, 1, 3).contiguous().reshape(405, 15, c)),
    ("transpose_qkv_heads[6075x3x16x72]", lambda: packed.permute(2, 0, 3, 1, 4).contiguous()),
    ("attention_spatial[15x16x405x72]", lambda: F.scaled_dot_product_attention(qs, qs, qs)),
    ("attention_temporal[405x16x15x72]", lambda: F.scaled_dot_product_attention(qt, qt, qt)),
    ("attention_cross[6075x40]", lambda: F.scaled_dot_product_attention(qc, kc, kc)),
    ("conv3d_causal[128ch,17x64x64]", lambda: F.conv3d(F.pad(vol, (1, 1, 1, 1, 2, 0)), w3)),
    ("conv3d_causal_backward[128ch,17x64x64]", conv3d_backward),
    ("conv2d_stride2[128ch,240x424]", lambda: F.conv2d(F.pad(frame, (0, 1, 0, 1)), wd, stride=2)),
    ("conv2d[512ch,64x64]", lambda: F.conv2d(img, w2, padding=1)),
]
only = sys.argv[1] if len(sys.argv) > 1 else ""  # optional name filter
with torch.no_grad():
    for name, f in (c for c in cases if only in c[0]):
        f(); ts = []
        for _ in range(5):
            t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
        print("%s torch_s=%.4f" % (name, sorted(ts)[2]))
