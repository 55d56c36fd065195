#!/usr/bin/env python3
"""Writes the CLIP parity fixtures (aesthetic and matching scores, spec/tools.md §6, §9): a small
transformers.CLIPModel with seeded random weights (patch 14 like ViT-L/14, image size 56, hidden 32),
a small aesthetic MLP of the improved-aesthetic-predictor's nn.Sequential layout (Linear, Dropout,
Linear, Dropout, Linear, Dropout, Linear, Linear) whose input is the projection dim, a tiny CLIP BPE
vocabulary learnt from the prompts, and the reference outputs.

Preprocessing is OpenAI clip's `_transform` written with PIL (torchvision's Resize(n, BICUBIC) on a
PIL image: short side n, long side int(n·long/short), Image.BICUBIC; CenterCrop: top/left
int(round((size − n)/2)); /255; CLIP mean/std). Text is tokenized by transformers' CLIPTokenizer
(with ftfy) and truncated to 77; the pooled text feature is taken at the end token. Installs
nothing; run once with torch, transformers, ftfy, safetensors (e.g. the bench venv); the output is
committed:

    .venv-bench/bin/python tools/make_clip_fixtures.py

Outputs in Tests/Fixtures/clip/:
  model.safetensors, config.json   the CLIPModel (Hugging Face key names)
  vocab.json, merges.txt           the tokenizer files, CLIP's layout
  aesthetic.pth                    the MLP state_dict as torch.save writes it (layers.0 … layers.7)
  reference.safetensors            image<i> (uint8 HWC), pixels<i>, image_embeds, normalized_embeds,
                                   aesthetic, input_ids, text_embeds, logits (image × text)
  prompts.json                     the prompts, in order
"""
import collections, json, pathlib
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from safetensors.torch import save_file
from transformers import CLIPConfig, CLIPModel, CLIPTokenizer

OUT = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "clip"
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
IMAGE_SIZE, PATCH, PROJECTION = 56, 14, 24
IMAGE_SHAPES = [(80, 120), (150, 97), (40, 30)]  # (height, width): shrink landscape, shrink portrait, enlarge
PROMPTS = [
    "a photo of a cat",
    "A DOG, running on the beach!!",
    "café crème & naïve façade — 2024's best?",
    "  multiple   spaces\tand\nnewlines  ",
    " ".join(["the quick brown fox jumps over the lazy dog"] * 12),  # > 77 tokens
]


def bytes_to_unicode():
    """CLIP's (GPT-2's) reversible byte → printable character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def learn_vocab(prompts, merges_count=120):
    """A small BPE vocabulary in CLIP's order: bytes, bytes+</w>, merges, the two special tokens."""
    import regex
    from ftfy import fix_text
    pattern = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""", regex.IGNORECASE)
    table = bytes_to_unicode()
    words = collections.Counter()
    for p in prompts:
        text = " ".join(fix_text(p).split()).lower()
        for token in pattern.findall(text):
            chars = [table[b] for b in token.encode("utf-8")]
            words[tuple(chars[:-1] + [chars[-1] + "</w>"])] += 1
    merges = []
    for _ in range(merges_count):
        pairs = collections.Counter()
        for word, count in words.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] += count
        if not pairs:
            break
        best = max(pairs, key=lambda k: (pairs[k], k))
        merges.append(best)
        merged = collections.Counter()
        for word, count in words.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and (word[i], word[i + 1]) == best:
                    out.append(word[i] + word[i + 1])
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] += count
        words = merged
    vocab = list(table.values())
    vocab += [v + "</w>" for v in vocab]
    vocab += ["".join(m) for m in merges]
    vocab += ["<|startoftext|>", "<|endoftext|>"]
    return {v: i for i, v in enumerate(vocab)}, merges


def preprocess(image, n=IMAGE_SIZE):
    """OpenAI clip's _transform(n) on a PIL RGB image, as [3, n, n] float32."""
    w, h = image.size
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = n, int(n * long / short)
    size = (new_short, new_long) if w <= h else (new_long, new_short)
    image = image.resize(size, Image.BICUBIC)
    w, h = image.size
    top, left = int(round((h - n) / 2.0)), int(round((w - n) / 2.0))
    image = image.crop((left, top, left + n, top + n))
    x = torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0).permute(2, 0, 1)
    return (x - torch.tensor(MEAN)[:, None, None]) / torch.tensor(STD)[:, None, None]


