#!/usr/bin/env bash
# Full-size VAE decode of 51 frames at 240p: Swift (MLX) and PyTorch in separate processes, same run.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product bench-vae-decode >/dev/null
if ! .venv-bench/bin/python -c "import torch, diffusers" 2>/dev/null; then
  python3 -m venv .venv-bench && .venv-bench/bin/pip install --quiet torch==2.15.0 diffusers==0.30.0 numpy
fi
.build/release/bench-vae-decode
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .venv-bench/bin/python Benchmarks/vae_decode_torch.py
