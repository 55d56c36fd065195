#!/usr/bin/env python3
"""The tiny-config diffusion training step in PyTorch, with the official Open-Sora 1.2 code.

The reference files are read at run time from the bare Open-Sora mirror (`git show v1.2.0:…`, the way
tools/make_init_fixture.py does; nothing of them is copied here) into a temporary package and imported
unchanged: STDiT3 (opensora/models/stdit/stdit3.py + layers/blocks.py), RFLOW.training_losses
(opensora/schedulers/rf), MaskGenerator and update_ema (opensora/utils/train_utils.py), the
VideoAutoencoderPipeline (opensora/models/vae/vae.py + vae_temporal.py) and T5Encoder.encode
(opensora/models/text_encoder/t5.py). Stubs stand in for what a CPU step never uses (colossalai,
opensora.registry's file loading, checkpoint loading, timm's Mlp/DropPath written out as in
make_init_fixture.py; `Tensor.cuda()` of the caption dropout a no-op) and for xformers' memory_efficient_attention (the cross attention), replaced by
the exact plain-torch equivalent the parity fixtures used (softmax(q·kᵀ/√d) with a block-diagonal mask).

The step is train.py@v1.2.0's: [VAE encode + T5 encode under no_grad] → MaskGenerator.get_masks →
RFLOW.training_losses (logit-normal t, timestep transform) → loss.mean().backward() → grad clip 1.0 →
AdamW (lr 1e-3 with 10 linear warm-up steps, eps 1e-15, weight decay 0; HybridAdam's adamw_mode) →
update_ema(decay 0.99). Sizes are the Swift `tiny` preset's: STDiT3 hidden 64, depth 2, 4 heads,
caption 32 × 16 tokens, qk_norm, pred_sigma; the tiny VAE (SDXL-layout KL [8, 8, 16, 16], 1 layer per
block, 4 groups + temporal VAE 4 filters, 1 res block, 2 groups); the tiny T5 (d_model 32, 2 layers,
4 heads, d_kv 8, d_ff 64, gated-gelu, the bundled 1,152-piece tokenizer).

  features: batches read from the feature cache `opensora train extract` wrote (the same latents
            [2, 4, 5, 18, 32], caption features [2, 1, 16, 32] and masks the Swift run trains on).
  video:    clips of the CSV decoded with an ffmpeg subprocess (rgb24 → numpy), a random 17-frame window,
            2 per batch, normalised to [-1, 1], then VAE + T5 encode and the step (all in this process,
            one after the other: no data-loader workers).

    python3 Benchmarks/training_step_torch.py features CACHE_DIR [--steps 20 --warmup 3]
    python3 Benchmarks/training_step_torch.py video DATA.csv [--steps 20 --warmup 3]
Prints one line `torch mode=… samples_per_s=… step_s=… …` and the per-part means. TORCH_THREADS (default 2) sets
torch's thread count; training-throughput.sh runs it with and without OMP_WAIT_POLICY=PASSIVE.
"""
import argparse, copy, csv, json, math, os, pathlib, random, resource, subprocess, sys, tempfile, time, types

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "2")))  # 2: the machine's cores
HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tools"))
from reference_code import extract, module, timm_stubs, transformers_stubs  # noqa: E402

FILES = ["opensora/models/layers/blocks.py", "opensora/models/stdit/stdit3.py",
         "opensora/models/vae/vae.py", "opensora/models/vae/vae_temporal.py", "opensora/models/vae/utils.py",
         "opensora/models/text_encoder/t5.py",
         "opensora/schedulers/rf/__init__.py", "opensora/schedulers/rf/rectified_flow.py",
         "opensora/schedulers/iddpm/gaussian_diffusion.py", "opensora/schedulers/iddpm/diffusion_utils.py",
         "opensora/utils/train_utils.py", "opensora/utils/misc.py"]
# Sources/OpenSoraTraining/Resources/Presets/tiny.yaml (STDiT3Config.tiny + DiffusionModels.denoiserConfig).
STDIT3_TINY = dict(depth=2, hidden_size=64, num_heads=4, patch_size=(1, 2, 2), in_channels=4, caption_channels=32,
                   model_max_length=16, mlp_ratio=4.0, qk_norm=True, pred_sigma=True, class_dropout_prob=0.1,
                   input_sq_size=512)
