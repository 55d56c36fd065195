#!/usr/bin/env bash
# Each CPU kernel (and the three attention shapes) with kernels on / off, next to PyTorch, same run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product bench-cpu-kernels >/dev/null
.venv-bench/bin/python -c "import torch" 2>/dev/null || { python3 -m venv .venv-bench && .venv-bench/bin/pip install --quiet torch==2.15.0; }
.build/release/bench-cpu-kernels > /tmp/kernels-swift.out
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv-bench/bin/python Benchmarks/cpu_kernels_torch.py > /tmp/kernels-torch.out
python3 - <<'PY'
import re
sw = {l.split()[0]: l for l in open("/tmp/kernels-swift.out")}
th = {l.split()[0]: float(re.search(r"torch_s=([0-9.]+)", l).group(1)) for l in open("/tmp/kernels-torch.out")}
print("| op | kernel s | MLX composed s | PyTorch s | kernel/PyTorch | composed/PyTorch |")
print("| --- | --- | --- | --- | --- | --- |")
for name, line in sw.items():
    k = float(re.search(r"kernel_s=([0-9.]+)", line).group(1)); c = float(re.search(r"composed_s=([0-9.]+)", line).group(1))
    print(f"| {name} | {k:.4f} | {c:.4f} | {th[name]:.4f} | {k / th[name]:.2f} | {c / th[name]:.2f} |")
PY
