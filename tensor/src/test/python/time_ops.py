#!/usr/bin/env python3
"""PyTorch CPU peer of clipcl.tensor.cpu.VecOpsTiming: min and median microseconds per call of softmax,
layer_norm and gelu on CLIP ViT-B/32 shapes (batch 8). Run with OPENBLAS_CORETYPE unset:
  env -u OPENBLAS_CORETYPE /usr/bin/python3 tensor/src/test/python/time_ops.py [threads] [reps]
"""
import sys
import time

import torch
import torch.nn.functional as F

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 200
torch.set_num_threads(threads)
g = torch.Generator().manual_seed(0)
att = torch.randn(8 * 12 * 50, 50, generator=g) * 3
x = torch.randn(400, 768, generator=g)
w, b = torch.randn(768, generator=g) * 0.1 + 1, torch.randn(768, generator=g) * 0.1
h = torch.randn(400, 3072, generator=g)


def micros(f):
    """(min, median) microseconds per call after a warm-up."""
    for _ in range(max(50, reps)):
        f()
    t = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        f()
        t.append((time.perf_counter_ns() - t0) / 1e3)
    t.sort()
    return t[0], t[len(t) // 2]


print(f"torch {torch.__version__}, threads {torch.get_num_threads()}")
for name, f in [("softmax [4800,50]", lambda: torch.softmax(att, -1)),
                ("layer_norm [400,768]", lambda: F.layer_norm(x, (768,), w, b, 1e-5)),
                ("gelu [400,3072]", lambda: F.gelu(h)),
                ("quick_gelu [400,3072]", lambda: h * torch.sigmoid(1.702 * h)),
                ("add row-bcast [400,3072]", lambda: h + h[0]),
                ("exp [400,3072]", lambda: torch.exp(h))]:
    lo, med = micros(f)
    print(f"{name:28s} min {lo:9.1f} us  median {med:9.1f} us")
