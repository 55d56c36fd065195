"""One VAE training step (stage 3, no perceptual term) in PyTorch, next to Benchmarks/VAETrainStep:
diffusers' AutoencoderKL (SDXL config) for the spatial VAE, the temporal VAE (encoder + decoder) in plain
torch from opensora/models/vae/vae_temporal.py@v1.2.0 (the decoder as in Benchmarks/vae_decode_torch.py),
VideoAutoencoderPipeline.forward's cal_loss path and VAELoss (L1 NLL with logvar 0, summed / frames, plus
1e-6 x KL of the last temporal posterior); random weights, fp32, 2 threads, autograd over every parameter.
One step, no warm-up. `vae_train_step_torch.py [frames] [height] [width]`."""
import resource, sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F
from diffusers import AutoencoderKL

torch.set_num_threads(2)
torch.manual_seed(0)
frames, height, width = (int(a) for a in (sys.argv[1:] + ["17", "256", "256"][len(sys.argv) - 1:])[:3])

from vae_decode_torch import CausalConv3d, ResBlock, TemporalDecoder

class TemporalEncoder(nn.Module):
    def __init__(self, f=128, mult=(1, 2, 2, 4), down=(False, True, True), nres=4):
        super().__init__()
        self.conv_in = CausalConv3d(4, f, 3, bias=False)
        self.levels, self.downs = nn.ModuleList(), nn.ModuleList()
        prev = f
        for i, m in enumerate(mult):
            c = f * m
            self.levels.append(nn.ModuleList([ResBlock(prev if j == 0 else c, c) for j in range(nres)])); prev = c
            if i < len(mult) - 1:
                self.downs.append(CausalConv3d(prev, c, 3, stride=2) if down[i] else nn.Identity())
        self.res = nn.ModuleList([ResBlock(prev, prev) for _ in range(nres)])
        self.norm, self.conv2 = nn.GroupNorm(32, prev), CausalConv3d(prev, 8, 1)
        self.quant = CausalConv3d(8, 8, 1)
    def forward(self, x):
        pad = (4 - x.shape[2] % 4) % 4
        x = self.conv_in(F.pad(x, (0, 0, 0, 0, pad, 0)))
        for i, level in enumerate(self.levels):
            for r in level: x = r(x)
            if i < len(self.downs): x = self.downs[i](x)
        for r in self.res: x = r(x)
        return self.quant(self.conv2(F.silu(self.norm(x))))

def gaussian(moments):
    mean, logvar = moments.chunk(2, dim=1)
    logvar = logvar.clamp(-30.0, 20.0)
    return mean, logvar

spatial = AutoencoderKL(block_out_channels=[128, 256, 512, 512], layers_per_block=2, latent_channels=4,
                        down_block_types=["DownEncoderBlock2D"] * 4, up_block_types=["UpDecoderBlock2D"] * 4).train()
encoder, decoder = TemporalEncoder().train(), TemporalDecoder().train()
params = [p for m in (spatial, encoder, decoder) for p in m.parameters()]
x = torch.rand(1, 3, frames, height, width) * 2 - 1
h, w = height // 8, width // 8
latent_frames = sum((min(17, frames - s) + 3) // 4 for s in range(0, frames, 17))
spatial_noise, temporal_noise = torch.randn(1, 4, frames, h, w), torch.randn(1, 4, latent_frames, h, w)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def step():
    # spatial encode in micro-batches of 4 frames: moments -> sample * 0.18215
    fr = x.permute(0, 2, 1, 3, 4).reshape(-1, 3, height, width)
    moments = torch.cat([spatial.quant_conv(spatial.encoder(fr[i:i + 4])) for i in range(0, fr.shape[0], 4)])
    mean, logvar = gaussian(moments)
    xz = (mean + torch.exp(0.5 * logvar) * spatial_noise[0].permute(1, 0, 2, 3)) * 0.18215
    xz = xz.reshape(1, frames, 4, h, w).permute(0, 2, 1, 3, 4)
    zs, offset = [], 0
    for s in range(0, frames, 17):
        mean, logvar = gaussian(encoder(xz[:, :, s:s + 17]))
        n = mean.shape[2]
        zs.append(mean + torch.exp(0.5 * logvar) * temporal_noise[:, :, offset:offset + n]); offset += n
    z = torch.cat(zs, dim=2)
    pieces, remaining = [], frames
    for i, s in enumerate(range(0, z.shape[2], 5)):
        pieces.append(decoder(z[:, :, s:s + 5], min(17, remaining))); remaining -= 17
    xzr = torch.cat(pieces, dim=2)
    fz = xzr.permute(0, 2, 1, 3, 4).reshape(-1, 4, h, w) / 0.18215
    rec = torch.cat([spatial.decoder(spatial.post_quant_conv(fz[i:i + 4])) for i in range(0, fz.shape[0], 4)])
    real = x.permute(0, 2, 1, 3, 4).reshape(-1, 3, height, width)
    nll = (real - rec).abs().sum() / real.shape[0]
    kl = 0.5 * (mean.pow(2) + logvar.exp() - 1.0 - logvar).sum() * 1e-6
    loss = nll + kl
    loss.backward()
    return loss

t0 = time.perf_counter()
loss = step()
dt = time.perf_counter() - t0
print("torch step_s=%.1f loss=%.4g grads=%d peak_rss_mb=%.0f rss_before_step_mb=%.0f shape=%dx%dx%d" % (
    dt, loss.item(), sum(p.grad is not None for p in params), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, base,
    frames, height, width))
