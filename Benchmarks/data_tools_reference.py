#!/usr/bin/env python3
"""The reference's per-clip work for `data info`, `scene-detect` and `motion`, timed on the same clips as ours.

Run by Benchmarks/data-tools.sh with .venv-bench (scenedetect, opencv-python, torch; never runtime dependencies):
    data_tools_reference.py TOOL WORKERS CLIP...   ->  prints one JSON line {"tool", "seconds", "clips"}
  info          every frame decoded with OpenCV, frame count, size and rate (datautil --info decodes every frame)
  scene-detect  scenedetect.detect(path, AdaptiveDetector(adaptive_threshold=3.0), start_in_scene=True)
  motion        frames 0/10/20/30, landscape, 320x576 bilinear align_corners, cv2.calcOpticalFlowFarneback
                (0.5, 3, 15, 3, 5, 1.2, 0) per pair on gray frames, mean |flow| - the reference's statistic on the
                flow method of its camera-motion tool, i.e. what `opensora data motion` computes
Clips are spread over WORKERS processes, as pandarallel spreads the reference's rows.
"""
import json
import sys
import time
from multiprocessing import Pool

import cv2
import numpy as np


def info(path):
    cap = cv2.VideoCapture(path)
    n = 0
    while True:
        ok, _ = cap.read()
        if not ok:
            break
        n += 1
    return n, cap.get(cv2.CAP_PROP_FRAME_HEIGHT), cap.get(cv2.CAP_PROP_FRAME_WIDTH), cap.get(cv2.CAP_PROP_FPS)


def scene_detect(path):
    from scenedetect import AdaptiveDetector, detect
    return [(a.get_timecode(), b.get_timecode()) for a, b in detect(path, AdaptiveDetector(adaptive_threshold=3.0), start_in_scene=True)]


def motion(path):
    import torch
    import torch.nn.functional as F
    cap = cv2.VideoCapture(path)
    frames = []
    while len(frames) <= 30:
        ok, f = cap.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(f, cv2.COLOR_BGR2GRAY))
    picked = [frames[min(i, len(frames) - 1)] for i in (0, 10, 20, 30)]
    t = torch.from_numpy(np.stack(picked)).float()[:, None]
    if t.shape[2] > t.shape[3]:
        t = t.transpose(2, 3)
    t = F.interpolate(t, size=(320, 576), mode="bilinear", align_corners=True)[:, 0].numpy()
    flows = [cv2.calcOpticalFlowFarneback(t[i], t[i + 1], None, 0.5, 3, 15, 3, 5, 1.2, 0) for i in range(3)]
    return float(np.abs(np.stack(flows)).mean())


TOOLS = {"info": info, "scene-detect": scene_detect, "motion": motion}


def init():
    cv2.setNumThreads(1)
    import torch
    torch.set_num_threads(1)


def main():
    tool, workers, clips = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    with Pool(workers, initializer=init) as pool:
        pool.map(TOOLS[tool], clips[:1])  # imports and first-call set-up outside the timing, in every worker
        pool.map(TOOLS[tool], clips[:workers])
        start = time.perf_counter()
        pool.map(TOOLS[tool], clips, chunksize=1)
        seconds = time.perf_counter() - start
    print(json.dumps({"tool": tool, "seconds": seconds, "clips": len(clips)}))


if __name__ == "__main__":
    main()