class AestheticMLP(nn.Module):
    """improved-aesthetic-predictor's MLP (768→1024→128→64→16→1 at full size; here d→40→20→12→8→1),
    no activations; its state_dict keys are layers.0/2/4/6/7.*"""

    def __init__(self, d):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(d, 40), nn.Dropout(0.2), nn.Linear(40, 20), nn.Dropout(0.2),
                                    nn.Linear(20, 12), nn.Dropout(0.1), nn.Linear(12, 8), nn.Linear(8, 1))

    def forward(self, x):
        return self.layers(x)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    vocab, merges = learn_vocab(PROMPTS)
    (OUT / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
    (OUT / "merges.txt").write_text("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))
    tokenizer = CLIPTokenizer(str(OUT / "vocab.json"), str(OUT / "merges.txt"))
    end = vocab["<|endoftext|>"]
    config = CLIPConfig(
        text_config=dict(vocab_size=len(vocab), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, max_position_embeddings=77, hidden_act="quick_gelu",
                         bos_token_id=vocab["<|startoftext|>"], eos_token_id=end, pad_token_id=end),
        vision_config=dict(hidden_size=48, intermediate_size=96, num_hidden_layers=2, num_attention_heads=4,
                           image_size=IMAGE_SIZE, patch_size=PATCH, hidden_act="quick_gelu"),
        projection_dim=PROJECTION)
    model = CLIPModel(config).eval()
    with torch.no_grad():  # random, non-trivial norms and biases (transformers initialises them to 1 and 0)
        for name, p in model.named_parameters():
            if "norm" in name or "layrnorm" in name:
                p.copy_((1 + 0.2 * torch.randn_like(p)) if name.endswith("weight") else 0.1 * torch.randn_like(p))
            elif name.endswith("bias"):
                p.copy_(0.05 * torch.randn_like(p))
        model.logit_scale.fill_(float(np.log(100.0)))
    model.save_pretrained(OUT, safe_serialization=True)
    head = AestheticMLP(PROJECTION).eval()
    torch.save(head.state_dict(), OUT / "aesthetic.pth")

    rng = np.random.default_rng(0)
    tensors = {}
    images = []
    for i, (h, w) in enumerate(IMAGE_SHAPES):
        # smooth gradients plus noise, so resampling has structure to get right
        yy, xx = np.mgrid[0:h, 0:w]
        base = np.stack([xx * 255 / w, yy * 255 / h, (xx + yy) * 127 / (h + w)], -1)
        image = np.clip(base + rng.normal(0, 40, base.shape), 0, 255).astype(np.uint8)
        tensors[f"image{i}"] = torch.from_numpy(image)
        images.append(preprocess(Image.fromarray(image, "RGB")))
        tensors[f"pixels{i}"] = images[-1]
    pixels = torch.stack(images)
    ids = tokenizer(PROMPTS, padding="max_length", max_length=77, truncation=True, return_tensors="pt").input_ids
    with torch.no_grad():
        image_embeds = model.get_image_features(pixel_values=pixels)
        if not torch.is_tensor(image_embeds):
            image_embeds = image_embeds.pooler_output
        text_embeds = model.get_text_features(input_ids=ids)
        if not torch.is_tensor(text_embeds):
            text_embeds = text_embeds.pooler_output
        normalized = image_embeds / image_embeds.norm(dim=-1, keepdim=True)
        aesthetic = head(normalized).squeeze(-1)
        text_normalized = text_embeds / text_embeds.norm(dim=-1, keepdim=True)
        logits = model.logit_scale.exp() * normalized @ text_normalized.T
        # the pooled feature is at the end token (eos position == argmax for CLIP's vocab, end = max id)
        assert (ids.argmax(-1) == (ids == end).int().argmax(-1)).all()
    tensors.update(image_embeds=image_embeds, normalized_embeds=normalized, aesthetic=aesthetic,
                   input_ids=ids.to(torch.int32), text_embeds=text_embeds, logits=logits)
    save_file({k: v.contiguous() for k, v in tensors.items()}, OUT / "reference.safetensors",
              metadata={"source": "transformers CLIPModel, tools/make_clip_fixtures.py", "rtol": "1e-4"})
    (OUT / "prompts.json").write_text(json.dumps(PROMPTS, ensure_ascii=False, indent=1))
    print({k: tuple(v.shape) for k, v in tensors.items()})
    print("aesthetic", aesthetic.tolist())
    print("ids0", ids[0, :12].tolist())


if __name__ == "__main__":
    main()
