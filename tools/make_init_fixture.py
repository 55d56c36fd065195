#!/usr/bin/env python3
"""Writes Tests/Fixtures/init/*.json: per-parameter statistics (shape, all-zero, mean, std, min, max,
a uniform/normal/constant label) of freshly constructed reference models, so the Swift
`initializeWeights(key:)` can be checked against the reference's own initialisation.

The reference files are read at run time from a bare clone of hpcaitech/Open-Sora (`git show
v1.2.0:…`, nothing of them is copied here) into a temporary package and imported unchanged:
  opensora/models/layers/blocks.py, opensora/models/stdit/stdit3.py  -> STDiT3 (calls initialize_weights)
  opensora/models/vae/vae_temporal.py, opensora/models/vae/utils.py   -> VAE_Temporal (PyTorch defaults)
Imports the CPU construction never uses are stubbed in sys.modules (see `install_stubs`): xformers,
opensora.acceleration.* (colossalai), opensora.registry, opensora.utils.ckpt_utils; transformers'
PretrainedConfig/PreTrainedModel become a plain config object and nn.Module (STDiT3 never calls HF
`post_init`, so no HF init runs in the reference either); timm's `Mlp` (fc1, act, drop1, norm=Identity,
fc2, drop2: two default nn.Linear, which is all initialisation sees) and `DropPath` are written out.
rotary_embedding_torch is the real package at the version Open-Sora pins.

    pip install torch numpy einops rotary-embedding-torch==0.5.3
    python3 tools/make_init_fixture.py [--mirror /path/to/Open-Sora.git] [--out Tests/Fixtures/init]
"""
import argparse, json, math, pathlib, sys, tempfile

import torch
import torch.nn as nn

from reference_code import REF, extract, module, timm_stubs, transformers_stubs

FILES = ["opensora/models/layers/blocks.py", "opensora/models/stdit/stdit3.py",
         "opensora/models/vae/vae_temporal.py", "opensora/models/vae/utils.py"]

# The Swift tests build the same configurations (Tests/OpenSoraTests/Models/InitFixtureTests.swift).
STDIT3_TINY = dict(depth=2, hidden_size=64, num_heads=4, patch_size=(1, 2, 2), in_channels=4, caption_channels=32,
                   model_max_length=8, mlp_ratio=4.0, qk_norm=True, pred_sigma=True, class_dropout_prob=0.1)
TEMPORAL_VAE_TINY = dict(in_out_channels=4, latent_embed_dim=4, embed_dim=4, filters=16, num_res_blocks=1,
                         channel_multipliers=(1, 2), temporal_downsample=(True,), num_groups=4)


def install_stubs():
    module("xformers")
    module("xformers.ops")
    module("opensora.acceleration")
    module("opensora.acceleration.checkpoint", auto_grad_checkpoint=lambda f, *a, **k: f(*a, **k))
    module("opensora.acceleration.communications", all_to_all=None, split_forward_gather_backward=None,
           gather_forward_split_backward=None)
    module("opensora.acceleration.parallel_states", get_sequence_parallel_group=lambda: None)

    class Registry:
        def register_module(self, name=None, **_):
            return lambda obj: obj

    module("opensora.registry", MODELS=Registry())
    module("opensora.utils")
    module("opensora.utils.ckpt_utils", load_checkpoint=None)

    transformers_stubs()
    timm_stubs()


def label(t, zero):
    """From the sample, for where the Swift test checks bounds: zero; constant (std 0); with ≥ 64 values
    uniform when every |x| is within 1.8·std (a uniform's bound is √3·std, while a normal sample of 64
    exceeds 2.4·std with probability > 0.99), else normal; "small" below 64 values."""
    if zero:
        return "zero"
    std = t.std(unbiased=False).item()
    if std == 0:
        return "constant"
    if t.numel() < 64:
        return "small"
    return "uniform" if t.abs().max().item() <= 1.8 * std else "normal"


def stats(model):
    out = {}
    for name, t in model.state_dict().items():
        t = t.detach().double().reshape(-1)
        zero = bool((t == 0).all())
        out[name] = dict(shape=list(model.state_dict()[name].shape), count=t.numel(), all_zero=zero,
                         mean=t.mean().item(), std=t.std(unbiased=False).item(), min=t.min().item(),
                         max=t.max().item(), distribution=label(t, zero))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirror", default="/work/.mirror/hpcaitech+Open-Sora/repo")
    ap.add_argument("--out", default="Tests/Fixtures/init")
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        extract(args.mirror, tmp, FILES)
        sys.path.insert(0, tmp)
        install_stubs()
        from opensora.models.stdit.stdit3 import STDiT3, STDiT3Config
        from opensora.models.vae.vae_temporal import VAE_Temporal

        stdit = STDiT3(STDiT3Config(**STDIT3_TINY))  # its __init__ ends with initialize_weights()
        temporal = VAE_Temporal(**TEMPORAL_VAE_TINY)
    for name, model, config in [("stdit3_tiny", stdit, STDIT3_TINY), ("temporal_vae_tiny", temporal, TEMPORAL_VAE_TINY)]:
        doc = dict(reference=f"hpcaitech/Open-Sora@{REF}", config={k: list(v) if isinstance(v, tuple) else v
                                                                  for k, v in config.items()},
                   parameters=stats(model))
        (out / f"{name}.json").write_text(json.dumps(doc, indent=1) + "\n")
        print(name, len(doc["parameters"]), "tensors")


if __name__ == "__main__":
    main()
