#!/usr/bin/python3
"""Writes autograd/src/test/resources/golden/optim.json: PyTorch's optimizers, gradient clipping and
open_clip's learning-rate schedules on small fixed inputs, for the Java optimizer tests.

Run from the repository root with Debian's python3-torch (1.13):  /usr/bin/python3 tools/reference/make_golden_optim.py
Everything is float32 (PyTorch's defaults); the JSON holds the exact float32 values as doubles.
"""
import json
import math
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "autograd", "src", "test", "resources", "golden", "optim.json")
STEPS = 5
SHAPES = {"a.weight": [3, 5], "a.bias": [7]}


def det(shape, phase):
    """Deterministic float32 values from a formula (no RNG needed on the Java side)."""
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.float64)
    return (np.sin(1.7 * i + phase) * 0.5 + 0.1 * np.cos(0.3 * i * phase + 1)).astype(np.float32).reshape(shape)


def flat(t):
    return [float(x) for x in np.asarray(t, dtype=np.float32).reshape(-1)]


def run(kind, kw, lrs):
    params = {n: torch.nn.Parameter(torch.from_numpy(det(s, 0.5 + k))) for k, (n, s) in enumerate(SHAPES.items())}
    groups = [{"params": [params["a.weight"]], "weight_decay": kw.pop("wd")},
              {"params": [params["a.bias"]], "weight_decay": 0.0}]
    cls = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[kind]
    opt = cls(groups, lr=lrs[0], **kw)
    traj = []
    for step in range(STEPS):
        for g in opt.param_groups:
            g["lr"] = lrs[step]
        for k, (n, p) in enumerate(params.items()):
            p.grad = torch.from_numpy(det(SHAPES[n], 2.0 + step + 0.25 * k))
        opt.step()
        traj.append({n: flat(p.detach().numpy()) for n, p in params.items()})
    return traj


def main():
    lrs = [0.1, 0.05, 0.08, 0.02, 0.03]
    cases = [
        ("sgd_plain", "sgd", {"wd": 0.0}),
        ("sgd_momentum_wd", "sgd", {"wd": 0.01, "momentum": 0.9}),
        ("sgd_dampening", "sgd", {"wd": 0.0, "momentum": 0.8, "dampening": 0.1}),
        ("sgd_nesterov", "sgd", {"wd": 0.01, "momentum": 0.9, "nesterov": True}),
        ("adam_l2", "adam", {"wd": 0.01, "betas": (0.9, 0.999), "eps": 1e-8}),
        ("adamw", "adamw", {"wd": 0.1, "betas": (0.8, 0.99), "eps": 1e-6}),
    ]
    out = {"steps": STEPS, "shapes": SHAPES, "lrs": lrs, "init": {}, "grads": [], "cases": {}}
    for k, (n, s) in enumerate(SHAPES.items()):
        out["init"][n] = flat(det(s, 0.5 + k))
    for step in range(STEPS):
        out["grads"].append({n: flat(det(s, 2.0 + step + 0.25 * k)) for k, (n, s) in enumerate(SHAPES.items())})
    for name, kind, kw in cases:
        spec = dict(kw)
        spec["kind"] = kind
        spec["betas"] = list(spec.get("betas", ()))
        out["cases"][name] = {"spec": spec, "trajectory": run(kind, dict(kw), lrs)}

    # clip_grad_norm_ over both gradients of step 0
    ps = [torch.nn.Parameter(torch.zeros(s)) for s in SHAPES.values()]
    for k, (p, s) in enumerate(zip(ps, SHAPES.values())):
        p.grad = torch.from_numpy(det(s, 2.0 + 0.25 * k))
    norm = torch.nn.utils.clip_grad_norm_(ps, max_norm=0.5)
    out["clip"] = {"max_norm": 0.5, "norm": float(norm), "clipped": {n: flat(p.grad.numpy()) for n, p in zip(SHAPES, ps)}}

    # open_clip's schedulers (src/training/scheduler.py), written out here
    def cosine_lr(base, warmup, steps, step):
        if step < warmup:
            return base * (step + 1) / warmup
        e, es = step - warmup, steps - warmup
        return 0.5 * (1 + np.cos(np.pi * e / es)) * base

    def const_lr(base, warmup, step):
        return base * (step + 1) / warmup if step < warmup else base

    steplr = torch.optim.lr_scheduler.StepLR(torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1), step_size=3, gamma=0.5)
    step_vals = []
    for _ in range(10):
        step_vals.append(steplr.get_last_lr()[0])
        steplr.optimizer.step()
        steplr.step()
    out["schedules"] = {
        "cosine": {"base_lr": 0.1, "warmup": 3, "steps": 10, "lrs": [float(cosine_lr(0.1, 3, 10, s)) for s in range(10)]},
        "constant": {"base_lr": 0.1, "warmup": 4, "lrs": [float(const_lr(0.1, 4, s)) for s in range(8)]},
        "step": {"base_lr": 0.1, "every": 3, "gamma": 0.5, "lrs": step_vals},
    }
    out["torch_version"] = torch.__version__
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=None, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
