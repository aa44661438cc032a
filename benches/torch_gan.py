"""PyTorch peer of `gan-playground bench`: the same configurations (src/core/speed_bench.rs),
same models, loss and optimiser, one D step and one G step per iteration.

Usage: python benches/torch_gan.py --config 2d-default [--seconds 3] [--device cpu]
Prints one JSON line like the CLI's.
"""
import argparse
import json
import math
import struct
import time

import torch
from torch import nn
import torch.nn.functional as F


def mlp(dims, act, out_tanh=False):
    layers = []
    for i, (a, b) in enumerate(zip(dims[:-1], dims[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(dims) - 2:
            layers.append(act())
    if out_tanh:
        layers.append(nn.Tanh())
    return nn.Sequential(*layers)


class ConvG(nn.Module):
    """core/conv.rs: linear -> 32x7x7 -> x2, conv3x3 -> 16x14x14 -> x2, conv3x3 -> 1x28x28."""

    def __init__(self, z):
        super().__init__()
        self.fc = nn.Linear(z, 32 * 49)
        self.c1 = nn.Conv2d(32, 16, 3, padding=1)
        self.c2 = nn.Conv2d(16, 1, 3, padding=1)

    def forward(self, z):
        h = F.leaky_relu(self.fc(z), 0.2).view(-1, 32, 7, 7)
        h = F.leaky_relu(self.c1(F.interpolate(h, scale_factor=2, mode="nearest")), 0.2)
        h = self.c2(F.interpolate(h, scale_factor=2, mode="nearest"))
        return torch.tanh(h).view(-1, 784)


class ConvD(nn.Module):
    """core/conv.rs: conv4x4/2 -> 16x14x14 -> conv4x4/2 -> 32x7x7 -> linear."""

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 4, stride=2, padding=1)
        self.c2 = nn.Conv2d(16, 32, 4, stride=2, padding=1)
        self.fc = nn.Linear(32 * 49, 1)

    def forward(self, x):
        h = F.leaky_relu(self.c1(x.view(-1, 1, 28, 28)), 0.2)
        h = F.leaky_relu(self.c2(h), 0.2)
        return self.fc(h.flatten(1))


def ring8(n, dev):
    k = torch.randint(0, 8, (n,), device=dev).float() * (2 * math.pi / 8)
    centres = torch.stack([torch.cos(k), torch.sin(k)], 1)
    return centres + 0.01 * torch.randn(n, 2, device=dev)


def load_digits(path, dev):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"GANDIGIT":
        raise SystemExit(f"{path}: not a digits file")
    _, n, rows, cols, _ = struct.unpack("<5I", data[8:28])
    pixels = torch.frombuffer(bytearray(data[28 + n:]), dtype=torch.uint8)
    return (pixels.view(n, rows * cols).float() / 127.5 - 1.0).to(dev)


def setup(config, dev, data_dir):
    if config in ("2d-default", "2d-small"):
        h, batch = (32, 256) if config == "2d-default" else (16, 64)
        g = mlp([2, h, h, 2], nn.ReLU)
        d = mlp([2, h, h, 1], nn.ReLU)
        real = lambda: ring8(batch, dev)
        z_dim, lr = 2, 1e-3
    else:
        digits = load_digits(f"{data_dir}/train.digits", dev)
        batch, z_dim, lr = 64, 64, 2e-4
        leaky = lambda: nn.LeakyReLU(0.2)
        if config == "mnist-mlp":
            g = mlp([z_dim, 128, 784], leaky, out_tanh=True)
            d = mlp([784, 128, 1], leaky)
        elif config == "mnist-mlp-large":
            g = mlp([z_dim, 512, 512, 784], leaky, out_tanh=True)
            d = mlp([784, 512, 512, 1], leaky)
        elif config == "mnist-conv":
            g, d = ConvG(z_dim), ConvD()
        else:
            raise SystemExit(f"unknown config {config}")
        real = lambda: digits[torch.randint(0, digits.shape[0], (batch,), device=dev)]
    g, d = g.to(dev), d.to(dev)
    opt_g = torch.optim.Adam(g.parameters(), lr=lr, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=lr, betas=(0.5, 0.999))

    def step():
        # D: max E_p log σ(v) + E_q log(1 − σ(v)), i.e. min softplus(−v_real) + softplus(v_fake).
        x = real()
        fake = g(torch.randn(batch, z_dim, device=dev)).detach()
        d_loss = F.softplus(-d(x)).mean() + F.softplus(d(fake)).mean()
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        # G, non-saturating: min −E_q log σ(v) = softplus(−v).
        g_loss = F.softplus(-d(g(torch.randn(batch, z_dim, device=dev)))).mean()
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()

    return step


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--config", required=True)
    p.add_argument("--seconds", type=float, default=3.0)
    p.add_argument("--device", default="cpu")
    p.add_argument("--data-dir", default=".cache/mnist")
    a = p.parse_args()
    dev = torch.device(a.device)
    torch.manual_seed(1)
    step = setup(a.config, dev, a.data_dir)

    def timed(seconds):
        t0, n = time.perf_counter(), 0
        while time.perf_counter() - t0 < seconds:
            step()
            n += 1
        if dev.type == "cuda":
            torch.cuda.synchronize()
        return n, time.perf_counter() - t0

    timed(a.seconds / 10)
    n, secs = timed(a.seconds)
    print(json.dumps({"impl": "pytorch", "config": a.config, "device": a.device,
                      "threads": torch.get_num_threads(), "iterations": n,
                      "seconds": secs, "it_per_s": n / secs, "version": torch.__version__}))


if __name__ == "__main__":
    main()
