#!/usr/bin/env bash
# Requests per second and p99 latency of `opensora serve` under load from a second process on loopback while a job
# samples, and whether serving stalls the worker (time per sampling step, quiet against loaded). Results go in
# docs/PERFORMANCE.md. Env: DURATION (20 s a phase), CONCURRENCY (8).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product opensora >/dev/null
data=$(mktemp -d); log="$data/serve.log"
.build/release/opensora serve --port 0 --data-dir "$data/state" --rate-limit 0 --queue-capacity 32 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 600); do grep -q "listening on" "$log" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log" | head -1)
python3 Benchmarks/serve_load.py "$port" "${DURATION:-20}" "${CONCURRENCY:-8}"
