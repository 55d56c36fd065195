#!/usr/bin/env bash
# Builds the parser fuzzer (libFuzzer, `swiftc -sanitize=fuzzer`) and runs every target.
#   scripts/fuzz.sh                      # 60 s per target
#   FUZZ_SECONDS=300 scripts/fuzz.sh zip # one target, longer
#   FUZZ_RUNS=2000 scripts/fuzz.sh       # a bounded number of executions per target (make test)
# The parsers use Foundation only, so they are compiled here from their sources, as small modules
# with the names they import (MLXTensor, NN, OpenSora): no MLX build, and `swift build` is untouched.
# New interesting inputs go to .build-fuzz/corpus/<target>, crashes to .build-fuzz/artifacts/.
# A crash fails the script; copy the input into a regression test, not into Fuzz/Corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${FUZZ_BUILD:-.build-fuzz}  # build folder (git-ignored)
SWIFTC=${SWIFTC:-swiftc}
TARGETS=(safetensors index spiece zip pickle torch config)
[ $# -gt 0 ] && TARGETS=("$@")

MLXTENSOR=(Sources/MLXTensor/DType.swift Sources/MLXTensor/TensorError.swift Sources/MLXTensor/SafetensorsHeader.swift)
NN=(Sources/NN/Checkpoint/CheckpointIndex.swift)
OPENSORA=(Sources/OpenSora/OpenSoraError.swift Sources/OpenSora/ModelConfig.swift
    Sources/OpenSora/Checkpoint/ZipArchive.swift Sources/OpenSora/Checkpoint/PickleMachine.swift
    Sources/OpenSora/Checkpoint/TorchCheckpoint.swift
    Sources/OpenSora/Models/T5/ProtobufReader.swift Sources/OpenSora/Models/T5/SentencePieceModel.swift
    Sources/OpenSora/Models/STDiT3/STDiT3Config.swift Sources/OpenSora/Models/T5/T5Config.swift
    Sources/OpenSora/Models/VAE/VideoVAEConfig.swift)

mkdir -p "$OUT/modules" "$OUT/cmlx" "$OUT/artifacts"
# DType.swift imports the shim's C header (for its C enum only); no MLX code is linked.
printf 'module CMLX {\n  header "%s/Sources/CMLX/include/cmlx.h"\n  export *\n}\n' "$ROOT" > "$OUT/cmlx/module.modulemap"
FLAGS=(-sanitize=fuzzer -parse-as-library -enable-testing -g -I "$OUT/modules" -I "$OUT/cmlx")

stamp() { cat "$@" | cksum | cut -d' ' -f1; }
module() {  # name, sources...: one static library + swiftmodule, rebuilt when a source changes
    local name=$1; shift
    local key; key=$(stamp "$@" scripts/fuzz.sh)
    [ -f "$OUT/$name.stamp" ] && [ "$(cat "$OUT/$name.stamp")" = "$key" ] && return
    echo "fuzz: compiling $name ($# files)"
    $SWIFTC "${FLAGS[@]}" -module-name "$name" -emit-module -emit-module-path "$OUT/modules/$name.swiftmodule" \
        -emit-library -static -o "$OUT/lib$name.a" "$@"
    echo "$key" > "$OUT/$name.stamp"
}

start=$(date +%s)
if [ ! -x "$OUT/fuzz-parsers" ]; then  # macOS's Xcode toolchain ships no libFuzzer; swift.org's Linux one does
    printf '@_cdecl("LLVMFuzzerTestOneInput") public func f(_ d: UnsafePointer<UInt8>?, _ n: Int) -> Int32 { 0 }\n' > "$OUT/probe.swift"
    if ! $SWIFTC -sanitize=fuzzer -parse-as-library "$OUT/probe.swift" -o "$OUT/probe" > "$OUT/probe.log" 2>&1; then
        echo "fuzz: $SWIFTC cannot build with -sanitize=fuzzer (no libFuzzer in this toolchain; see $OUT/probe.log)"
        [ -n "${FUZZ_OPTIONAL:-}" ] && { echo "fuzz: skipped"; exit 0; }
        exit 1
    fi
fi
module MLXTensor "${MLXTENSOR[@]}"
module NN "${NN[@]}"
module OpenSora "${OPENSORA[@]}"
key=$(stamp Fuzz/Harness/*.swift "$OUT"/*.stamp)
if [ ! -x "$OUT/fuzz-parsers" ] || [ "$(cat "$OUT/harness.stamp" 2>/dev/null)" != "$key" ]; then
    echo "fuzz: linking fuzz-parsers"
    $SWIFTC "${FLAGS[@]}" -module-name FuzzParsers Fuzz/Harness/*.swift \
        "$OUT/libOpenSora.a" "$OUT/libNN.a" "$OUT/libMLXTensor.a" -o "$OUT/fuzz-parsers"
    echo "$key" > "$OUT/harness.stamp"
fi
echo "fuzz: build $(( $(date +%s) - start )) s"

# libFuzzer handles the traps itself (and writes the crashing input); Swift's backtracer would not.
export SWIFT_BACKTRACE=enable=no
LIMIT=(-max_total_time="${FUZZ_SECONDS:-60}")
[ -n "${FUZZ_RUNS:-}" ] && LIMIT=(-runs="$FUZZ_RUNS")
status=0
for t in "${TARGETS[@]}"; do
    # Timed runs grow $OUT/corpus; a bounded run (make test) starts from the seeds alone, so its time
    # does not grow with the corpus. New inputs go to the first folder only, never into Fuzz/Corpus.
    corpus="$OUT/corpus/$t"
    [ -n "${FUZZ_RUNS:-}" ] && { corpus="$OUT/bounded-corpus/$t"; rm -rf "$corpus"; }
    mkdir -p "$corpus"
    t0=$(date +%s)
    if FUZZ_TARGET=$t "$OUT/fuzz-parsers" "$corpus" "Fuzz/Corpus/$t" "${LIMIT[@]}" -max_len="${FUZZ_MAX_LEN:-8192}" \
        -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$OUT/artifacts/$t-" -print_final_stats=1 > "$OUT/$t.log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$OUT/$t.log" | grep -o '[0-9]*$' || echo "?")
        echo "fuzz: $t ok, $runs executions in $(( $(date +%s) - t0 )) s"
    else
        status=1
        echo "fuzz: $t FAILED (log: $OUT/$t.log)"
        grep -E 'Fatal error|ERROR: libFuzzer|Test unit written|SUMMARY' "$OUT/$t.log" | head -5
    fi
done
exit $status
