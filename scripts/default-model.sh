#!/usr/bin/env bash
# `make default-model`: the embedded default model end to end (docs/default-model.md) — the synthetic data, the tiny T5,
# the VAE (train-vae, three stages), its latent statistics, the cached features, STDiT3 (train), the exported model
# folders and the shapes evaluation. Every stage is resumable: rerunning continues a stopped training from its newest checkpoint and skips
# what is already done. Sizes and budgets can be lowered through the environment (the recipe's test does).
set -euo pipefail

BIN=${BIN:-.build/release/opensora}
RECIPE=${RECIPE:-recipes/default-model}
DATA=${DATA:-data/default-model}
OUT=${OUT:-outputs/default-model}
MODEL=${MODEL:-Sources/OpenSora/Resources/default-model}
TRAIN_CLIPS=${TRAIN_CLIPS:-2160}
HELD_OUT_CLIPS=${HELD_OUT_CLIPS:-120}
T5_SEED=${T5_SEED:-3}
VAE_STEPS=${VAE_STEPS:-}
STDIT_STEPS=${STDIT_STEPS:-}
# Extra `--set key=value` overrides, separated by ';' (values may hold spaces: YAML flow maps need them).
VAE_SET=${VAE_SET:-}
STDIT_SET=${STDIT_SET:-}
EXTRACT_SET=${EXTRACT_SET:-}
EVAL_ARGS=${EVAL_ARGS:-}
EVAL_ARGS_GENERATE=${EVAL_ARGS_GENERATE:-}
STRIP=${STRIP:-docs/default-model-strip.png}

say() { printf '\n== %s\n' "$*"; }
sets() { local items; IFS=';' read -ra items <<< "$1"; for s in "${items[@]}"; do printf -- '--set\n%s\n' "$s"; done; }
resume_flag() { if [ -n "$(ls -d "$1"/epoch*-global_step* 2>/dev/null | head -1)" ]; then printf -- '--resume\n%s\n' "$1"; fi; }
newest() { ls -d "$1"/epoch*-global_step* 2>/dev/null | sed 's/.*global_step//' | sort -n | tail -1; }

say "data: $TRAIN_CLIPS training clips, $HELD_OUT_CLIPS held-out clips"
# 18 frames: the bucket sampler takes a length strictly shorter than a clip (spec/training.md §4), so 17-frame training
# samples need 18-frame clips.
"$BIN" data synth-shapes --out "$DATA/train" --count "$TRAIN_CLIPS" --seed 1 --split training --num-frames 18 >/dev/null
"$BIN" data synth-shapes --out "$DATA/held-out" --count "$HELD_OUT_CLIPS" --seed 2 --split held-out --num-frames 18 >/dev/null

say "text encoder: tiny T5, random frozen weights from seed $T5_SEED"
"$BIN" train export tiny-t5 --seed "$T5_SEED" --out "$MODEL/t5" >/dev/null

# The VAE in the reference's stage order, with a stage 0 first: there is no pretrained 2-D VAE at this width.
steps_flag() { [ -n "$VAE_STEPS" ] && printf -- '--set\nmax_steps=%s\n' "$VAE_STEPS"; }
# OpenBLAS on one thread in every run (two run side by side later): at these widths its own threads spend the time in
# the scheduler (a stage-0 step 0.44 s → 0.38 s, system time 30 s → 9 s per 60 steps, on this 2-core machine).
export OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1}
say "VAE stage 0 (the 2-D VAE alone): train-vae $RECIPE/vae_2d.yaml"
mapfile -t s0_args < <(sets "$VAE_SET"; resume_flag "$OUT/vae-2d"; steps_flag)
"$BIN" train-vae "$RECIPE/vae_2d.yaml" --data-path "$DATA/train/shapes.csv" --experiment "$OUT/vae-2d" "${s0_args[@]}"

say "VAE stage 1 (the temporal VAE on the frozen 2-D VAE): train-vae $RECIPE/vae_temporal.yaml"
mapfile -t s1_args < <(sets "$VAE_SET"; resume_flag "$OUT/vae-temporal"; steps_flag)
"$BIN" train-vae "$RECIPE/vae_temporal.yaml" --data-path "$DATA/train/shapes.csv" --ckpt-path "$OUT/vae-2d" --experiment "$OUT/vae-temporal" \
    "${s1_args[@]}"

# Stage 1 alone leaves latent frames whose statistics drift with their position; STDiT3 has no absolute time position.
say "VAE stage 1b (keyframe identity: each latent frame held to the 2-D latent it ends on): train-vae $RECIPE/vae_keyframes.yaml"
mapfile -t s1b_args < <(sets "$VAE_SET"; resume_flag "$OUT/vae-keyframes"; steps_flag)
"$BIN" train-vae "$RECIPE/vae_keyframes.yaml" --data-path "$DATA/train/shapes.csv" --ckpt-path "$OUT/vae-temporal" \
    --experiment "$OUT/vae-keyframes" "${s1b_args[@]}"
