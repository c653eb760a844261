#!/usr/bin/python3
"""Trains the side cameras' monocular depth network and exports it as ONNX.

Input: shards written by render_depth_dataset.ts (images.u8, depth.f32, meta.json).
Output: an ONNX model, image [1, 3, H, W] (RGB, ImageNet-normalised, as MonoDepthAdapter feeds
it) -> inverse_depth [1, 1, H/2, W/2] in 1/m for the side cameras' mount (about 0.5 m up,
level); the pipeline refines its scale against the ground plane (scale_recovery.ts).

The network is a small U-Net of 3x3 Conv + Relu, nearest Resize and Concat only (operators an
NPU compiler such as DX-COM maps directly), static shapes, opset 13.

Run with Debian's torch (/usr/bin/python3: python3-torch, python3-onnx):
  /usr/bin/python3 training/train_mono_depth.py --data DIR --out models/mono_depth_side.onnx
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

MEAN = torch.tensor([123.675, 116.28, 103.53]).view(1, 3, 1, 1)
STD = torch.tensor([58.395, 57.12, 57.375]).view(1, 3, 1, 1)
ALLOWED_OPS = {"Conv", "Relu", "Concat", "Resize", "Constant"}


def conv(cin, cout, stride=1):
    # Batch norm makes the 17-layer plain net train in a few epochs; export folds it into the
    # convolution (fold_batch_norm), so the graph keeps Conv + Relu only.
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride, 1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


def fold_batch_norm(module):
    """Replaces every Conv2d + BatchNorm2d pair of `module` (in eval mode) by one Conv2d."""
    for name, child in module.named_children():
        if isinstance(child, nn.Sequential) and len(child) >= 2 and isinstance(child[0], nn.Conv2d) and isinstance(child[1], nn.BatchNorm2d):
            fused = torch.nn.utils.fusion.fuse_conv_bn_eval(child[0], child[1])
            setattr(module, name, nn.Sequential(fused, *list(child)[2:]))
        else:
            fold_batch_norm(child)


class SideDepthNet(nn.Module):
    """Encoder at 1/2..1/16 resolution, decoder back to 1/2 with skip connections."""

    def __init__(self, widths=(16, 32, 48, 64)):
        super().__init__()
        a, b, c, d = widths
        self.e1 = nn.Sequential(conv(3, a, 2), conv(a, a))
        self.e2 = nn.Sequential(conv(a, b, 2), conv(b, b))
        self.e3 = nn.Sequential(conv(b, c, 2), conv(c, c))
        self.e4 = nn.Sequential(conv(c, d, 2), conv(d, d), conv(d, d))
        self.d3 = nn.Sequential(conv(d + c, c), conv(c, c))
        self.d2 = nn.Sequential(conv(c + b, b), conv(b, b))
        self.d1 = nn.Sequential(conv(b + a, a), conv(a, a))
        # A linear head: a Relu here stops the gradient wherever it outputs 0, and such pixels
        # never recover. Non-positive output means "no depth" to the pipeline (applyScaleShift).
        self.head = nn.Conv2d(a, 1, 3, 1, 1)
        nn.init.constant_(self.head.bias, 0.3)

    def forward(self, x):
        up = lambda t: F.interpolate(t, scale_factor=2.0, mode="nearest")
        x1 = self.e1(x)
        x2 = self.e2(x1)
        x3 = self.e3(x2)
        x4 = self.e4(x3)
        y = self.d3(torch.cat([up(x4), x3], 1))
        y = self.d2(torch.cat([up(y), x2], 1))
        y = self.d1(torch.cat([up(y), x1], 1))
        return self.head(y)


def load_shards(root, split):
    images, depths, meta = [], [], None
    for name in sorted(os.listdir(root)):
        path = os.path.join(root, name)
        if not name.startswith(split + "_") or not os.path.isdir(path):
            continue
        with open(os.path.join(path, "meta.json")) as f:
            meta = json.load(f)
        n, h, w = meta["count"], meta["height"], meta["width"]
        images.append(np.fromfile(os.path.join(path, "images.u8"), dtype=np.uint8).reshape(n, 3, h, w))
        depths.append(np.fromfile(os.path.join(path, "depth.f32"), dtype="<f4").reshape(n, h, w))
    if not images:
        sys.exit(f"train_mono_depth: no {split}_* shards under {root}; run render_depth_dataset.ts first")
    return np.concatenate(images), np.concatenate(depths), meta


def target_inverse(depth):
    """Ground truth at the output's half resolution: mean inverse depth of each 2x2 block."""
    inv = 1.0 / depth.clamp(min=0.05)
    return F.avg_pool2d(inv, 2)


