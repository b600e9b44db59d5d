#!/usr/bin/env python3
"""The seed article's ConvLayer and PoolingLayer in numpy, timed on the shapes `tatami bench` uses.

im2col in the seed's layout (C*FH*FW, B*OH*OW), one matrix product, the reshape/transpose
chain, col2im on the way back; pooling through im2col, argmax and col2im. The pooling gradient
is routed one per row at that row's argmax (the correct form of the seed's fancy-indexing
line). Prints one JSON object keyed like `tatami bench --json`.
"""
import argparse
import json
import time

import numpy as np


def im2col(x, fh, fw, stride, pad):
    """The seed's layout: rows by (c, fh, fw), columns by (b, oh, ow)."""
    B, C, H, W = x.shape
    oh = (H + 2 * pad - fh) // stride + 1
    ow = (W + 2 * pad - fw) // stride + 1
    xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)], "constant")
    cols = np.empty((B, C, fh, fw, oh, ow))
    for h in range(fh):
        h_lim = h + stride * oh
        for w in range(fw):
            w_lim = w + stride * ow
            cols[:, :, h, w, :, :] = xp[:, :, h:h_lim:stride, w:w_lim:stride]
    cols = cols.transpose(1, 2, 3, 0, 4, 5).reshape(C * fh * fw, B * oh * ow)
    return cols, (oh, ow)


def col2im(cols, x_shape, fh, fw, oh, ow, stride, pad):
    """Adds every column's cells back where they came from, then crops the padding."""
    B, C, H, W = x_shape
    cols = cols.reshape(C, fh, fw, B, oh, ow).transpose(3, 0, 1, 2, 4, 5)
    img = np.zeros((B, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))
    for h in range(fh):
        h_lim = h + stride * oh
        for w in range(fw):
            w_lim = w + stride * ow
            img[:, :, h:h_lim:stride, w:w_lim:stride] += cols[:, :, h, w, :, :]
    return img[:, :, pad:H + pad, pad:W + pad]


def conv_fwd_bwd(x, w, b, stride, pad, grad):
    """The seed's plain ConvLayer with the identity activation: forward, then backward."""
    B = x.shape[0]
    M, C, FH, FW = w.shape
    w_mat = w.reshape(M, -1)
    cols, (oh, ow) = im2col(x, FH, FW, stride, pad)
    u = w_mat @ cols + b.reshape(M, 1)
    u = u.reshape(M, B, oh, ow).transpose(1, 0, 2, 3)
    y = u  # identity activation
    dact = grad * 1.0
    dact = dact.transpose(1, 0, 2, 3).reshape(M, -1)
    grad_w = dact @ cols.T
    grad_b = np.sum(dact, axis=1).reshape(M, 1)
    grad_x = w_mat.T @ dact
    dx = col2im(grad_x, x.shape, FH, FW, oh, ow, stride, pad)
    return y, dx, grad_w, grad_b


def pool_fwd_bwd(x, pool, grad_of):
    """The seed's PoolingLayer (max, stride = pool): forward, then backward."""
    B, C, H, W = x.shape
    cols, (oh, ow) = im2col(x, pool, pool, pool, 0)
    rows = cols.T.reshape(B * oh * ow * C, -1)
    max_index = np.argmax(rows, axis=1)
    y = np.max(rows, axis=1).reshape(B, oh, ow, C).transpose(0, 3, 1, 2)
    grad = grad_of(y).transpose(0, 2, 3, 1).reshape(-1, 1)
    grad_x = np.zeros((grad.size, pool * pool))
    grad_x[np.arange(grad.size), max_index] = grad.ravel()
    grad_x = grad_x.reshape(B * oh * ow, C * pool * pool).T
    dx = col2im(grad_x, x.shape, pool, pool, oh, ow, pool, 0)
    return y, dx


def median_seconds(f, iters):
    f()  # warm-up: first-touch page faults and BLAS thread start are not the steady state
    times = []
    for _ in range(iters):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2]


def measure(shape, iters):
    B, C, H, W, M, FH, FW, S, P = shape
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, (B, C, H, W))
    w = rng.uniform(-1, 1, (M, C, FH, FW))
    b = rng.uniform(-1, 1, M)
    oh = (H + 2 * P - FH) // S + 1
    ow = (W + 2 * P - FW) // S + 1
    grad = rng.uniform(-1, 1, (B, M, oh, ow))
    ones = lambda y: np.ones_like(y)
    return {
        "shape": ",".join(map(str, shape)),
        "conv_fwd_bwd_s": median_seconds(lambda: conv_fwd_bwd(x, w, b, S, P, grad), iters),
        "maxpool_fwd_bwd_s": median_seconds(lambda: pool_fwd_bwd(x, 2, ones), iters),
    }


DEFAULT = ["8,3,32,32,16,3,3,1,1", "32,16,28,28,32,3,3,1,1"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--conv", action="append", help="B,C,H,W,M,FH,FW,S,P (repeatable)")
    ap.add_argument("--iters", type=int, default=20)
    args = ap.parse_args()
    shapes = [tuple(int(v) for v in s.split(",")) for s in (args.conv or DEFAULT)]
    results = [measure(s, args.iters) for s in shapes]
    print(json.dumps({"numpy": np.__version__, "iters": args.iters, "shapes": results}))


if __name__ == "__main__":
    main()
