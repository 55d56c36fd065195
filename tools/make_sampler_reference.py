#!/usr/bin/env python3
"""Writes Tests/OpenSoraTrainingTests/Sampler/ReferenceBatches.swift: the batches the reference's
VariableVideoBatchSampler (opensora/datasets/sampler.py@v1.2.0, bucket.py/aspect.py unchanged) yields for
nine (seed, epoch, world size, rank, drop_last, shuffle, start) runs over a fixed 240-row dataset.

The reference is imported from a checkout whose opensora/datasets/sampler.py has its pandarallel import and
logger stubbed (they are unused here); torch CPU must be installed.

    python3 tools/make_sampler_reference.py /path/to/open-sora-checkout
"""
import json, pathlib, sys
sys.path.insert(0, sys.argv[1])
from opensora.datasets.sampler import VariableVideoBatchSampler
class Data:
    def __init__(self, rows): self.rows = rows
    def parallel_apply(self, fn, axis=1, **kw): return [fn(r, **kw) for r in self.rows]
class DS:
    def __init__(self, rows, fi): self.data = Data(rows); self.frame_interval = fi
    def __len__(self): return len(self.data.rows)
sizes = [(144,256),(256,144),(240,426),(360,640),(480,480),(720,1280),(192,192),(100,300)]
frames = [1, 1, 2, 17, 52, 60, 103, 120, 210]
rows = []
for i in range(240):
    h, w = sizes[(i * 7) % len(sizes)]; t = frames[(i * 5 + i // 9) % len(frames)]
    rows.append({"id": i, "num_frames": t, "height": h, "width": w})
cfg = {"144p": {1: (1.0, 3), 51: (1.0, 2), 102: ((1.0, 0.5), 2)},
       "240p": {1: (0.5, 2), 51: (0.5, 2)},
       "360p": {1: (0.7, 2), 51: ((0.6, 0.5), 1)}}
out = {"rows": [[r["num_frames"], r["height"], r["width"]] for r in rows], "runs": []}
def run(seed, epoch, R, rank, drop_last, start=0, shuffle=True, len_first=False):
    s = VariableVideoBatchSampler(DS(rows, 1), cfg, num_replicas=R, rank=rank, shuffle=shuffle, seed=seed, drop_last=drop_last)
    if len_first: s.get_num_batch()
    s.set_epoch(epoch)
    s.last_micro_batch_access_index = start
    b = list(iter(s))
    out["runs"].append({"seed": seed, "epoch": epoch, "world": R, "rank": rank, "drop_last": drop_last,
                        "shuffle": shuffle, "start": start, "grouped_as": 0 if len_first else None, "batches": b})
run(7, 0, 1, 0, True); run(7, 1, 1, 0, True); run(7, 0, 2, 0, True); run(7, 0, 2, 1, True)
run(7, 0, 1, 0, False); run(7, 0, 2, 1, True, start=6); run(7, 0, 1, 0, True, shuffle=False); run(11, 3, 3, 2, True); run(7, 2, 1, 0, True, start=4, len_first=True)

lines = ",\n".join(json.dumps({k: r[k] for k in ("seed", "epoch", "world", "rank", "drop_last", "shuffle", "start", "grouped_as")}
                               | {"batches": [" ".join(b) if isinstance(b, list) else b for b in r["batches"]]}, separators=(",", ":"))
                    for r in out["runs"])
target = pathlib.Path(__file__).resolve().parent.parent / "Tests/OpenSoraTrainingTests/Sampler/ReferenceBatches.swift"
header = target.read_text().split("enum ReferenceBatches")[0] if target.exists() else ""
target.write_text(header + 'enum ReferenceBatches {\n    static let runs = #"""\n[\n' + lines + '\n]\n"""#\n}\n')
print(f"wrote {len(out['runs'])} runs to {target}")
