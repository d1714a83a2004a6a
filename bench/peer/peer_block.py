#!/usr/bin/python3
"""Peer of `clipcl bench block`: one CLIP residual block (pre-LN, nn.MultiheadAttention with packed
in_proj, QuickGELU MLP) in PyTorch on the CPU, float32, same shapes, threads and method:
forward alone under torch.no_grad(), or forward + backward of y with a fixed upstream gradient down to
the parameters and the input (which requires grad), gradients set to None each iteration.
Reports the median, mean and minimum time per iteration; with --json the last line is one JSON object.

Run: env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/peer/peer_block.py --width 768 --heads 12 --seq 50 --batch 8 --threads 2 [--backward] [--json]
"""
import argparse
import json
import os
import statistics
import time
from collections import OrderedDict

import torch
from torch import nn


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head, batch_first=True)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(d_model * 4, d_model)),
        ]))
        self.ln_2 = nn.LayerNorm(d_model)

    def forward(self, x, mask=None):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=mask)[0]
        return x + self.mlp(self.ln_2(x))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--width", type=int, default=768)
    ap.add_argument("--heads", type=int, default=12)
    ap.add_argument("--seq", type=int, default=50)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=torch.get_num_threads())
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--warmup-seconds", type=float, default=1.0)
    ap.add_argument("--backward", action="store_true")
    ap.add_argument("--causal", action="store_true")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    block = ResidualAttentionBlock(a.width, a.heads).train(a.backward)
    x = torch.rand(a.batch, a.seq, a.width) * 2 - 1
    dy = torch.rand(a.batch, a.seq, a.width) * 2 - 1
    mask = torch.full((a.seq, a.seq), float("-inf")).triu_(1) if a.causal else None

    def iteration():
        if a.backward:
            xv = x.clone().requires_grad_(True)
            y = block(xv, mask)
            y.backward(dy)
            block.zero_grad(set_to_none=True)
        else:
            with torch.no_grad():
                block(x, mask)

    t_end = time.perf_counter() + a.warmup_seconds
    n = 0
    while n < 5 or time.perf_counter() < t_end:
        iteration()
        n += 1
    times = []
    t0 = time.perf_counter()
    while len(times) < 3 or time.perf_counter() - t0 < a.seconds:
        s = time.perf_counter()
        iteration()
        times.append(time.perf_counter() - s)
    med, mean, best = statistics.median(times) * 1e3, statistics.mean(times) * 1e3, min(times) * 1e3
    # Debian's torch calls whatever libblas.so.3 the system provides (netlib's reference BLAS unless
    # OpenBLAS is installed); say which, since it decides most of this timing.
    blas = next((p.split("=", 1)[1] for p in torch.__config__.show().replace(",", " ").split() if p.startswith("BLAS_INFO=")), "?")
    libblas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3") if os.path.exists("/usr/lib/x86_64-linux-gnu/libblas.so.3") else "?"
    flops = 24.0 * a.batch * a.seq * a.width * a.width + 4.0 * a.batch * a.seq * a.seq * a.width
    if a.backward:
        flops *= 3
    what = "forward+backward" if a.backward else "forward"
    if a.json:
        print(json.dumps({"bench": "block", "peer": "pytorch", "torch": torch.__version__, "width": a.width, "heads": a.heads,
                          "seq": a.seq, "batch": a.batch, "backward": a.backward, "causal": a.causal, "threads": a.threads,
                          "blas_info": blas, "libblas": libblas, "iters": len(times), "ms_per_iter": round(med, 4), "ms_mean": round(mean, 4), "ms_min": round(best, 4),
                          "gflops": round(flops / (med * 1e-3) / 1e9, 2)}))
    else:
        print(f"pytorch {torch.__version__} block width {a.width} heads {a.heads} seq {a.seq} batch {a.batch} {what}"
              f"{' causal' if a.causal else ''} threads {a.threads}: {med:.3f} ms/iter median (mean {mean:.3f}, min {best:.3f}, "
              f"{len(times)} iters, {flops / (med * 1e-3) / 1e9:.1f} GFLOP/s; BLAS {blas}: {libblas})")


if __name__ == "__main__":
    main()
