#!/usr/bin/env bash
# Ulysses SP=2 against SP=1 for one STDiT3-XL/2 forward at a 240p shape on this machine (both processes share
# its cores: little gain is expected), with the time the exchanges take alone and the bytes a rank sends.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product bench-sequence-parallel >/dev/null
swift build -c release --product opensora >/dev/null
.build/release/bench-sequence-parallel | tee /tmp/sp1.out
.build/release/opensora launch -n 2 --peer-timeout 3600 -- "$PWD/.build/release/bench-sequence-parallel" | tee /tmp/sp2.out
python3 - /tmp/sp1.out /tmp/sp2.out <<'PY'
import re, sys
def row(path):
    line = [l for l in open(path) if l.startswith("sp=")][-1]
    return {k: float(v) for k, v in re.findall(r"(\w+)=([0-9.]+)", line)}
one, two = row(sys.argv[1]), row(sys.argv[2])
print("SP=2/SP=1 forward time %.2f (%.1f s vs %.1f s); exchanges alone %.1f s = %.0f %% of the SP=2 forward; "
      "%.2f GB sent per rank per forward" % (two["forward_s"] / one["forward_s"], two["forward_s"], one["forward_s"],
      two["exchanges_alone_s"], 100 * two["exchanges_alone_s"] / two["forward_s"], two["bytes_sent_per_forward"] / 1e9))
PY
