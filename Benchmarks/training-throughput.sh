#!/usr/bin/env bash
# Samples per second of `opensora train` on the `tiny` preset, from raw video and from the extracted feature cache,
# next to PyTorch running the official Open-Sora 1.2 step on the same model sizes (Benchmarks/training_step_torch.py),
# with the peak RSS of every process (/usr/bin/time -v). Rounds alternate Swift and PyTorch so machine noise hits
# both alike. PyTorch goes into .venv-bench/; the reference's extra packages (tiny T5 via transformers, its tokenizer,
# rotary-embedding-torch 0.5.3) into .venv-bench-ref/ (pip --target, imported only by the torch script).
#
#   bash Benchmarks/training-throughput.sh            # ROUNDS=2 STEPS=20 WARMUP=3 CLIPS=8 FRAMES=24
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-2}"; STEPS="${STEPS:-20}"; WARMUP="${WARMUP:-3}"; CLIPS="${CLIPS:-8}"; FRAMES="${FRAMES:-24}"
WORK="${WORK:-$(mktemp -d /tmp/training-throughput.XXXXXX)}"
mkdir -p "$WORK"
PY=.venv-bench/bin/python
BIN=.build/release/opensora

swift build -c release --product opensora >/dev/null
if ! $PY -c "import torch, numpy, einops, safetensors, diffusers" 2>/dev/null; then
  python3 -m venv .venv-bench && .venv-bench/bin/pip install --quiet torch==2.15.0 numpy einops safetensors diffusers==0.30.0
fi
if ! PYTHONPATH=.venv-bench-ref $PY -c "import transformers, sentencepiece, rotary_embedding_torch, beartype" 2>/dev/null; then
  $PY -m pip install --quiet --no-deps --target .venv-bench-ref transformers==5.23.0 tokenizers sentencepiece \
    rotary-embedding-torch==0.5.3 beartype
fi
if [ ! -d /work/.mirror/hpcaitech+Open-Sora/repo ]; then
  echo "the Open-Sora mirror (/work/.mirror/hpcaitech+Open-Sora/repo) is needed for the PyTorch side" >&2; exit 1
fi

# == data: moving squares, 256x144, lossless FFV1 .mkv, and the CSV ==
$PY - "$WORK/data" "$CLIPS" "$FRAMES" <<'PY'
import os, subprocess, sys
import numpy as np
out, clips, frames = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(out, exist_ok=True)
rows = ["path,text,num_frames,height,width"]
colors = ["red", "green", "blue", "yellow", "white", "cyan", "magenta", "orange"]
for i in range(clips):
    video = np.full((frames, 144, 256, 3), 16, dtype=np.uint8)
    rgb = np.array([220, (40 + 50 * i) % 256, 60 + 20 * (i % 3)], dtype=np.uint8)
    for f in range(frames):
        left = (8 * f + 40 * i) % 200
        video[f, 40:88, left:left + 48] = rgb
    name = f"v{i}.mkv"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "256x144", "-r", "24",
                    "-i", "-", "-c:v", "ffv1", "-pix_fmt", "bgr0", os.path.join(out, name)],
                   input=video.tobytes(), check=True)
    rows.append(f"{name},a {colors[i % len(colors)]} square moving right number {i},{frames},144,256")
open(os.path.join(out, "data.csv"), "w").write("\n".join(rows) + "\n")
PY
CSV="$WORK/data/data.csv"
TOTAL=$((WARMUP + STEPS))
COMMON=(--set "max_steps=$TOTAL" --set ckpt_every=0 --set log_every=1 --outputs "$WORK/outputs")
# The feature cache: epoch 0's batches of the same run config (VAE latents + T5 features).
$BIN train extract tiny --data-path "$CSV" --out "$WORK/features" >/dev/null 2>"$WORK/extract.err"
FEATURES=(--set dataset.type=BatchFeatureDataset --set load_video_features=true --set load_text_features=true
          --set text_encoder_output_dim=32 --set text_encoder_model_max_length=16)

peak() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
swift_sps() {  # steady state from log.jsonl: samples of steps WARMUP+1..TOTAL over their elapsed time
  $PY - "$1" "$WARMUP" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
w = int(sys.argv[2])
base = rows[w - 1]
n = len(rows) - w
# samples_per_s is cumulative (samples since the loop started / elapsed); recover each step's samples from it.
samples = [round(r["samples_per_s"] * r["elapsed_s"]) for r in rows]
# Step times of the measured steps, split into each epoch's first step and the others (the data loader restarts
# per epoch: its first batch is decoded while the step waits).
dt = [(r["epoch"], rows[i - 1]["epoch"] != r["epoch"], r["elapsed_s"] - rows[i - 1]["elapsed_s"]) for i, r in enumerate(rows) if i >= w]
first = [d for _, f, d in dt if f] or [0.0]
rest = [d for _, f, d in dt if not f] or [0.0]
print("%.3f %.4f %.4f %.4f" % ((samples[-1] - samples[w - 1]) / (rows[-1]["elapsed_s"] - base["elapsed_s"]),
                               (rows[-1]["elapsed_s"] - base["elapsed_s"]) / n, sum(first) / len(first), sum(rest) / len(rest)))
PY
}

