#!/usr/bin/env python3
"""Writes Tests/Fixtures/flow: image pairs and what OpenCV's Farneback optical flow says about them.

The reference's camera-motion tool (tools/caption/camera_motion_detect.py@v1.2.0) calls
cv2.calcOpticalFlowFarneback(prev, next, None, 0.5, 3, 15, 3, 5, 1.2, 0) on 8-bit gray frames; ours is a native
port, checked against these. Run once, by hand, with OpenCV from PyPI (only here, never a dependency):

    .venv-bench/bin/python tools/make_flow_fixtures.py

Output: Tests/Fixtures/flow/farneback.safetensors with, per case, `<case>.prev` and `<case>.next` (the uint8 frames
as float32, [H, W]) and `<case>.flow` ([H, W, 2], OpenCV's result); metadata lists the cases and OpenCV's version.
"""
import json
import pathlib

import cv2
import numpy as np
from safetensors.numpy import save_file

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "flow"


def texture(rng, h, w):
    """Smooth random texture (blurred noise), so Farneback's polynomials have something to fit."""
    noise = rng.uniform(0, 255, size=(h, w)).astype(np.float32)
    return cv2.GaussianBlur(noise, (0, 0), 2.0)


def warp(img, matrix, h, w):
    return cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)


def to_u8(img):
    lo, hi = img.min(), img.max()
    return np.clip((img - lo) / (hi - lo) * 255 + 0.5, 0, 255).astype(np.uint8)


def main():
    rng = np.random.default_rng(2024)
    cases = {}
    # name: (height, width, affine map of the second frame)
    specs = {
        "shift": (128, 160, np.float32([[1, 0, 3.0], [0, 1, -2.0]])),
        "odd_sizes": (100, 130, np.float32([[1, 0, 1.5], [0, 1, 0.5]])),
        "zoom": (96, 96, cv2.getRotationMatrix2D((48, 48), 0, 1.06).astype(np.float32)),
        "rotate": (72, 120, cv2.getRotationMatrix2D((60, 36), 3, 1.0).astype(np.float32)),
        "small": (40, 48, np.float32([[1, 0, -1.0], [0, 1, 1.0]])),
    }
    tensors = {}
    for name, (h, w, m) in specs.items():
        base = texture(rng, h, w)
        prev = to_u8(base)
        nxt = to_u8(warp(base, m, h, w))
        flow = cv2.calcOpticalFlowFarneback(prev, nxt, None, 0.5, 3, 15, 3, 5, 1.2, 0)
        tensors[f"{name}.prev"] = prev.astype(np.float32)
        tensors[f"{name}.next"] = nxt.astype(np.float32)
        tensors[f"{name}.flow"] = np.ascontiguousarray(flow.astype(np.float32))
        cases[name] = [h, w]
    OUT.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(OUT / "farneback.safetensors"),
              metadata={"cases": json.dumps(cases), "opencv": cv2.__version__,
                        "call": "calcOpticalFlowFarneback(prev, next, None, 0.5, 3, 15, 3, 5, 1.2, 0)"})
    print("wrote", OUT / "farneback.safetensors", {k: v for k, v in cases.items()})


if __name__ == "__main__":
    main()
