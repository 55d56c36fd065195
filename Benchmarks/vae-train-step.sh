#!/usr/bin/env bash
# One VAE training step (stage 3, no perceptual term) of the full-size OpenSoraVAE_V1_2: Swift (MLX) and
# PyTorch in separate processes of the same run, one after the other, each under /usr/bin/time -v.
# `SHAPE="frames height width"` (default 17 256 256); ROUNDS alternating rounds (default 1).
set -euo pipefail
cd "$(dirname "$0")/.."
SHAPE="${SHAPE:-17 256 256}"; ROUNDS="${ROUNDS:-1}"
swift build -c release --product bench-vae-train-step >/dev/null
if ! .venv-bench/bin/python -c "import torch, diffusers" 2>/dev/null; then
  python3 -m venv .venv-bench && .venv-bench/bin/pip install --quiet torch==2.15.0 diffusers==0.30.0 numpy
fi
for i in $(seq "$ROUNDS"); do
  /usr/bin/time -f "swift max_rss_kb=%M wall=%e" .build/release/bench-vae-train-step $SHAPE
  /usr/bin/time -f "torch max_rss_kb=%M wall=%e" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    .venv-bench/bin/python Benchmarks/vae_train_step_torch.py $SHAPE
done 2>&1