def loss_fn(pred, inv):
    # L1 of the relative inverse-depth error (the same weight near and far, and a gradient for
    # every pixel, also where the prediction is negative) plus the same on horizontal and
    # vertical differences, which sharpens object edges against the background.
    diff = (pred - inv) / inv
    grad = (diff[..., :, 1:] - diff[..., :, :-1]).abs().mean() + (diff[..., 1:, :] - diff[..., :-1, :]).abs().mean()
    return diff.abs().mean() + 0.5 * grad


def augment(x, inv, gen):
    if torch.rand(1, generator=gen).item() < 0.5:
        x, inv = x.flip(-1), inv.flip(-1)
    # Exposure and contrast jitter on top of the renderer's per-view lighting.
    gain = 0.8 + 0.4 * torch.rand(x.shape[0], 1, 1, 1, generator=gen)
    bias = 20 * (torch.rand(x.shape[0], 1, 1, 1, generator=gen) - 0.5)
    return (x * gain + bias).clamp(0, 255), inv


def evaluate(net, images, depths, batch=64):
    """abs-rel and delta<1.25 of the raw network (no scale refinement) at output resolution."""
    net.eval()
    absrel, delta, count = 0.0, 0.0, 0
    with torch.no_grad():
        for i in range(0, len(images), batch):
            x = (torch.from_numpy(images[i:i + batch]).float() - MEAN) / STD
            gt = 1.0 / target_inverse(torch.from_numpy(depths[i:i + batch]).unsqueeze(1))
            d = 1.0 / net(x).clamp(min=1e-3)
            m = gt < 20
            absrel += ((d - gt).abs() / gt)[m].sum().item()
            delta += (torch.max(d / gt, gt / d)[m] < 1.25).float().sum().item()
            count += m.sum().item()
    net.train()
    return absrel / count, delta / count


def export(net, path, h, w):
    import onnx

    net.eval()
    fold_batch_norm(net)
    dummy = torch.zeros(1, 3, h, w)
    torch.onnx.export(net, dummy, path, input_names=["image"], output_names=["inverse_depth"], opset_version=13, do_constant_folding=True)
    model = onnx.load(path)
    onnx.checker.check_model(model)
    ops = {n.op_type for n in model.graph.node}
    if not ops <= ALLOWED_OPS:
        sys.exit(f"train_mono_depth: exported graph uses {sorted(ops - ALLOWED_OPS)}; expected only {sorted(ALLOWED_OPS)}")
    model.doc_string = "dx_perception side-camera depth: inverse depth (1/m) for a camera 0.5 m above level ground"
    onnx.save(model, path)
    return sorted(ops)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", required=True, help="folder with train_* (and eval_*) shards")
    p.add_argument("--out", required=True, help="ONNX file to write")
    p.add_argument("--epochs", type=int, default=6)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=18)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()

    torch.manual_seed(a.seed)
    random.seed(a.seed)
    np.random.seed(a.seed)
    torch.set_num_threads(a.threads)
    images, depths, meta = load_shards(a.data, "train")
    h, w = meta["height"], meta["width"]
    held = load_shards(a.data, "eval") if any(n.startswith("eval_") for n in os.listdir(a.data)) else None
    net = SideDepthNet()
    params = sum(t.numel() for t in net.parameters())
    print(f"train_mono_depth: {len(images)} views {w}x{h}, {params} parameters, {a.epochs} epochs", flush=True)
    opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    steps = a.epochs * math.ceil(len(images) / a.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=a.lr, total_steps=steps, pct_start=0.15)
    gen = torch.Generator().manual_seed(a.seed)
    start = time.time()
    for epoch in range(a.epochs):
        order = torch.randperm(len(images), generator=gen)
        total = 0.0
        for i in range(0, len(images), a.batch):
            idx = order[i:i + a.batch].numpy()
            x = torch.from_numpy(images[idx]).float()
            inv = target_inverse(torch.from_numpy(depths[idx]).unsqueeze(1))
            x, inv = augment(x, inv, gen)
            loss = loss_fn(net((x - MEAN) / STD), inv)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
        line = f"epoch {epoch + 1}/{a.epochs}: loss {total / len(images):.4f}, {time.time() - start:.0f} s"
        if held is not None:
            absrel, delta = evaluate(net, held[0], held[1])
            line += f"; held-out raw abs-rel {absrel:.3f}, delta<1.25 {100 * delta:.1f} %"
        print(line, flush=True)
    ops = export(net, a.out, h, w)
    print(f"train_mono_depth: wrote {a.out} ({os.path.getsize(a.out)} bytes, operators {', '.join(ops)})")


if __name__ == "__main__":
    main()
