#!/usr/bin/env bash
# STDiT3 spatial+temporal block pair at the 240p/2 s shape: Swift (MLX) next to PyTorch CPU, in the
# same run, alternating rounds so machine noise hits both alike. PyTorch goes into .venv-bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-3}"; REPS="${REPS:-3}"
swift build -c release --product bench-stdit3-block >/dev/null
if ! .venv-bench/bin/python -c "import torch" 2>/dev/null; then
  python3 -m venv .venv-bench && .venv-bench/bin/pip install --quiet torch==2.15.0 numpy
fi
for i in $(seq "$ROUNDS"); do
  .build/release/bench-stdit3-block "$REPS"
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv-bench/bin/python Benchmarks/stdit3_block_torch.py "$REPS"
done | tee /tmp/stdit3-block.out
python3 - /tmp/stdit3-block.out <<'PY'
import re, sys, statistics as st
rows = [l for l in open(sys.argv[1])]
def vals(prefix, key):
    return [float(re.search(key + r"=([0-9.]+)", l).group(1)) for l in rows if l.startswith(prefix)]
sw, th = vals("swift", "pair_s"), vals("torch", "pair_s")
ratios = [a / b for a, b in zip(sw, th)]
print("pair: swift median %.2f s, torch median %.2f s, ratio %.2f [%.2f..%.2f], swift peak fraction %.2f, peak %.0f GFLOP/s"
      % (st.median(sw), st.median(th), st.median(ratios), min(ratios), max(ratios),
         st.median(vals("swift", "pair_peak_fraction")), st.median(vals("swift", "peak_gflops"))))
PY
