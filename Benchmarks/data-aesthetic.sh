#!/usr/bin/env bash
# Clips per second of `opensora data aesthetic` next to the reference's scorer (transformers CLIPModel + the MLP, fp32
# CPU, Benchmarks/data_aesthetic_reference.py) on the same clips and the same random ViT-L/14 weights, in ROUNDS
# alternating rounds; prints medians and spreads for docs/PERFORMANCE.md. Ours is timed as a whole process (the weights
# are memory-mapped and read on first use, so loading is inside its time; the reference's load is outside its).
# Env: CLIPS (4), THREADS (the machine's cores), BATCH (64 frames a forward), ROUNDS (3), WEIGHTS (a folder to reuse).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product opensora >/dev/null
py=.venv-bench/bin/python
"$py" -c "import transformers, cv2, torch, PIL" || { echo "needs .venv-bench with torch, transformers, opencv-python, pillow"; exit 1; }
bin=$(mktemp -d)/opensora; cp .build/release/opensora "$bin"
work=$(mktemp -d); trap 'rm -rf "$work" "$(dirname "$bin")"' EXIT
weights=${WEIGHTS:-$work/clip}; clips=${CLIPS:-4}; threads=${THREADS:-$(nproc)}; batch=${BATCH:-64}; rounds=${ROUNDS:-3}
[ -f "$weights/model.safetensors" ] || "$py" Benchmarks/data_aesthetic_reference.py make "$weights"
for i in $(seq "$clips"); do
  ffmpeg -v error -y -f lavfi -i "testsrc2=size=640x360:rate=25:duration=4" -vf "hue=h=$((i * 37))" -c:v libx264 -preset veryfast \
    -pix_fmt yuv420p "$work/clip$i.mp4"
done
ls "$work"/clip*.mp4 > "$work/list"; { echo path; cat "$work/list"; } > "$work/meta.csv"
ours() {
  rm -f "$work"/out.csv*
  local start end; start=$(date +%s.%N)
  OPENBLAS_NUM_THREADS=$threads "$bin" data aesthetic "$work/meta.csv" --clip-path "$weights" --aesthetic-path "$weights/aesthetic.pth" \
    --output "$work/out.csv" --workers "$threads" --batch-size "$batch" >/dev/null 2>&1
  end=$(date +%s.%N); awk "BEGIN{print $end - $start}"
}
theirs() { "$py" Benchmarks/data_aesthetic_reference.py time "$weights" "$threads" "$batch" $(cat "$work/list") | "$py" -c "import json,sys; print(json.load(sys.stdin)['seconds'])"; }
ours >/dev/null
o=(); t=()
for r in $(seq "$rounds"); do o+=("$(ours)"); t+=("$(theirs)"); done
"$py" - "$clips" "${o[*]}" "${t[*]}" <<'PY'
import statistics, sys
clips, o, t = int(sys.argv[1]), [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()]
mo, mt = statistics.median(o), statistics.median(t)
print(f"aesthetic     ours {clips / mo:6.3f} clips/s (median {mo:.2f} s, {min(o):.2f}–{max(o):.2f})   "
      f"reference {clips / mt:6.3f} clips/s (median {mt:.2f} s, {min(t):.2f}–{max(t):.2f})   ours/reference time {mo / mt:.2f}")
PY
