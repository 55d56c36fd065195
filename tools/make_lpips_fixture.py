#!/usr/bin/env python3
"""Writes the LPIPS parity fixture: a narrow VGG-shaped LPIPS (widths [8, 12, 16, 16, 16], the
layer pattern of torchvision's vgg16().features) with seeded random weights, two input cases and
their distances, and the gradient of sum(LPIPS) with respect to the reconstruction.

The network is written here, not imported: it mirrors opensora/models/vae/lpips.py@v1.2.0's
forward exactly (ScalingLayer, the five slices ending at relu1_2 … relu5_3, normalize_tensor,
NetLinLayer heads with Dropout at model.0 in eval mode, spatial_average, the sum over stages),
and its state_dict keys are the reference's. Run once with torch + safetensors (e.g. .venv-bench);
the output is committed:

    .venv-bench/bin/python tools/make_lpips_fixture.py

Outputs in Tests/Fixtures/lpips/:
  lpips_tiny.safetensors  the whole state_dict (reference names) + case<i>.{real,reconstructed,
                          distance,grad_reconstructed}; metadata: chns, tolerances, source
  heads.pth               the lin heads alone, as torch.save writes taming's vgg.pth
"""
import json, pathlib
import torch
import torch.nn as nn
from safetensors.torch import save_file

CHANNELS = [8, 12, 16, 16, 16]
CONVS_PER_STAGE = [2, 2, 3, 3, 3]  # VGG16 ("D"): 13 convolutions


def vgg16_features(channels):
    """torchvision's vgg16().features layout for the given stage widths (without the last pool)."""
    layers, width = [], 3
    for stage, convs in enumerate(CONVS_PER_STAGE):
        if stage > 0:
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
        for _ in range(convs):
            layers += [nn.Conv2d(width, channels[stage], kernel_size=3, padding=1), nn.ReLU(inplace=True)]
            width = channels[stage]
    return layers


class ScalingLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("shift", torch.Tensor([-0.030, -0.088, -0.188])[None, :, None, None])
        self.register_buffer("scale", torch.Tensor([0.458, 0.448, 0.450])[None, :, None, None])

    def forward(self, inp):
        return (inp - self.shift) / self.scale


class VGGSlices(nn.Module):
    BOUNDS = [0, 4, 9, 16, 23, 30]

    def __init__(self, channels):
        super().__init__()
        features = vgg16_features(channels)
        for k in range(5):
            s = nn.Sequential()
            for x in range(self.BOUNDS[k], self.BOUNDS[k + 1]):
                s.add_module(str(x), features[x])
            setattr(self, "slice%d" % (k + 1), s)

    def forward(self, x):
        outs = []
        for k in range(5):
            x = getattr(self, "slice%d" % (k + 1))(x)
            outs.append(x)
        return outs


class NetLinLayer(nn.Module):
    def __init__(self, chn_in):
        super().__init__()
        self.model = nn.Sequential(nn.Dropout(), nn.Conv2d(chn_in, 1, 1, stride=1, padding=0, bias=False))


def normalize_tensor(x, eps=1e-10):
    norm_factor = torch.sqrt(torch.sum(x**2, dim=1, keepdim=True))
    return x / (norm_factor + eps)


def spatial_average(x, keepdim=True):
    return x.mean([2, 3], keepdim=keepdim)


class LPIPS(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.scaling_layer = ScalingLayer()
        self.chns = channels
        self.net = VGGSlices(channels)
        for k, c in enumerate(channels):
            setattr(self, "lin%d" % k, NetLinLayer(c))

    def forward(self, input, target):
        outs0, outs1 = self.net(self.scaling_layer(input)), self.net(self.scaling_layer(target))
        lins = [getattr(self, "lin%d" % k) for k in range(len(self.chns))]
        diffs = [(normalize_tensor(outs0[k]) - normalize_tensor(outs1[k])) ** 2 for k in range(len(self.chns))]
        res = [spatial_average(lins[k].model(diffs[k]), keepdim=True) for k in range(len(self.chns))]
        val = res[0]
        for l in range(1, len(self.chns)):
            val += res[l]
        return val


def main():
    torch.manual_seed(20261201)
    model = LPIPS(CHANNELS).eval()
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.startswith("lin"):
                p.copy_(torch.rand_like(p) * 0.2)  # taming's heads are non-negative
            elif name.endswith("weight"):
                p.copy_(torch.randn_like(p) * (2.0 / (p.shape[1] * 9)) ** 0.5)
            else:  # positive biases keep every pixel's feature vector away from zero
                p.copy_(0.05 + 0.1 * torch.rand_like(p))
    for p in model.parameters():
        p.requires_grad_(False)

    tensors = {k: v.contiguous() for k, v in model.state_dict().items()}
    for i, (n, h, w) in enumerate([(2, 32, 32), (2, 24, 40)]):
        real = torch.rand(n, 3, h, w) * 2 - 1
        rec = (real + 0.5 * (torch.rand(n, 3, h, w) * 2 - 1)).clamp(-1, 1).requires_grad_(True)
        # relu1_2 (8 channels) has pixels whose features are all zero: normalize_tensor's sqrt sends
        # 0/0 back there, which PyTorch's ReLU backward (a select) drops; the gradient stays finite.
        zero = sum(int((f.pow(2).sum(1) == 0).sum()) for x in (real, rec) for f in model.net(model.scaling_layer(x.detach())))
        distance = model(real, rec)
        (grad,) = torch.autograd.grad(distance.sum(), rec)
        assert torch.isfinite(grad).all()
        tensors.update({"case%d.real" % i: real, "case%d.reconstructed" % i: rec.detach(),
                        "case%d.distance" % i: distance.detach(), "case%d.grad_reconstructed" % i: grad})
        print("case%d" % i, tuple(real.shape), distance.flatten().tolist(), "grad max", grad.abs().max().item(),
              "all-zero feature pixels", zero)

    out = pathlib.Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "lpips"
    out.mkdir(parents=True, exist_ok=True)
    meta = {"chns": json.dumps(CHANNELS), "cases": "2", "rtol": "0.0001", "atol": "0.00001",
            "source": "tools/make_lpips_fixture.py, torch %s" % torch.__version__}
    save_file({k: v.contiguous() for k, v in tensors.items()}, str(out / "lpips_tiny.safetensors"), metadata=meta)
    heads = {k: v.clone() for k, v in model.state_dict().items() if k.startswith("lin")}
    torch.save(heads, str(out / "heads.pth"))
    print(sorted(p.name + " %d" % p.stat().st_size for p in out.iterdir()))


if __name__ == "__main__":
    main()
