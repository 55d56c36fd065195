"""The same decode in PyTorch: diffusers' AutoencoderKL (SDXL config) for the spatial part and the
temporal decoder written in plain torch from spec/vae.md §4 (random weights, fp32, 2 threads). The VAE
training-step benchmark (vae_train_step_torch.py) imports the temporal decoder from here."""
import resource, time
import torch
import torch.nn as nn
import torch.nn.functional as F
from diffusers import AutoencoderKL

torch.set_num_threads(2)
torch.manual_seed(0)

class CausalConv3d(nn.Module):
    def __init__(self, cin, cout, k, stride=1, bias=True):
        super().__init__()
        self.pad = (k // 2, k // 2, k // 2, k // 2, (k - 1) + (1 - stride), 0)
        self.conv = nn.Conv3d(cin, cout, k, stride=(stride, 1, 1), bias=bias)
    def forward(self, x):
        return self.conv(F.pad(x, self.pad))

class ResBlock(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.n1, self.c1 = nn.GroupNorm(32, cin), CausalConv3d(cin, cout, 3, bias=False)
        self.n2, self.c2 = nn.GroupNorm(32, cout), CausalConv3d(cout, cout, 3, bias=False)
        self.c3 = CausalConv3d(cin, cout, 1, bias=False) if cin != cout else None
    def forward(self, x):
        h = self.c2(F.silu(self.n2(self.c1(F.silu(self.n1(x))))))
        return h + (self.c3(x) if self.c3 is not None else x)

class TemporalDecoder(nn.Module):
    def __init__(self, f=128, mult=(1, 2, 2, 4), down=(False, True, True), nres=4):
        super().__init__()
        top = f * mult[-1]
        self.conv1 = CausalConv3d(4, top, 3)
        self.res = nn.ModuleList([ResBlock(top, top) for _ in range(nres)])
        self.levels, self.ups, self.strides = nn.ModuleList(), nn.ModuleList(), []
        prev = top
        for i in reversed(range(len(mult))):
            c = f * mult[i]
            self.levels.append(nn.ModuleList([ResBlock(prev if j == 0 else c, c) for j in range(nres)])); prev = c
            if i > 0:
                s = 2 if down[i - 1] else 1
                self.ups.append(CausalConv3d(c, c * s, 3) if s == 2 else nn.Identity()); self.strides.append(s)
        self.norm, self.out = nn.GroupNorm(32, prev), CausalConv3d(prev, 4, 3)
        self.post_quant = CausalConv3d(4, 4, 1)
    def forward(self, z, num_frames):
        x = self.conv1(self.post_quant(z))
        for r in self.res: x = r(x)
        for i, level in enumerate(self.levels):
            for r in level: x = r(x)
            if i < len(self.ups):
                x = self.ups[i](x); s = self.strides[i]
                if s > 1:
                    B, C, T, H, W = x.shape
                    x = x.view(B, C // s, s, T, H, W).permute(0, 1, 3, 2, 4, 5).reshape(B, C // s, T * s, H, W)
        x = self.out(F.silu(self.norm(x)))
        pad = (4 - num_frames % 4) % 4
        return x[:, :, pad:]

if __name__ == "__main__":
    spatial = AutoencoderKL(block_out_channels=[128, 256, 512, 512], layers_per_block=2, latent_channels=4,
                            down_block_types=["DownEncoderBlock2D"] * 4, up_block_types=["UpDecoderBlock2D"] * 4).eval()
    temporal = TemporalDecoder().eval()
    z = torch.randn(1, 4, 15, 30, 53)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with torch.no_grad():
        t0 = time.perf_counter()
        chunks, remaining = [], 51
        for s in range(0, 15, 5):
            chunks.append(temporal(z[:, :, s:s + 5], min(17, remaining))); remaining -= 17
        xz = torch.cat(chunks, dim=2)
        frames = xz.permute(0, 2, 1, 3, 4).reshape(-1, 4, 30, 53) / 0.18215
        out = torch.cat([spatial.decode(frames[i:i + 4]).sample for i in range(0, frames.shape[0], 4)])
        dt = time.perf_counter() - t0
    print("torch decode_s=%.1f peak_rss_mb=%.0f rss_before_decode_mb=%.0f shape=%s" % (
        dt, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, base, list(out.shape)))