MASK_RATIOS = dict(random=0.0625, image_head=0.0625, image_random=0.03125, image_tail=0.03125,
                   image_head_tail=0.03125, quarter_head=0.015625, intepolate=0.015625)
# VideoVAEConfig.tiny: SpatialVAEConfig.tiny + TemporalVAEConfig.tiny, the v1.2 shift/scale, 17-frame clips.
KL_TINY = dict(in_channels=3, out_channels=3, latent_channels=4, block_out_channels=(8, 8, 16, 16), layers_per_block=1,
               norm_num_groups=4, down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4)
TEMPORAL_TINY = dict(in_out_channels=4, latent_embed_dim=4, embed_dim=4, filters=4, num_res_blocks=1,
                     channel_multipliers=(1, 2, 2, 4), temporal_downsample=(False, True, True), num_groups=2)
T5_TINY = dict(vocab_size=1152, d_model=32, d_kv=8, d_ff=64, num_layers=2, num_heads=4, feed_forward_proj="gated-gelu")
LR, WARMUP, EPS, GRAD_CLIP, EMA_DECAY, BATCH, FRAMES = 1e-3, 10, 1e-15, 1.0, 0.99, 2, 17


class BlockDiagonalMask:
    """xformers.ops.fmha.BlockDiagonalMask.from_seqlens: query block i attends to key block i only."""

    def __init__(self, q_seqlen, kv_seqlen):
        self.q, self.kv = [int(n) for n in q_seqlen], [int(n) for n in kv_seqlen]

    @classmethod
    def from_seqlens(cls, q_seqlen, kv_seqlen=None):
        return cls(q_seqlen, kv_seqlen if kv_seqlen is not None else q_seqlen)

    def dense(self):
        m = torch.zeros(sum(self.q), sum(self.kv), dtype=torch.bool)
        qo = ko = 0
        for nq, nk in zip(self.q, self.kv):
            m[qo:qo + nq, ko:ko + nk] = True
            qo, ko = qo + nq, ko + nk
        return m


def memory_efficient_attention(q, k, v, p=0.0, attn_bias=None):
    """[1, M, H, D] layout in and out; plain softmax attention (what the parity fixtures substituted)."""
    q, k, v = (t.transpose(1, 2) for t in (q, k, v))  # [1, H, M, D]
    mask = attn_bias.dense() if attn_bias is not None else None
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=p).transpose(1, 2)


def install_stubs():
    fmha = module("xformers.ops.fmha", BlockDiagonalMask=BlockDiagonalMask)
    module("xformers.ops", fmha=fmha, memory_efficient_attention=memory_efficient_attention)
    module("xformers", ops=sys.modules["xformers.ops"])
    module("opensora.acceleration")
    module("opensora.acceleration.checkpoint", auto_grad_checkpoint=lambda f, *a, **k: f(*a, **k))
    module("opensora.acceleration.communications", all_to_all=None, split_forward_gather_backward=None,
           gather_forward_split_backward=None)
    module("opensora.acceleration.parallel_states", get_sequence_parallel_group=lambda: None,
           set_data_parallel_group=None, set_sequence_parallel_group=None)
    module("opensora.acceleration.plugin", ZeroSeqParallelPlugin=None)
    module("colossalai")
    module("colossalai.booster")
    module("colossalai.booster.plugin", LowLevelZeroPlugin=None)

    class Registry:
        def __init__(self):
            self.classes = {}

        def register_module(self, name=None, **_):
            def add(obj):
                self.classes[name or obj.__name__] = obj
                return obj
            return add

    models = Registry()

    def build_module(cfg, registry):
        cfg = dict(cfg)
        return registry.classes[cfg.pop("type")](**cfg)

    module("opensora.registry", MODELS=models, SCHEDULERS=Registry(), build_module=build_module)
    module("opensora.utils.ckpt_utils", load_checkpoint=None)
    module("ftfy", fix_text=lambda s: s)  # t5.py imports it for caption cleaning, which encode() never calls

    transformers_stubs(AutoTokenizer=None, T5EncoderModel=None)
    timm_stubs()
    return models


def extract_reference(mirror, root):
    extract(mirror, root, FILES)
    # Only the RF scheduler is needed: opensora/schedulers/__init__.py (dpms, iddpm) stays empty.
    (pathlib.Path(root) / "opensora/schedulers/__init__.py").write_text("")
    (pathlib.Path(root) / "opensora/schedulers/iddpm/__init__.py").write_text("")


