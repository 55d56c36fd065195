#!/usr/bin/env python3
"""Writes `stdit3.layers` fixtures for the timestep and fps embedders at large, non-integer inputs
(t across [0, 3000], fps up to 120) for several hidden sizes, by running the reference's own
TimestepEmbedder and SizeEmbedder classes. The classes are read at run time from a checkout of
hpcaitech/Open-Sora (nothing of it is copied here) and executed unchanged with torch and einops;
weights are redrawn as the shared fixtures' README describes (biases 0.05·N, matrices N/√fan_in).

    .venv-bench/bin/pip install torch==2.15.0 einops safetensors
    git -C OPEN_SORA show v1.2.0:opensora/models/layers/blocks.py > /tmp/blocks.py
    .venv-bench/bin/python tools/make_timestep_fixtures.py /tmp/blocks.py
"""
import ast, json, math, pathlib, sys

import einops
import torch
import torch.nn as nn
from safetensors.torch import save_file

tree = ast.parse(pathlib.Path(sys.argv[1]).read_text())
picked = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name in ("TimestepEmbedder", "SizeEmbedder")]
assert len(picked) == 2, "the reference's TimestepEmbedder and SizeEmbedder were not found"
namespace = {"torch": torch, "nn": nn, "math": math, "rearrange": einops.rearrange}
exec(compile(ast.Module(body=picked, type_ignores=[]), sys.argv[1], "exec"), namespace)
TimestepEmbedder, SizeEmbedder = namespace["TimestepEmbedder"], namespace["SizeEmbedder"]

torch.set_num_threads(1)
out_dir = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "parity"
source = f"Open-Sora v1.2.0 opensora/models/layers/blocks.py, torch {torch.__version__} CPU"


def redraw(module):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(0.05 * torch.randn_like(p) if p.ndim == 1 else torch.randn_like(p) / math.sqrt(p.shape[1]))


def write(name, module, inputs, outputs, config, call, description):
    tensors = {f"w.{k}": v.contiguous() for k, v in module.state_dict().items()}
    tensors |= {f"in.{k}": v.contiguous() for k, v in inputs.items()}
    tensors |= {f"out.{k}": v.contiguous() for k, v in outputs.items()}
    metadata = {"kind": "stdit3.layers", "config": json.dumps(config), "call": json.dumps(call), "atol": "0.0001",
                "rtol": "0.0001", "source": source, "description": description}
    save_file(tensors, out_dir / f"stdit3.layers__{name}.safetensors", metadata=metadata)
    print("wrote", name)


torch.manual_seed(20261201)
for hidden, n in ((64, 7), (96, 9), (160, 5)):
    m = TimestepEmbedder(hidden_size=hidden).eval()
    redraw(m)
    t = torch.cat([torch.tensor([0.0, 999.0, 1000.0, 2999.5]), torch.rand(n) * 3000])  # non-integer draws
    with torch.no_grad():
        outputs = {"t_freq": TimestepEmbedder.timestep_embedding(t, m.frequency_embedding_size), "emb": m(t, torch.float32)}
    write(f"timestep_embedder_large_t_h{hidden}", m, {"t": t}, outputs,
          {"hidden_size": hidden, "frequency_embedding_size": 256}, {"dtype": "float32"},
          f"TimestepEmbedder at t in [0, 3000] (non-integer), hidden {hidden}: t_freq and the MLP output")

for hidden, n, bs in ((64, 3, 6), (96, 2, 2)):
    m = SizeEmbedder(hidden_size=hidden).eval()
    redraw(m)
    s = torch.cat([torch.tensor([120.0]), torch.rand(n - 1) * 120])[:, None]
    with torch.no_grad():
        outputs = {"emb": m(s, bs)}
    write(f"size_embedder_fps_h{hidden}", m, {"s": s}, outputs, {"hidden_size": hidden, "frequency_embedding_size": 256},
          {"bs": bs}, f"SizeEmbedder (fps_embedder) at fps up to 120, {n} values tiled to batch {bs}, hidden {hidden}")
