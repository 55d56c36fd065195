"""Writes Tests/Fixtures/scenes: small lossless clips with known cuts and what PySceneDetect says about them.

Run once, by hand (PySceneDetect and OpenCV from PyPI, only here):
    pip install scenedetect opencv-python-headless
    python tools/scene_detect_reference.py
The reference's call (tools/scene_cut/scene_detect.py@v1.2.0): detect(path, AdaptiveDetector(adaptive_threshold=3.0),
start_in_scene=True). The clips are FFV1 in Matroska, so every decoder sees the same pixels.
"""
import json
import os
import subprocess

import scenedetect
from scenedetect import AdaptiveDetector, detect

OUT = os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "scenes")

# name -> list of (lavfi source, frames); sides above 256 are downscaled by PySceneDetect (320x240 to 256x192).
CLIPS = {
    "three_scenes": [("testsrc=size=320x240:rate=25", 40), ("color=c=red:size=320x240:rate=25", 30),
                     ("smptebars=size=320x240:rate=25", 50)],
    "no_cut": [("testsrc2=size=264x96:rate=25", 20)],
    "short_scene": [("testsrc=size=272x160:rate=25", 10), ("color=c=0x2060C0:size=272x160:rate=25", 35),
                    ("rgbtestsrc=size=272x160:rate=25", 30)],
    "small": [("color=c=green:size=96x64:rate=12", 20), ("testsrc=size=96x64:rate=12", 24)],
}


def write(name, parts):
    path = os.path.join(OUT, name + ".mkv")
    inputs, filters = [], []
    for i, (src, n) in enumerate(parts):
        inputs += ["-f", "lavfi", "-i", f"{src},trim=end_frame={n},setpts=PTS-STARTPTS,format=rgb24"]
        filters.append(f"[{i}:v]")
    graph = "".join(filters) + f"concat=n={len(parts)}:v=1:a=0[v]"
    subprocess.run(["ffmpeg", "-v", "error", "-y", *inputs, "-filter_complex", graph, "-map", "[v]", "-c:v", "ffv1",
                    "-pix_fmt", "bgr0", path], check=True)
    return path


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {"scenedetect": scenedetect.__version__, "clips": {}}
    for name, parts in CLIPS.items():
        path = write(name, parts)
        scenes = detect(path, AdaptiveDetector(adaptive_threshold=3.0), start_in_scene=True)
        expected["clips"][name] = {
            "file": name + ".mkv",
            "frames": sum(n for _, n in parts),
            "cuts": [s.frame_num for s, _ in scenes[1:]],
            "timestamp": str([(s.get_timecode(), t.get_timecode()) for s, t in scenes]),
        }
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