: >"$WORK/results.txt"
# What the interpreter and libraries alone hold (torch 2.15's wheel here is the CUDA build; nothing runs on a GPU).
/usr/bin/time -v $PY -c "import torch, numpy, diffusers.models, safetensors" 2>"$WORK/torch-import.time"
echo "torch import-only peak_rss_mb=$(( $(peak "$WORK/torch-import.time") / 1024 ))" | tee -a "$WORK/results.txt"
for r in $(seq "$ROUNDS"); do
  # video-seq: the same video run with num_workers 0 (decode on the training thread, one part after the other as in
  # the PyTorch script); Swift only.
  for mode in features video video-seq; do
    exp="$WORK/exp-$mode-$r"
    case "$mode" in
      features) extra=("${FEATURES[@]}" --data-path "$WORK/features") ;;
      video) extra=(--data-path "$CSV") ;;
      video-seq) extra=(--data-path "$CSV" --set num_workers=0) ;;
    esac
    /usr/bin/time -v $BIN train tiny "${COMMON[@]}" "${extra[@]}" --experiment "$exp" >/dev/null 2>"$exp.time" \
      || { cat "$exp.time" >&2; exit 1; }
    read -r sps steps first rest <<<"$(swift_sps "$exp/log.jsonl")"
    echo "swift mode=$mode round=$r samples_per_s=$sps step_s=$steps epoch_first_step_s=$first other_step_s=$rest" \
         "peak_rss_mb=$(( $(peak "$exp.time") / 1024 ))" | tee -a "$WORK/results.txt"
    [ "$mode" = video-seq ] && continue
    data="$CSV"; [ "$mode" = features ] && data="$WORK/features"
    # PyTorch twice: its default OpenMP wait policy (threads spin at every barrier), and OMP_WAIT_POLICY=PASSIVE,
    # which on this oversubscribed shared VM is 3-4x faster for these small ops (a spinning thread holds a core
    # that the other thread, descheduled, needs).
    for wait in active passive; do
      policy=(); [ "$wait" = passive ] && policy=(OMP_WAIT_POLICY=PASSIVE)
      out="$WORK/torch-$mode-$wait-$r"
      /usr/bin/time -v env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "${policy[@]}" $PY Benchmarks/training_step_torch.py \
        "$mode" "$data" --steps "$STEPS" --warmup "$WARMUP" >"$out.out" 2>"$out.time" || { cat "$out.time" >&2; exit 1; }
      echo "$(grep '^torch' "$out.out") wait=$wait round=$r time_peak_rss_mb=$(( $(peak "$out.time") / 1024 ))" \
        | tee -a "$WORK/results.txt"
    done
  done
done

$PY - "$WORK/results.txt" <<'PY'
import re, sys, statistics as st
rows = [l for l in open(sys.argv[1])]
def vals(side, mode, key, extra=""):
    return [float(re.search(key + r"=([0-9.]+)", l).group(1)) for l in rows
            if l.startswith(side) and f"mode={mode} " in l and extra in l]
def ratio(a, b):
    r = [x / y for x, y in zip(a, b)]
    return "%.2f [%.2f..%.2f]" % (st.median(r), min(r), max(r))
print("samples/s, medians over rounds; ratio = Swift samples/s / PyTorch samples/s (> 1: Swift faster) [min..max of rounds]")
print("| path | Swift | PyTorch (OpenMP default) | ratio | PyTorch (OMP_WAIT_POLICY=PASSIVE) | ratio | Swift peak RSS | PyTorch peak RSS |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for mode, swift_mode in [("features", "features"), ("video", "video"), ("video", "video-seq")]:
    sw = vals("swift", swift_mode, "samples_per_s")
    ta, tp = vals("torch", mode, "samples_per_s", "wait=active"), vals("torch", mode, "samples_per_s", "wait=passive")
    print("| %s | %.2f | %.2f | %s | %.2f | %s | %.0f MB | %.0f MB |" % (
        swift_mode, st.median(sw), st.median(ta), ratio(sw, ta), st.median(tp), ratio(sw, tp),
        max(vals("swift", swift_mode, "peak_rss_mb")), max(vals("torch", mode, "time_peak_rss_mb"))))
for mode in ["features", "video", "video-seq"]:
    print("swift", mode, "per round:", vals("swift", mode, "samples_per_s"), "epoch-first / other step s:",
          vals("swift", mode, "epoch_first_step_s"), vals("swift", mode, "other_step_s"))
for mode in ["features", "video"]:
    for wait in ["active", "passive"]:
        print("torch", mode, wait, "per round:", vals("torch", mode, "samples_per_s", "wait=" + wait),
              "decode/encode/t5/train s:", [st.median(vals("torch", mode, k, "wait=" + wait)) for k in
                                             ["decode_s", "encode_s", "t5_s", "train_s"]])
PY
echo "work folder: $WORK"
