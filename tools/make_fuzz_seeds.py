"""Writes the fuzzers' seed corpus, Fuzz/Corpus/<target>/: tiny valid files of each format.
Run once by hand (python3 tools/make_fuzz_seeds.py); no third-party packages needed."""
import json, os, struct, zipfile, io

ROOT = os.path.join(os.path.dirname(__file__), "..", "Fuzz", "Corpus")
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures")


def put(target, name, data):
    os.makedirs(os.path.join(ROOT, target), exist_ok=True)
    with open(os.path.join(ROOT, target, name), "wb") as f:
        f.write(data)


def safetensors(tensors, metadata=None):
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = json.dumps(header).encode()
    return struct.pack("<Q", len(h)) + h + data


# Pickle protocol 2, the opcodes torch.save emits for a state dict (as Tests' TorchFileBuilder).
def unicode(s):
    b = s.encode()
    return b"X" + struct.pack("<I", len(b)) + b


def glob(module, name):
    return b"c" + f"{module}\n{name}\n".encode()


def long1(v):
    return b"\x8a\x08" + struct.pack("<q", v)


def tup(values):
    return b"(" + b"".join(long1(v) for v in values) + b"t"


def state_dict_pickle(specs):
    p = b"\x80\x02}"
    for name, key, storage, elements, offset, shape, strides in specs:
        p += unicode(name) + glob("torch._utils", "_rebuild_tensor_v2") + b"("
        p += b"(" + unicode("storage") + glob("torch", storage) + unicode(key) + unicode("cpu") + long1(elements) + b"tQ"
        p += long1(offset) + tup(shape) + tup(strides) + b"\x89" + glob("collections", "OrderedDict") + b")R"
        p += b"tRs"
    return p + b"."


def torch_zip(specs, storages, zip64=False):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", state_dict_pickle(specs))
        for key, raw in storages.items():
            with z.open(f"archive/data/{key}", "w", force_zip64=zip64) as f:
                f.write(raw)
    return out.getvalue()


f32 = lambda *v: struct.pack(f"<{len(v)}f", *v)
put("safetensors", "two-tensors.safetensors",
    safetensors({"w": ("F32", [2, 2], f32(1, 2, 3, 4)), "b": ("BF16", [1], b"\x80\x3f")}, {"format": "pt"}))
put("safetensors", "empty.safetensors", safetensors({}))
with open(os.path.join(FIXTURES, "ops.safetensors"), "rb") as f:
    data = f.read()
n = struct.unpack("<Q", data[:8])[0]
put("safetensors", "ops-header-only.safetensors", data[:8 + n])  # the fixture's real header, data cut

put("index", "model.safetensors.index.json",
    json.dumps({"metadata": {"total_size": 24}, "weight_map": {"a.weight": "model-00001-of-00002.safetensors",
                                                              "b": "model-00002-of-00002.safetensors"}}).encode())

specs = [("a.weight", "0", "FloatStorage", 6, 0, [2, 3], [3, 1]), ("t", "0", "FloatStorage", 6, 0, [3, 2], [1, 3]),
         ("h", "1", "HalfStorage", 2, 1, [1], [1])]
storages = {"0": f32(0, 1, 2, 3, 4, 5), "1": b"\x00\x3c\x00\x40"}
put("torch", "state-dict.bin", torch_zip(specs, storages))
put("zip", "state-dict.bin", torch_zip(specs, storages))
put("zip", "zip64.bin", torch_zip(specs[:1], {"0": storages["0"]}, zip64=True))
put("pickle", "state-dict.pkl", state_dict_pickle(specs))
with zipfile.ZipFile(os.path.join(FIXTURES, "t5_checkpoint", "bin", "pytorch_model-00003-of-00003.bin")) as z:
    pkl = [n for n in z.namelist() if n.endswith("data.pkl")][0]
    put("pickle", "torch-written.pkl", z.read(pkl))  # a real torch.save pickle


def varint(v):
    out = b""
    while True:
        b = v & 0x7F
        v >>= 7
        out += bytes([b | (0x80 if v else 0)])
        if not v:
            return out


def field(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def vfield(number, v):
    return varint(number << 3) + varint(v)


def piece(text, score, kind):
    return field(1, field(1, text.encode()) + b"\x15" + struct.pack("<f", score) + vfield(3, kind))


spiece = piece("<pad>", 0, 3) + piece("</s>", 0, 3) + piece("<unk>", 0, 2) + piece("\u2581a", -1.5, 1) + piece("b", -2, 1)
spiece += field(2, vfield(3, 1) + vfield(40, 2) + vfield(35, 0))
spiece += field(3, field(1, b"identity") + vfield(3, 1) + vfield(4, 1) + vfield(5, 1))
put("spiece", "tiny.model", spiece)

put("config", "stdit3-tiny.json", json.dumps({"hidden_size": 64, "depth": 2, "num_heads": 4, "patch_size": [1, 2, 2],
                                              "mlp_ratio": 4.0, "caption_channels": 32, "model_max_length": 8}).encode())
with open(os.path.join(FIXTURES, "t5_checkpoint", "bin", "config.json"), "rb") as f:
    put("config", "t5-config.json", f.read())
put("config", "vae.json", json.dumps({"block_out_channels": [32, 64], "norm_num_groups": 32, "layers_per_block": 1,
                                      "channel_multipliers": [1, 2], "temporal_downsample": [True], "filters": 32,
                                      "num_res_blocks": 1, "num_groups": 32}).encode())
