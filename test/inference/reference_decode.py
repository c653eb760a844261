#!/usr/bin/env python3
"""Independent reference decode for the detector tests.

Reads a JSON job list (argv[1]); each job names raw model outputs dumped as float32 files,
the model family, input size, the letterbox/resize transform, thresholds. Decodes each with
plain numpy written from ../shared/models/README.md (not from the TypeScript decoders),
suppresses per class with OpenCV's cv2.dnn.NMSBoxes, maps boxes back to original pixels,
and prints a JSON list of [x1, y1, x2, y2, score, class] lists per job.
"""
import json
import sys

import cv2
import numpy as np


def load(out):
    return np.fromfile(out["file"], dtype=np.float32).reshape(out["dims"])


def yolox(outs, W, H):
    p = load(outs[0])[0]
    grids, strides = [], []
    for s in (8, 16, 32):
        gh, gw = H // s, W // s
        ys, xs = np.meshgrid(np.arange(gh), np.arange(gw), indexing="ij")
        grids.append(np.stack([xs.ravel(), ys.ravel()], 1))
        strides.append(np.full((gh * gw, 1), s))
    g = np.concatenate(grids).astype(np.float32)
    st = np.concatenate(strides).astype(np.float32)
    xy = (p[:, :2] + g) * st
    wh = np.exp(p[:, 2:4]) * st
    scores = p[:, 4:5] * p[:, 5:]
    cls = scores.argmax(1)
    return np.concatenate([xy - wh / 2, xy + wh / 2], 1), scores.max(1), cls


def nanodet(outs, W, H, offset):
    by_name = {o["name"]: load(o)[0] for o in outs}
    boxes, scores, classes = [], [], []
    for s in (8, 16, 32):
        cls = by_name[f"cls_pred_stride_{s}"]
        dis = by_name[f"dis_pred_stride_{s}"]
        gw = int(np.ceil(W / s))
        n = cls.shape[0]
        bins = dis.shape[1] // 4
        d = dis.reshape(n, 4, bins)
        e = np.exp(d - d.max(2, keepdims=True))
        prob = e / e.sum(2, keepdims=True)
        dist = (prob * np.arange(bins)).sum(2) * s
        idx = np.arange(n)
        cx = (idx % gw + offset) * s
        cy = (idx // gw + offset) * s
        boxes.append(np.stack([cx - dist[:, 0], cy - dist[:, 1], cx + dist[:, 2], cy + dist[:, 3]], 1))
        scores.append(cls.max(1))
        classes.append(cls.argmax(1))
    return np.concatenate(boxes), np.concatenate(scores), np.concatenate(classes)


def fastestdet(outs, W, H):
    p = load(outs[0])[0]  # [85, gh, gw]
    c, gh, gw = p.shape
    result = []
    for gy in range(gh):
        for gx in range(gw):
            v = p[:, gy, gx]
            k = int(np.argmax(v[5:]))
            score = (v[0] ** 0.6) * (v[5 + k] ** 0.4)
            cx = (gx + np.tanh(v[1])) / gw * W
            cy = (gy + np.tanh(v[2])) / gh * H
            w = 1 / (1 + np.exp(-v[3])) * W
            h = 1 / (1 + np.exp(-v[4])) * H
            result.append((cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, score, k))
    a = np.array(result, dtype=np.float64)
    return a[:, :4], a[:, 4], a[:, 5].astype(int)


def run(job):
    W, H = job["inputWidth"], job["inputHeight"]
    kind = job["decoder"]
    if kind == "yolox":
        boxes, scores, classes = yolox(job["outputs"], W, H)
    elif kind == "nanodet":
        boxes, scores, classes = nanodet(job["outputs"], W, H, job["centerOffset"])
    else:
        boxes, scores, classes = fastestdet(job["outputs"], W, H)
    keep_mask = scores >= job["scoreThreshold"]
    boxes, scores, classes = boxes[keep_mask], scores[keep_mask], classes[keep_mask]
    t = job["transform"]
    out = []
    for c in np.unique(classes):
        m = np.where(classes == c)[0]
        rects = [[float(b[0]), float(b[1]), float(b[2] - b[0]), float(b[3] - b[1])] for b in boxes[m]]
        kept = cv2.dnn.NMSBoxes(rects, [float(s) for s in scores[m]], job["scoreThreshold"], job["nmsIouThreshold"])
        for k in np.array(kept).reshape(-1):
            b = boxes[m[k]]
            x1 = np.clip((b[0] - t["padX"]) / t["scaleX"], 0, t["srcWidth"])
            y1 = np.clip((b[1] - t["padY"]) / t["scaleY"], 0, t["srcHeight"])
            x2 = np.clip((b[2] - t["padX"]) / t["scaleX"], 0, t["srcWidth"])
            y2 = np.clip((b[3] - t["padY"]) / t["scaleY"], 0, t["srcHeight"])
            out.append([float(x1), float(y1), float(x2), float(y2), float(scores[m[k]]), int(c)])
    return out


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    print(json.dumps([run(j) for j in jobs]))
