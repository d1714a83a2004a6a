#!/usr/bin/python3
"""Golden fixtures for the Java CLIP transformer stack (clip-model on autograd/optim): OpenAI CLIP's Transformer (pre-LN
ResidualAttentionBlock with nn.MultiheadAttention's packed in_proj, QuickGELU MLP c_fc/c_proj,
causal additive mask), 2 blocks, width 64, 4 heads, seq 10, batch 3, all float32.

Writes clip-model/src/test/resources/golden/:
  transformer.json                      spec: parameter names/shapes/init draws, inputs, lrs, losses
  transformer_out.safetensors           output of the first forward pass [3, 10, 64]
  transformer_grads_block{0,1}.safetensors   d loss / d parameter at the initial weights
  transformer_after_block{0,1}.safetensors   parameters after 3 AdamW steps (warm-up + cosine)

Weights and inputs come from a Python copy of clipcl.tensor.Rng (SplitMix64 counter-based
uniform), so Java draws the identical float32 values and the fixtures need not store them.
Loss = mean(output ** 2). Run from the repository root: /usr/bin/python3 tools/reference/make_golden_transformer.py
"""
import json
import math
import os
import struct
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "clip-model", "src", "test", "resources", "golden")
WIDTH, HEADS, LAYERS, SEQ, BATCH = 64, 4, 2, 10, 3
BASE_LR, WARMUP, TOTAL, STEPS = 1e-2, 2, 4, 3
BETAS, EPS, WD = (0.9, 0.98), 1e-6, 0.1
M64 = (1 << 64) - 1


def rng_uniform(seed, lo, hi, shape, counter=0):
    """clipcl.tensor.Rng(seed, counter).uniform(F32, lo, hi, shape): element i is a pure function of (seed, counter + i)."""
    n = int(np.prod(shape))
    out = np.empty(n, dtype=np.float64)
    for i in range(n):
        z = (seed * 0x9E3779B97F4A7C15 + (counter + i) * 0xBF58476D1CE4E5B9 + 0x94D049BB133111EB) & M64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        z = z ^ (z >> 31)
        out[i] = lo + (hi - lo) * ((z >> 11) * 2.0 ** -53)
    return out.astype(np.float32).reshape(shape)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    """OpenAI CLIP's block (clip/model.py), batch-first."""

    def __init__(self, d_model, n_head, attn_mask):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head, batch_first=True)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(d_model * 4, d_model)),
        ]))
        self.ln_2 = nn.LayerNorm(d_model)
        self.attn_mask = attn_mask

    def forward(self, x):
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, need_weights=False, attn_mask=self.attn_mask)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads, attn_mask):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads, attn_mask) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


def causal_mask(n):
    m = torch.empty(n, n)
    m.fill_(float("-inf"))
    return m.triu_(1)


def init_range(name, shape):
    """Ranges chosen so every part of the block matters (gains near 1, small non-zero biases)."""
    if name.endswith("ln_1.weight") or name.endswith("ln_2.weight"):
        return 0.8, 1.2
    if len(shape) == 1:
        return -0.1, 0.1
    b = 1.0 / math.sqrt(shape[1])
    return -b, b


def no_decay(name, p):
    """open_clip's exclude rule."""
    return p.ndim < 2 or "bn" in name or "ln" in name or "bias" in name or "logit_scale" in name


def cosine_lr(step):
    if step < WARMUP:
        return BASE_LR * (step + 1) / WARMUP
    e, es = step - WARMUP, TOTAL - WARMUP
    return 0.5 * (1 + np.cos(np.pi * e / es)) * BASE_LR


def write_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype="<f4")
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def block_of(name):
    return int(name.split(".")[1])


def main():
    torch.set_num_threads(1)
    model = Transformer(WIDTH, LAYERS, HEADS, causal_mask(SEQ))
    spec = []
    with torch.no_grad():
        for k, (name, p) in enumerate(model.named_parameters()):
            lo, hi = init_range(name, list(p.shape))
            seed = 1000 + k
            p.copy_(torch.from_numpy(rng_uniform(seed, lo, hi, list(p.shape))))
            spec.append({"name": name, "shape": list(p.shape), "seed": seed, "lo": lo, "hi": hi, "no_decay": no_decay(name, p)})
    inputs = [{"seed": 100 + s, "lo": -1.0, "hi": 1.0} for s in range(STEPS)]
    xs = [torch.from_numpy(rng_uniform(i["seed"], i["lo"], i["hi"], [BATCH, SEQ, WIDTH])) for i in inputs]

    named = dict(model.named_parameters())
    groups = [{"params": [p for n, p in named.items() if no_decay(n, p)], "weight_decay": 0.0},
              {"params": [p for n, p in named.items() if not no_decay(n, p)], "weight_decay": WD}]
    opt = torch.optim.AdamW(groups, lr=BASE_LR, betas=BETAS, eps=EPS)

    losses, lrs, out0, grads0 = [], [], None, None
    for step in range(STEPS):
        lr = float(cosine_lr(step))
        for g in opt.param_groups:
            g["lr"] = lr
        lrs.append(lr)
        opt.zero_grad()
        y = model(xs[step])
        loss = (y * y).mean()
        loss.backward()
        losses.append(float(loss))
        if step == 0:
            out0 = y.detach().numpy().copy()
            grads0 = {n: p.grad.detach().numpy().copy() for n, p in named.items()}
        opt.step()

    os.makedirs(OUT, exist_ok=True)
    write_safetensors(os.path.join(OUT, "transformer_out.safetensors"), {"output": out0})
    for b in range(LAYERS):
        write_safetensors(os.path.join(OUT, f"transformer_grads_block{b}.safetensors"),
                          {n: g for n, g in grads0.items() if block_of(n) == b})
        write_safetensors(os.path.join(OUT, f"transformer_after_block{b}.safetensors"),
                          {n: p.detach().numpy() for n, p in named.items() if block_of(n) == b})
    meta = {
        "torch_version": torch.__version__, "dtype": "float32",
        "width": WIDTH, "heads": HEADS, "layers": LAYERS, "seq": SEQ, "batch": BATCH,
        "loss": "mean(output^2)", "mask": "causal additive (-inf above the diagonal)", "activation": "quick_gelu",
        "params": spec, "inputs": inputs,
        "optimizer": {"kind": "adamw", "betas": list(BETAS), "eps": EPS, "weight_decay": WD, "groups": "open_clip no-decay rule"},
        "schedule": {"kind": "cosine", "base_lr": BASE_LR, "warmup": WARMUP, "steps": TOTAL},
        "lrs": lrs, "losses": losses,
    }
    with open(os.path.join(OUT, "transformer.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    for fn in sorted(os.listdir(OUT)):
        if fn.startswith("transformer"):
            print(fn, os.path.getsize(os.path.join(OUT, fn)), "bytes")
    print("losses", losses, "lrs", lrs)


if __name__ == "__main__":
    main()
