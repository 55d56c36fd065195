"""The same STDiT3 block pair in plain PyTorch (CPU, 2 threads, no_grad, fp32), written from
spec/stdit3.md §5.8-5.11 with the reference's op order; prints medians like the Swift benchmark.
The training-step benchmark (stdit3_train_step_torch.py) imports the block from here."""
import math, sys, time
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
C, H, T, S, L = 1152, 16, 15, 405, 300
D, N = C // H, T * S
g = torch.Generator().manual_seed(0)

def lin(i, o):
    return (torch.randn(o, i, generator=g) / math.sqrt(i), torch.randn(o, generator=g) * 0.02)

def block_params():
    return dict(sst=torch.randn(6, C, generator=g) / math.sqrt(C), qkv=lin(C, 3 * C), proj=lin(C, C),
                qn=torch.ones(D), kn=torch.ones(D), q=lin(C, C), kv=lin(C, 2 * C), cproj=lin(C, C),
                fc1=lin(C, 4 * C), fc2=lin(4 * C, C))

def rms(x, w):
    return w * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6))

freqs = 1.0 / (10000 ** (torch.arange(0, D, 2).float() / D))
ang = torch.arange(T).float()[:, None] * freqs[None]
cos, sin = ang.cos().repeat_interleave(2, -1), ang.sin().repeat_interleave(2, -1)

def rope(x):
    x1, x2 = x[..., 0::2], x[..., 1::2]
    rot = torch.stack((-x2, x1), dim=-1).flatten(-2)
    return x * cos + rot * sin

def attention(p, x, use_rope):
    B_, L_, _ = x.shape
    qkv = F.linear(x, *p["qkv"]).view(B_, L_, 3, H, D).permute(2, 0, 3, 1, 4)
    q, k, v = qkv.unbind(0)
    q, k = rms(q, p["qn"]), rms(k, p["kn"])
    if use_rope:
        q, k = rope(q), rope(k)
    o = F.scaled_dot_product_attention(q, k, v)
    return F.linear(o.transpose(1, 2).reshape(B_, L_, C), *p["proj"])

def block(p, x, y, t, temporal):
    shift, scale, gate, shift2, scale2, gate2 = (p["sst"][None] + t.reshape(1, 6, -1)).chunk(6, dim=1)
    h = F.layer_norm(x, (C,), eps=1e-6) * (1 + scale) + shift
    if temporal:
        h = h.view(1, T, S, C).transpose(1, 2).reshape(S, T, C)
        h = attention(p, h, True).view(1, S, T, C).transpose(1, 2).reshape(1, N, C)
    else:
        h = attention(p, h.view(T, S, C), False).reshape(1, N, C)
    x = x + gate * h
    q = F.linear(x, *p["q"]).view(1, N, H, D).transpose(1, 2)
    k, v = F.linear(y, *p["kv"]).view(1, L, 2, H, D).permute(2, 0, 3, 1, 4).unbind(0)
    x = x + F.linear(F.scaled_dot_product_attention(q, k, v).transpose(1, 2).reshape(1, N, C), *p["cproj"])
    h = F.layer_norm(x, (C,), eps=1e-6) * (1 + scale2) + shift2
    h = F.linear(F.gelu(F.linear(h, *p["fc1"]), approximate="tanh"), *p["fc2"])
    return x + gate2 * h

if __name__ == "__main__":
    ps, pt = block_params(), block_params()
    x, y, t = torch.randn(1, N, C, generator=g), torch.randn(1, L, C, generator=g), torch.randn(1, 6 * C, generator=g) * 0.1
    with torch.no_grad():
        block(ps, x, y, t, False); block(pt, x, y, t, True)
        sp, tp = [], []
        for _ in range(reps):
            t0 = time.perf_counter(); block(ps, x, y, t, False); sp.append(time.perf_counter() - t0)
            t0 = time.perf_counter(); block(pt, x, y, t, True); tp.append(time.perf_counter() - t0)
    ms, mt = sorted(sp)[len(sp) // 2], sorted(tp)[len(tp) // 2]
    print("torch %s spatial_s=%.3f temporal_s=%.3f pair_s=%.3f" % (torch.__version__, ms, mt, ms + mt))