class SentencePieceTokenizer:
    """HF T5Tokenizer's call for what T5Embedder.get_text_embeddings asks (padding to max_length, truncation,
    the </s> special token, attention mask), over the bundled sentencepiece model."""

    def __init__(self, path):
        import sentencepiece
        self.sp = sentencepiece.SentencePieceProcessor(model_file=str(path))
        self.eos, self.pad = 1, 0

    def __call__(self, texts, max_length, **_):
        ids = torch.zeros(len(texts), max_length, dtype=torch.long)
        mask = torch.zeros(len(texts), max_length, dtype=torch.long)
        for i, t in enumerate(texts):
            tok = self.sp.encode(t)[:max_length - 1] + [self.eos]
            ids[i, :len(tok)] = torch.tensor(tok)
            mask[i, :len(tok)] = 1
        return {"input_ids": ids, "attention_mask": mask}


def build_encoders(models_registry):
    from diffusers.models import AutoencoderKL
    from opensora.models.vae import vae as vae_module
    from opensora.models.vae.vae_temporal import VAE_Temporal  # registers VAE_Temporal
    from opensora.models.text_encoder import t5 as t5_module

    # VideoAutoencoderKL calls AutoencoderKL.from_pretrained(the SDXL VAE); here: the tiny config, random weights.
    vae_module.AutoencoderKL = types.SimpleNamespace(from_pretrained=lambda *a, **k: AutoencoderKL(**KL_TINY))
    config = vae_module.VideoAutoencoderPipelineConfig(
        vae_2d=dict(type="VideoAutoencoderKL", from_pretrained="tiny", micro_batch_size=4),
        vae_temporal=dict(type="VAE_Temporal", **TEMPORAL_TINY),
        micro_frame_size=17, shift=(-0.10, 0.34, 0.27, 0.98), scale=(3.85, 2.32, 2.33, 3.06))
    vae = vae_module.VideoAutoencoderPipeline(config).eval()
    for p in vae.parameters():
        p.requires_grad_(False)

    # T5Encoder/T5Embedder with the tiny T5 (HF T5EncoderModel, random weights) and the bundled tokenizer.
    sys.modules.pop("transformers")
    from transformers import T5Config, T5EncoderModel
    embedder = object.__new__(t5_module.T5Embedder)
    embedder.device = torch.device("cpu")
    embedder.tokenizer = SentencePieceTokenizer(HERE.parent / "Sources/OpenSora/Resources/tiny-spiece.model")
    embedder.model = T5EncoderModel(T5Config(**T5_TINY)).eval()
    embedder.model_max_length = STDIT3_TINY["model_max_length"]
    text_encoder = object.__new__(t5_module.T5Encoder)
    text_encoder.t5, text_encoder.y_embedder = embedder, None
    text_encoder.model_max_length, text_encoder.output_dim, text_encoder.dtype = 16, 32, torch.float32
    return vae, text_encoder


def feature_batches(folder):
    from safetensors.torch import load_file
    index = json.loads((pathlib.Path(folder) / "index.json").read_text())
    batches = []
    for shard in index["shards"]:
        tensors = load_file(str(pathlib.Path(folder) / shard["file"]))
        n = len({k.split(".")[0] for k in tensors})
        for i in range(n):
            batches.append({k: tensors[f"{i}.{k}"] for k in
                            ["latents", "caption", "caption_mask", "fps", "height", "width", "num_frames"]})
    return batches


