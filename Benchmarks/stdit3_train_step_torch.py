"""One training step of the STDiT3 block pair in plain PyTorch (CPU, 2 threads, fp32, autograd): the
block of Benchmarks/stdit3_block_torch.py (spec/stdit3.md §5.8-5.11, the reference's op order), chained
temporal(spatial(x)), loss = sum(output * fixed random cotangent), gradients of every block parameter
and of the input; prints medians like the Swift benchmark (Benchmarks/STDiT3TrainStep)."""
import math, sys, time
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
reps = int(sys.argv[1]) if len(sys.argv) > 1 else 2
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

ps, pt = block_params(), block_params()
x, y, t = torch.randn(1, N, C, generator=g), torch.randn(1, L, C, generator=g), torch.randn(1, 6 * C, generator=g) * 0.1
cot = torch.randn(1, N, C, generator=g)
leaves = [x]
for p in (ps, pt):
    for k, v in p.items():
        for a in (v if isinstance(v, tuple) else (v,)):
            leaves.append(a)
for a in leaves:
    a.requires_grad_(True)

def forward():
    return block(pt, block(ps, x, y, t, False), y, t, True)

def step():
    for a in leaves:
        a.grad = None
    loss = (forward() * cot).sum()
    loss.backward()
    return loss

step()
with torch.no_grad():
    forward()
steps, fwd = [], []
for _ in range(reps):
    t0 = time.perf_counter(); step(); steps.append(time.perf_counter() - t0)
    with torch.no_grad():
        t0 = time.perf_counter(); forward(); fwd.append(time.perf_counter() - t0)
import resource
ms, mf = sorted(steps)[len(steps) // 2], sorted(fwd)[len(fwd) // 2]
print("torch %s step_s=%.3f forward_s=%.3f backward_s=%.3f grads=%d max_rss_mb=%.0f"
      % (torch.__version__, ms, mf, ms - mf, sum(a.grad is not None for a in leaves), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
