#!/usr/bin/env python3
"""The aesthetic scorer's per-clip work on the reference's side, and the random full-size weights both sides load.

Run by Benchmarks/data-aesthetic.sh with .venv-bench (torch, transformers, opencv-python, pillow; never runtime
dependencies):
  data_aesthetic_reference.py make FOLDER        a randomly initialised transformers CLIPModel of ViT-L/14's layout
                                                 (config.json + model.safetensors) and an aesthetic MLP aesthetic.pth
  data_aesthetic_reference.py time FOLDER THREADS BATCH CLIP...   ->  one JSON line {"seconds", "clips"}
The timed part is what tools/scoring/aesthetic/inference.py does per clip: frames at 10/50/90 % read with OpenCV,
OpenAI-CLIP preprocessing with PIL (bicubic short side 224, centre crop, CLIP mean/std), image features in batches of
BATCH frames, L2-normalised, the MLP, the mean per clip — in fp32 on the CPU with THREADS torch threads.
"""
import json
import pathlib
import sys
import time

import cv2
import numpy as np
import torch
from PIL import Image

MEAN = np.array([0.48145466, 0.4578275, 0.40821073], np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], np.float32)


def mlp():
    return torch.nn.Sequential(torch.nn.Linear(768, 1024), torch.nn.Dropout(0.2), torch.nn.Linear(1024, 128),
                               torch.nn.Dropout(0.2), torch.nn.Linear(128, 64), torch.nn.Dropout(0.1),
                               torch.nn.Linear(64, 16), torch.nn.Linear(16, 1))


def make(folder):
    from transformers import CLIPConfig, CLIPModel
    torch.manual_seed(0)
    config = CLIPConfig(text_config=dict(hidden_size=768, intermediate_size=3072, num_attention_heads=12, num_hidden_layers=12,
                                         projection_dim=768),
                        vision_config=dict(hidden_size=1024, intermediate_size=4096, num_attention_heads=16, num_hidden_layers=24,
                                           patch_size=14, image_size=224, projection_dim=768),
                        projection_dim=768)
    model = CLIPModel(config).eval()
    model.save_pretrained(folder, safe_serialization=True)
    head = mlp()
    torch.save({f"layers.{k}": v for k, v in head.state_dict().items()}, pathlib.Path(folder) / "aesthetic.pth")


def frames(path):
    cap = cv2.VideoCapture(path)
    n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    out = []
    for p in (0.1, 0.5, 0.9):
        cap.set(cv2.CAP_PROP_POS_FRAMES, min(int(p * n), n - 1))
        ok, f = cap.read()
        out.append(cv2.cvtColor(f, cv2.COLOR_BGR2RGB))
    return out


def preprocess(rgb):
    img = Image.fromarray(rgb)
    w, h = img.size
    s = 224 / min(w, h)
    img = img.resize((max(224, round(w * s)), max(224, round(h * s))), Image.BICUBIC)
    w, h = img.size
    left, top = int(round((w - 224) / 2)), int(round((h - 224) / 2))
    a = np.asarray(img.crop((left, top, left + 224, top + 224)), np.float32) / 255
    return ((a - MEAN) / STD).transpose(2, 0, 1)


def time_clips(folder, threads, batch, clips):
    from transformers import CLIPModel
    torch.set_num_threads(threads)
    model = CLIPModel.from_pretrained(folder).eval()
    head = mlp()
    head.load_state_dict({k[len("layers."):]: v for k, v in torch.load(pathlib.Path(folder) / "aesthetic.pth").items()})
    with torch.no_grad():
        model.get_image_features(pixel_values=torch.zeros(1, 3, 224, 224))  # first-call set-up outside the timing
        start = time.perf_counter()
        pixels = np.stack([preprocess(f) for c in clips for f in frames(c)])
        scores = []
        for i in range(0, len(pixels), batch):
            e = model.get_image_features(pixel_values=torch.from_numpy(pixels[i:i + batch]))
            e = e if torch.is_tensor(e) else e.pooler_output
            scores.append(head(e / e.norm(dim=-1, keepdim=True)))
        torch.cat(scores).view(len(clips), 3).mean(1)
        seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "clips": len(clips)}))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2])
    else:
        time_clips(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5:])