def decode_clip(path, frames):
    """All frames of a video as uint8 [T, H, W, 3] via ffmpeg, then a random `frames`-long window."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height",
                            "-of", "csv=p=0", path], check=True, capture_output=True, text=True).stdout
    w, h = (int(v) for v in probe.strip().split(","))
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         check=True, capture_output=True).stdout
    video = np.frombuffer(raw, dtype=np.uint8).reshape(-1, h, w, 3)
    start = random.randint(0, len(video) - frames)
    return video[start:start + frames]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["features", "video"])
    ap.add_argument("data", help="feature-cache folder (features) or dataset CSV (video)")
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--mirror", default="/work/.mirror/hpcaitech+Open-Sora/repo")
    args = ap.parse_args()
    torch.manual_seed(42)
    random.seed(42)

    with tempfile.TemporaryDirectory() as tmp:
        extract_reference(args.mirror, tmp)
        import diffusers.models  # noqa: F401  (before the transformers stub, which diffusers must not see)
        sys.path[:0] = [tmp, str(HERE.parent / ".venv-bench-ref")]
        registry = install_stubs()
        from opensora.models.stdit.stdit3 import STDiT3, STDiT3Config
        from opensora.schedulers.rf import RFLOW
        from opensora.utils.train_utils import MaskGenerator, update_ema
        vae, text_encoder = build_encoders(registry) if args.mode == "video" else (None, None)

    # CaptionEmbedder.token_drop (caption dropout, train mode) calls `.cuda()` on its random draw: on CPU, a no-op.
    torch.Tensor.cuda = lambda self, *a, **k: self
    model = STDiT3(STDiT3Config(**STDIT3_TINY)).train()
    ema = copy.deepcopy(model).eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=LR, eps=EPS, weight_decay=0.0)
    scheduler = RFLOW(use_timestep_transform=True, sample_method="logit-normal")
    mask_generator = MaskGenerator(dict(MASK_RATIOS))

    if args.mode == "features":
        cached = feature_batches(args.data)
    else:
        with open(args.data) as f:
            rows = list(csv.DictReader(f))
        base = os.path.dirname(os.path.abspath(args.data))
        order = []

    times = {"decode": [], "encode": [], "t5": [], "step": [], "total": []}
    losses = []
    for step in range(args.warmup + args.steps):
        t0 = time.perf_counter()
        if args.mode == "features":
            b = cached[step % len(cached)]
            x = b["latents"]
            model_args = {"y": b["caption"], "mask": b["caption_mask"].to(torch.float32)}
            meta = {k: b[k] for k in ["fps", "height", "width", "num_frames"]}
            t1 = t2 = time.perf_counter()
        else:
            if len(order) < BATCH:  # the sampler's shuffled epoch, batch by batch
                perm = list(range(len(rows)))
                random.shuffle(perm)
                order += perm
            picked = [rows[order.pop(0)] for _ in range(BATCH)]
            clips = [decode_clip(os.path.join(base, r["path"]), FRAMES) for r in picked]
            video = torch.from_numpy(np.stack(clips)).permute(0, 4, 1, 2, 3).float().div_(127.5).sub_(1.0)  # [B,3,T,H,W]
            t1 = time.perf_counter()
            with torch.no_grad():
                x = vae.encode(video)
                tv = time.perf_counter()
                model_args = text_encoder.encode([r["text"] for r in picked])
            t2 = time.perf_counter()
            if step >= args.warmup:
                times["t5"].append(t2 - tv)
            n = len(picked)
            meta = dict(fps=torch.full((n,), 24.0), height=torch.full((n,), float(video.shape[3])),
                        width=torch.full((n,), float(video.shape[4])), num_frames=torch.full((n,), float(FRAMES)))
        mask = mask_generator.get_masks(x)
        model_args["x_mask"] = mask
        model_args.update(meta)
        for g in optimizer.param_groups:  # LinearWarmupLR
            g["lr"] = LR * min(1.0, (step + 1) / (WARMUP + 1))
        loss = scheduler.training_losses(model, x, model_args, mask=mask)["loss"].mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, GRAD_CLIP)
        optimizer.step()
        optimizer.zero_grad()
        update_ema(ema, model, optimizer=optimizer, decay=EMA_DECAY)
        losses.append(loss.item())
        t3 = time.perf_counter()
        if step >= args.warmup:
            times["decode"].append(t1 - t0)
            times["encode"].append(t2 - t1)
            times["step"].append(t3 - t2)
            times["total"].append(t3 - t0)
    if not all(math.isfinite(l) for l in losses):
        sys.exit(f"non-finite loss: {losses}")
    total = sum(times["total"])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"torch mode={args.mode} steps={args.steps} batch={BATCH} latents={list(x.shape)} "
          f"samples_per_s={BATCH * args.steps / total:.3f} step_s={total / args.steps:.4f} "
          f"decode_s={np.mean(times['decode']):.4f} encode_s={np.mean(times['encode']):.4f} "
          f"t5_s={np.mean(times['t5']) if times['t5'] else 0.0:.4f} "
          f"train_s={np.mean(times['step']):.4f} peak_rss_mb={peak_mb:.0f} "
          f"params={sum(p.numel() for p in params)} loss_first={losses[0]:.4f} loss_last={losses[-1]:.4f}", flush=True)


if __name__ == "__main__":
    main()
