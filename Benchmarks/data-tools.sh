#!/usr/bin/env bash
# Clips per second of `opensora data info`, `scene-detect` and `motion` next to the reference's tools on the same clips
# (Benchmarks/data_tools_reference.py: OpenCV decoding, PySceneDetect, OpenCV Farneback), both sides on WORKERS
# processes/threads, in ROUNDS alternating rounds; prints medians and spreads for docs/PERFORMANCE.md.
# Env: CLIPS (12), SECONDS_PER_CLIP (6), SIZE (640x360), WORKERS (the machine's cores), ROUNDS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product opensora >/dev/null
py=.venv-bench/bin/python
"$py" -c "import scenedetect, cv2, torch" || { echo "needs .venv-bench with scenedetect, opencv-python, torch (scripts/bootstrap.sh bench)"; exit 1; }
bin=$(mktemp -d)/opensora; cp .build/release/opensora "$bin"
work=$(mktemp -d); trap 'rm -rf "$work" "$(dirname "$bin")"' EXIT
clips=${CLIPS:-12}; secs=${SECONDS_PER_CLIP:-6}; size=${SIZE:-640x360}; workers=${WORKERS:-$(nproc)}; rounds=${ROUNDS:-3}
# Three shots a clip (cuts at a third and two thirds), each a moving test pattern, H.264 like downloaded footage.
for i in $(seq "$clips"); do
  third=$(awk "BEGIN{print $secs/3}")
  ffmpeg -v error -y -f lavfi -i "testsrc2=size=$size:rate=25:duration=$third" -f lavfi -i "mandelbrot=size=$size:rate=25" \
    -f lavfi -i "testsrc=size=$size:rate=25:duration=$third" \
    -filter_complex "[1]trim=duration=$third,setpts=PTS-STARTPTS,hue=h=$((i * 29))[m];[0][m][2]concat=n=3:v=1[v]" -map "[v]" \
    -c:v libx264 -preset veryfast -pix_fmt yuv420p "$work/clip$i.mp4"
done
ls "$work"/clip*.mp4 > "$work/list"
{ echo path; cat "$work/list"; } > "$work/meta.csv"
ours() { # tool -> seconds
  rm -f "$work"/out.csv*
  local start end; start=$(date +%s.%N)
  OPENBLAS_NUM_THREADS=1 "$bin" data "$1" "$work/meta.csv" --output "$work/out.csv" --workers "$workers" >/dev/null 2>&1
  end=$(date +%s.%N); awk "BEGIN{print $end - $start}"
}
theirs() { "$py" Benchmarks/data_tools_reference.py "$1" "$workers" $(cat "$work/list") | "$py" -c "import json,sys; print(json.load(sys.stdin)['seconds'])"; }
for tool in info scene-detect motion; do
  ours "$tool" >/dev/null  # warm the file cache and the binary
  o=(); t=()
  for r in $(seq "$rounds"); do o+=("$(ours "$tool")"); t+=("$(theirs "$tool")"); done
  "$py" - "$tool" "$clips" "${o[*]}" "${t[*]}" <<'PY'
import statistics, sys
tool, clips, o, t = sys.argv[1], int(sys.argv[2]), [float(x) for x in sys.argv[3].split()], [float(x) for x in sys.argv[4].split()]
mo, mt = statistics.median(o), statistics.median(t)
print(f"{tool:13s} ours {clips / mo:6.2f} clips/s (median {mo:.2f} s, {min(o):.2f}–{max(o):.2f})   "
      f"reference {clips / mt:6.2f} clips/s (median {mt:.2f} s, {min(t):.2f}–{max(t):.2f})   ours/reference time {mo / mt:.2f}")
PY
done
