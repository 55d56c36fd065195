#!/usr/bin/env python3
"""Writes a tiny Hugging Face T5 encoder folder twice — as PyTorch `.bin` shards and as safetensors
shards — and a `t5.checkpoint_bin` parity fixture pointing at both (format: the shared fixtures
README). Run once with torch + transformers installed (e.g. .venv-bench); the output is committed.

    .venv-bench/bin/python tools/make_t5_checkpoint_fixture.py
"""
import json, pathlib, shutil, struct
import torch
from transformers import T5Config, T5EncoderModel

root = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures"
out = root / "t5_checkpoint"
shutil.rmtree(out, ignore_errors=True)
torch.manual_seed(20261125)
config = T5Config(vocab_size=1152, d_model=24, d_kv=6, d_ff=40, num_layers=3, num_heads=4,
                  relative_attention_num_buckets=32, relative_attention_max_distance=128,
                  feed_forward_proj="gated-gelu", dropout_rate=0.0, tie_word_embeddings=False)
model = T5EncoderModel(config).eval()
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.randn_like(p) / (p.shape[-1] ** 0.5) if p.ndim > 1 else 1 + 0.1 * torch.randn_like(p))
spiece = root / "parity" / "tokenizer.t5__spiece.model"
for kind, safe in (("bin", False), ("safetensors", True)):
    folder = out / kind
    model.save_pretrained(folder, safe_serialization=safe, max_shard_size="40KB")
    shutil.copy(spiece, folder / "spiece.model")

ids = torch.tensor([[37, 205, 11, 503, 1, 0, 0, 0, 0, 0], [5, 6, 7, 8, 9, 10, 11, 12, 13, 1]])
mask = (torch.arange(10)[None] < torch.tensor([[5], [10]])).long()
with torch.no_grad():
    hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
for kind in ("bin", "safetensors"):  # both folders reload to the same model
    again = T5EncoderModel.from_pretrained(out / kind).eval()
    with torch.no_grad():
        assert torch.equal(again(input_ids=ids, attention_mask=mask).last_hidden_state, hidden), kind

tensors = {"in.input_ids": ids.numpy(), "in.attention_mask": mask.numpy(), "out.last_hidden_state": hidden.numpy()}
meta = {"kind": "t5.checkpoint_bin", "atol": "0.0001", "rtol": "0.0001",
        "model_dir_bin": "t5_checkpoint/bin", "model_dir_safetensors": "t5_checkpoint/safetensors",
        "description": "tiny T5 encoder saved by save_pretrained as 2+ .bin shards and as safetensors shards",
        "source": "tools/make_t5_checkpoint_fixture.py, torch %s" % torch.__version__}
header, blobs, offset = {}, [], 0
for name in sorted(tensors):
    a = tensors[name]
    raw = a.tobytes(); code = {"int64": "I64", "float32": "F32"}[str(a.dtype)]
    header[name] = {"dtype": code, "shape": list(a.shape), "data_offsets": [offset, offset + len(raw)]}
    blobs.append(raw); offset += len(raw)
header["__metadata__"] = meta
h = json.dumps(header).encode(); h += b" " * ((8 - len(h) % 8) % 8)
(root / "parity" / "t5.checkpoint_bin__tiny_sharded.safetensors").write_bytes(struct.pack("<Q", len(h)) + h + b"".join(blobs))
print(sorted(p.name for p in (out / "bin").iterdir()), sorted(p.name for p in (out / "safetensors").iterdir()))
