#!/usr/bin/env bash
# Matmul throughput of the project's Tensor next to numpy's OpenBLAS, measured in the same run.
# Exits non-zero when the project reaches less than 0.8x numpy: that is how a lost OpenBLAS
# interposition (a fall back to the wheel's netlib BLAS, ~30x slower) is caught.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-2048}"
swift build -c release --product bench-matmul >/dev/null
python3 -c "import numpy" 2>/dev/null || python3 -m pip install --quiet numpy

numpy_gflops() {
  # OPENBLAS_CORETYPE/L2_SIZE, where this machine sets them, slow a current numpy: unset for this run only.
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python3 - "$N" <<'PY'
import sys, time, numpy as np
n = int(sys.argv[1]); rng = np.random.default_rng(0)
a = rng.standard_normal((n, n), dtype=np.float32); b = rng.standard_normal((n, n), dtype=np.float32)
a @ b
ts = []
for _ in range(7):
    t = time.perf_counter(); a @ b; ts.append(time.perf_counter() - t)
m = sorted(ts)[len(ts) // 2]
print("%.1f" % (2 * n ** 3 / m / 1e9))
PY
}
tensor_gflops() { .build/release/bench-matmul "$N" | sed -E 's/.*gflops=([0-9.]+).*/\1/'; }

# Alternate the two so machine noise hits both alike; report medians of 3 rounds each.
t=(); p=()
for _ in 1 2 3; do t+=("$(tensor_gflops)"); p+=("$(numpy_gflops)"); done
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
T=$(median "${t[@]}"); P=$(median "${p[@]}")
ratio=$(python3 -c "print(f'{$T/$P:.2f}')")
echo "matmul n=$N fp32: tensor ${T} GFLOP/s, numpy ${P} GFLOP/s, ratio ${ratio} (rounds: tensor ${t[*]}; numpy ${p[*]})"
python3 -c "import sys; sys.exit(0 if $T >= 0.8 * $P else 1)" || { echo "FAIL: below 0.8x numpy's OpenBLAS" >&2; exit 1; }
