"""One training step of the STDiT3 block pair in plain PyTorch (CPU, 2 threads, fp32, autograd): the
block of Benchmarks/stdit3_block_torch.py (spec/stdit3.md §5.8-5.11, the reference's op order), chained
temporal(spatial(x)), loss = sum(output * fixed random cotangent), gradients of every block parameter
and of the input; prints medians like the Swift benchmark (Benchmarks/STDiT3TrainStep)."""
import sys, time
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
reps = int(sys.argv[1]) if len(sys.argv) > 1 else 2
from stdit3_block_torch import C, H, T, S, L, D, N, g, block, block_params

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
