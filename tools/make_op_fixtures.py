#!/usr/bin/env python3
"""Writes Tests/Fixtures/ops.safetensors: inputs and numpy (float64) results for the Tensor op tests.

Run once; the output is committed. The values are independent of the code under test: numpy/scipy
compute them in float64 and they are stored as float32. Usage: python3 tools/make_op_fixtures.py
"""
import json, math, struct, pathlib
import numpy as np
from scipy.special import erf

rng = np.random.default_rng(20261125)
t = {}

def put(name, a, dtype=np.float32):
    t[name] = np.array(a, dtype=dtype, order="C")  # keeps 0-d arrays 0-d

a = rng.standard_normal((3, 4, 5)); b = rng.standard_normal((4, 5)); pos = rng.uniform(0.1, 3.0, (3, 4, 5))
put("in.a", a); put("in.b", b); put("in.pos", pos)
put("out.add", a + b); put("out.sub", a - b); put("out.mul", a * b); put("out.div", a / (b + 3.0))
put("out.exp", np.exp(a)); put("out.log", np.log(pos)); put("out.sqrt", np.sqrt(pos)); put("out.rsqrt", 1 / np.sqrt(pos))
put("out.tanh", np.tanh(a)); put("out.erf", erf(a)); put("out.sigmoid", 1 / (1 + np.exp(-a)))
put("out.sin", np.sin(a)); put("out.cos", np.cos(a)); put("out.abs", np.abs(a)); put("out.square", a * a)
put("out.silu", a / (1 + np.exp(-a)))
put("out.gelu", 0.5 * a * (1 + erf(a / math.sqrt(2))))
put("out.gelu_tanh", 0.5 * a * (1 + np.tanh(math.sqrt(2 / math.pi) * (a + 0.044715 * a ** 3))))
put("out.maximum", np.maximum(a, b)); put("out.pow", pos ** 1.7)
put("out.sum_axis1", a.sum(axis=1)); put("out.mean_axes02", a.mean(axis=(0, 2)))
put("out.max_axis2", a.max(axis=2)); put("out.min_all", a.min()); put("out.var_axis2", a.var(axis=2))
put("out.argmax_axis2", a.argmax(axis=2), np.int32)
m = a.max(axis=-1, keepdims=True); e = np.exp(a - m)
put("out.softmax", e / e.sum(axis=-1, keepdims=True)); put("out.logsumexp", (m[..., 0] + np.log(e.sum(axis=-1))))
put("out.cumsum_axis1", np.cumsum(a, axis=1))
x = rng.standard_normal((6, 7)); y = rng.standard_normal((7, 5)); c = rng.standard_normal((5,))
put("in.x", x); put("in.y", y); put("in.c", c)
put("out.matmul", x @ y); put("out.addmm", 0.5 * (x @ y) + 2.0 * c)
bx = rng.standard_normal((2, 3, 4, 6)); by = rng.standard_normal((2, 3, 6, 5))
put("in.bx", bx); put("in.by", by); put("out.batched_matmul", bx @ by)
put("out.transpose_201", np.transpose(a, (2, 0, 1)))
put("out.slice", a[1:, ::2, -3:]); put("out.concat_axis1", np.concatenate([a, a[:, :2]], axis=1))
put("out.pad", np.pad(a, ((0, 0), (1, 2), (0, 1)), constant_values=0.5))
# norms over the last axis
w = 1 + 0.1 * rng.standard_normal(5); bb = 0.05 * rng.standard_normal(5)
put("in.w", w); put("in.bb", bb)
mu = a.mean(-1, keepdims=True); var = a.var(-1, keepdims=True)
put("out.layer_norm", (a - mu) / np.sqrt(var + 1e-6) * w + bb)
put("out.layer_norm_plain", (a - mu) / np.sqrt(var + 1e-6))
put("out.rms_norm", a / np.sqrt((a * a).mean(-1, keepdims=True) + 1e-6) * w)
# group norm, channels last [N, H, W, C], 2 groups of 3 channels
g = rng.standard_normal((2, 4, 3, 6)); gw = 1 + 0.1 * rng.standard_normal(6); gb = 0.05 * rng.standard_normal(6)
put("in.g", g); put("in.gw", gw); put("in.gb", gb)
gg = g.reshape(2, 4 * 3, 2, 3)
gn = (gg - gg.mean(axis=(1, 3), keepdims=True)) / np.sqrt(gg.var(axis=(1, 3), keepdims=True) + 1e-5)
put("out.group_norm", gn.reshape(g.shape) * gw + gb)
# attention [B, H, L, D] with a boolean mask (True = attend)
q = rng.standard_normal((2, 3, 4, 8)); k = rng.standard_normal((2, 3, 6, 8)); v = rng.standard_normal((2, 3, 6, 8))
mask = rng.uniform(size=(2, 1, 4, 6)) > 0.3; mask[..., 0] = True
put("in.q", q); put("in.k", k); put("in.v", v); put("in.mask", mask, np.uint8)
s = q @ k.transpose(0, 1, 3, 2) / math.sqrt(8)
def softmax(z):
    z = z - z.max(-1, keepdims=True); ez = np.exp(z); return ez / ez.sum(-1, keepdims=True)
put("out.sdpa", softmax(s) @ v); put("out.sdpa_masked", softmax(np.where(mask, s, -np.inf)) @ v)
# interleaved RoPE (rotary-embedding-torch): pairs (2i, 2i+1), positions along axis -2
r = rng.standard_normal((2, 5, 8)); freqs = 1.0 / 10000 ** (np.arange(0, 8, 2) / 8)
ang = np.arange(5)[:, None] * freqs[None, :]
x1, x2 = r[..., 0::2], r[..., 1::2]
out = np.empty_like(r); out[..., 0::2] = x1 * np.cos(ang) - x2 * np.sin(ang); out[..., 1::2] = x1 * np.sin(ang) + x2 * np.cos(ang)
put("in.r", r); put("out.rope_traditional", out)

def write(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        arr = tensors[name]
        code = {np.float32: "F32", np.int32: "I32", np.uint8: "U8"}[arr.dtype.type]
        raw = arr.tobytes(); header[name] = {"dtype": code, "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw); offset += len(raw)
    header["__metadata__"] = {"source": "numpy %s, scipy erf; tools/make_op_fixtures.py" % np.__version__}
    h = json.dumps(header).encode(); h += b" " * ((8 - len(h) % 8) % 8)
    pathlib.Path(path).write_bytes(struct.pack("<Q", len(h)) + h + b"".join(blobs))

write(pathlib.Path(__file__).resolve().parent.parent / "Tests/Fixtures/ops.safetensors", t)
print("wrote", len(t), "tensors")
