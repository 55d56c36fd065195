#!/usr/bin/env bash
# One STDiT3 training step (forward + backward) with and without gradient checkpointing: peak MLX
# memory, process max RSS and time per step, each mode in its own process.
# Arguments go to the executable: [steps] [latentFrames] [depth] (defaults 2 15 4).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product bench-training-memory >/dev/null
for mode in plain checkpointed; do
  .build/release/bench-training-memory "$mode" "$@"
done
