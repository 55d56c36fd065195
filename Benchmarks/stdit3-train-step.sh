#!/usr/bin/env bash
# One training step (forward + backward) of the STDiT3 spatial+temporal block pair at the 240p/2 s
# shape: Swift (MLX) next to PyTorch CPU autograd, in the same run, alternating rounds so machine
# noise hits both alike. PyTorch goes into .venv-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-3}"; REPS="${REPS:-2}"
swift build -c release --product bench-stdit3-train-step >/dev/null
if ! .venv-bench/bin/python -c "import torch" 2>/dev/null; then
  python3 -m venv .venv-bench && .venv-bench/bin/pip install --quiet torch==2.15.0 numpy
fi
OUT="${OUT:-/tmp/stdit3-train-step.out}"
for i in $(seq "$ROUNDS"); do
  .build/release/bench-stdit3-train-step "$REPS"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv-bench/bin/python Benchmarks/stdit3_train_step_torch.py "$REPS"
done | tee "$OUT"
python3 - "$OUT" <<'PY'
import re, sys, statistics as st
rows = [l for l in open(sys.argv[1])]
def vals(prefix, key):
    return [float(re.search(key + r"=([0-9.]+)", l).group(1)) for l in rows if l.startswith(prefix + " ")]
sw, th = vals("swift", "step_s"), vals("torch", "step_s")
ratios = [a / b for a, b in zip(sw, th)]
fr = [a / b for a, b in zip(vals("swift", "forward_s"), vals("torch", "forward_s"))]
br = [a / b for a, b in zip(vals("swift", "backward_s"), vals("torch", "backward_s"))]
N, C, L, S, T = 6075, 1152, 300, 405, 15
lin, cross = 28 * N * C * C + 4 * L * C * C, 4 * N * L * C
flops = 3 * (2 * (lin + cross) + 4 * N * S * C + 4 * N * T * C)  # a step = 3x the pair's forward GEMM FLOPs
peak = st.median(vals("swift", "peak_gflops"))
print("step GFLOP %.1f; torch peak fraction %.2f" % (flops / 1e9, flops / st.median(th) / 1e9 / peak))
print("step: swift median %.2f s, torch median %.2f s, ratio %.2f [%.2f..%.2f]; forward ratio %.2f, backward ratio %.2f; "
      "swift peak fraction %.2f of %.0f GFLOP/s; max RSS swift %.0f MB, torch %.0f MB"
      % (st.median(sw), st.median(th), st.median(ratios), min(ratios), max(ratios), st.median(fr), st.median(br),
         st.median(vals("swift", "step_peak_fraction")), st.median(vals("swift", "peak_gflops")),
         max(vals("swift", "max_rss_mb")), max(vals("torch", "max_rss_mb"))))
PY