vae_step="keyframes-$(newest "$OUT/vae-keyframes")"

# The cached features belong to one VAE: exported (latent shift/scale measured on the training clips) and
# re-extracted only when the VAE changed.
if [ "$(cat "$OUT/features/vae-step" 2>/dev/null || true)" != "$vae_step" ]; then
    say "VAE export (latent shift/scale measured on the training clips)"
    "$BIN" train export vae "$OUT/vae-keyframes" --data "$DATA/train/shapes.csv" --out "$OUT/vae-keyframes-export"
    say "features: VAE latents and T5 features of the training clips"
    rm -rf "$OUT/features"
    mapfile -t extract_args < <(sets "$EXTRACT_SET")
    "$BIN" train extract "$RECIPE/extract.yaml" --data-path "$DATA/train/shapes.csv" --set "vae.from_pretrained=$OUT/vae-keyframes-export" \
        --set "text_encoder.from_pretrained=$MODEL/t5" --out "$OUT/features" "${extract_args[@]}" >/dev/null
    echo "$vae_step" > "$OUT/features/vae-step"
    rm -rf "$OUT/stdit" "$OUT/vae-decoder"  # trained on, or for, other latents: they do not continue
fi

# The decoders' fine-tuning on pixels (stage 2, encoders frozen: the cached latents stay valid) and STDiT3 run side by
# side: each keeps about one core busy.
say "VAE stage 2 (both decoders on pixels, encoders frozen) beside STDiT3: train-vae $RECIPE/vae_decoder.yaml, train $RECIPE/stdit.yaml"
mapfile -t decoder_args < <(sets "$VAE_SET"; resume_flag "$OUT/vae-decoder"; steps_flag)
"$BIN" train-vae "$RECIPE/vae_decoder.yaml" --data-path "$DATA/train/shapes.csv" --ckpt-path "$OUT/vae-keyframes" --experiment "$OUT/vae-decoder" \
    "${decoder_args[@]}" > "$OUT/vae-decoder.log" 2>&1 &
decoder=$!
mapfile -t stdit_args < <(sets "$STDIT_SET"; resume_flag "$OUT/stdit"; [ -n "$STDIT_STEPS" ] && printf -- '--set\nmax_steps=%s\n' "$STDIT_STEPS")
"$BIN" train "$RECIPE/stdit.yaml" --data-path "$OUT/features" --experiment "$OUT/stdit" "${stdit_args[@]}"
if ! wait "$decoder"; then tail -5 "$OUT/vae-decoder.log" >&2; echo "VAE stage 2 failed (log: $OUT/vae-decoder.log)" >&2; exit 1; fi

say "VAE export: stage 2's decoders with stage 1b's encoders, so the same latent statistics"
"$BIN" train export vae "$OUT/vae-decoder" --data "$DATA/train/shapes.csv" --out "$MODEL/vae"

say "STDiT3 export (EMA weights) with its generation defaults"
"$BIN" train export stdit "$OUT/stdit" --out "$MODEL/stdit" --generation-config "$RECIPE/generation_config.json"

say "evaluation on held-out combinations"
# shellcheck disable=SC2086
"$BIN" eval shapes --prompts "$RECIPE/held-out-prompts.txt" --i2v-data "$DATA/held-out/shapes.csv" \
    --vae-data "$DATA/held-out/shapes.csv" --seed 2027 --out "$OUT/eval-shapes.json" \
    --vae-path "$MODEL/vae" --ckpt-path "$MODEL/stdit" --t5-path "$MODEL/t5" $EVAL_ARGS
say "frame strip: frames 0, 4, 8, 12, 16 of one video per prompt of $RECIPE/strip-prompts.txt -> $STRIP"
samples="$OUT/strip-samples"
rm -rf "$samples"
"$BIN" generate --prompt-path "$RECIPE/strip-prompts.txt" --seed 2028 --save-dir "$samples" --quiet \
    --vae-path "$MODEL/vae" --ckpt-path "$MODEL/stdit" --t5-path "$MODEL/t5" $EVAL_ARGS_GENERATE
inputs=() filters="" rows=""
n=$(grep -c . "$RECIPE/strip-prompts.txt")
for i in $(seq 0 $((n - 1))); do
    inputs+=(-i "$(printf '%s/sample_%04d.mp4' "$samples" "$i")")
    filters+="[$i:v]select='not(mod(n\,4))',tile=5x1:padding=2,pad=iw:ih+2[r$i];"
    rows+="[r$i]"
done
mkdir -p "$(dirname "$STRIP")"
ffmpeg -v error -y "${inputs[@]}" -filter_complex "${filters}${rows}vstack=inputs=$n,scale=iw*3:ih*3:flags=neighbor" \
    -frames:v 1 "$STRIP.tmp.png"
mv "$STRIP.tmp.png" "$STRIP"
du -sh "$MODEL"
