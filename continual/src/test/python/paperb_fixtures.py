#!/usr/bin/python3
"""Writes the PyTorch reference values that paper B's losses are tested against.

Run from the repository root with Debian's python3 and torch:
    /usr/bin/python3 continual/src/test/python/paperb_fixtures.py
It rewrites continual/src/test/resources/paperb/fixtures.json (fixed seeds, float64).

Mod-X follows the authors' training script: cosines of L2-normalised features, rows the old model
gets wrong replaced in place by the current rows (cognition_align), F.kl_div(log softmax(current),
softmax(old), reduction='sum') for image-to-text and text-to-image, averaged. The rule for "wrong"
is the authors' (argmax != i) or, as options, the same caption text / the same class.
"""
import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "paperb", "fixtures.json")
torch.manual_seed(20230)


def correct(old, captions, labels, rule):
    best = torch.max(old, 1)[1]
    out = []
    for i in range(old.shape[0]):
        j = int(best[i])
        if rule == "index":
            out.append(j == i)
        elif rule == "caption":
            out.append(captions[j] == captions[i])
        else:
            out.append(labels[j] == labels[i])
    return out


def align(old, new, keep):
    old = old.clone()
    for i in range(old.shape[0]):
        if not keep[i]:
            old[i] = new[i]
    return old


def modx(img, txt, old_img, old_txt, captions, labels, rule, reduction):
    img = img / img.norm(dim=-1, keepdim=True)
    txt = txt / txt.norm(dim=-1, keepdim=True)
    oi = old_img / old_img.norm(dim=-1, keepdim=True)
    ot = old_txt / old_txt.norm(dim=-1, keepdim=True)
    per_image, per_text = img @ txt.t(), txt @ img.t()
    old_it, old_ti = oi @ ot.t(), ot @ oi.t()
    keep_i, keep_t = correct(old_it, captions, labels, rule), correct(old_ti, captions, labels, rule)
    t_i, t_t = align(old_it, per_image, keep_i), align(old_ti, per_text, keep_t)
    red = "sum" if reduction == "sum" else "batchmean"
    li = F.kl_div(per_image.softmax(dim=-1).log(), t_i.softmax(dim=-1), reduction=red)
    lt = F.kl_div(per_text.softmax(dim=-1).log(), t_t.softmax(dim=-1), reduction=red)
    return (li + lt) / 2, keep_i, keep_t


def mat(t):
    return [[float(x) for x in row] for row in t]


cases = []
captions = ["a photo of the digit one", "a photo of the digit two", "a photo of the digit one",
            "a sketch of the digit three", "a photo of the digit two", "a photo of the digit four"]
labels = [1, 2, 1, 3, 2, 4]
for k, (rule, reduction, agree) in enumerate([("index", "sum", 0.0), ("caption", "sum", 0.0), ("class", "sum", 0.0),
                                              ("index", "mean", 3.0), ("caption", "sum", 3.0), ("index", "sum", 3.0)]):
    b, e = 6, 5
    img = torch.randn(b, e, dtype=torch.float64)
    txt = torch.randn(b, e, dtype=torch.float64)
    # agree > 0 makes the old model's pairs line up, so that many rows are kept
    old_img = torch.randn(b, e, dtype=torch.float64)
    old_txt = old_img * agree + torch.randn(b, e, dtype=torch.float64)
    img.requires_grad_(True)
    txt.requires_grad_(True)
    loss, keep_i, keep_t = modx(img, txt, old_img, old_txt, captions, labels, rule, reduction)
    loss.backward()
    cases.append({"name": f"modx-{k}-{rule}-{reduction}", "rule": rule, "reduction": reduction,
                  "captions": captions, "labels": labels,
                  "image": mat(img.detach()), "text": mat(txt.detach()), "old_image": mat(old_img), "old_text": mat(old_txt),
                  "keep_image_rows": keep_i, "keep_text_rows": keep_t,
                  "loss": float(loss), "grad_image": mat(img.grad), "grad_text": mat(txt.grad)})

# DER: mean over replayed rows of the squared distance between the normalised image features and the stored ones
feats = torch.randn(5, 4, dtype=torch.float64, requires_grad=True)
stored = F.normalize(torch.randn(2, 4, dtype=torch.float64), dim=-1)
der = ((F.normalize(feats[3:], dim=-1) - stored) ** 2).sum() / 2
der.backward()
der_case = {"features": mat(feats.detach()), "replayed": 2, "stored": mat(stored), "loss": float(der), "grad": mat(feats.grad)}

# EWC: lambda / 2 * sum F (theta - theta*)^2
theta = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
anchor = torch.randn(3, 4, dtype=torch.float64)
fisher = torch.rand(3, 4, dtype=torch.float64)
lam = 7.0
ewc = lam / 2 * (fisher * (theta - anchor) ** 2).sum()
ewc.backward()
ewc_case = {"theta": mat(theta.detach()), "anchor": mat(anchor), "fisher": mat(fisher), "lambda": lam, "loss": float(ewc), "grad": mat(theta.grad)}

# LwF re-done with the contrastive loss: the old model's in-batch logits (its own scale) as targets,
# F.kl_div(log_softmax(new / T), softmax(old / T), batchmean), image-to-text and text-to-image averaged
lwf_cases = []
for k, (t, agree) in enumerate([(1.0, 0.0), (2.0, 2.0)]):
    b, e = 6, 5
    img = torch.randn(b, e, dtype=torch.float64, requires_grad=True)
    txt = torch.randn(b, e, dtype=torch.float64, requires_grad=True)
    log_scale = torch.tensor(2.3, dtype=torch.float64, requires_grad=True)
    old_img = torch.randn(b, e, dtype=torch.float64)
    old_txt = old_img * agree + torch.randn(b, e, dtype=torch.float64)
    old_scale = 9.0
    ni, nt = F.normalize(img, dim=-1), F.normalize(txt, dim=-1)
    oi, ot = F.normalize(old_img, dim=-1), F.normalize(old_txt, dim=-1)
    cur = log_scale.exp() * ni @ nt.t() / t
    old = old_scale * oi @ ot.t() / t
    li = F.kl_div(F.log_softmax(cur, dim=-1), F.softmax(old, dim=-1), reduction="batchmean")
    lt = F.kl_div(F.log_softmax(cur.t(), dim=-1), F.softmax(old.t(), dim=-1), reduction="batchmean")
    loss = (li + lt) / 2
    loss.backward()
    lwf_cases.append({"name": f"lwf-batch-{k}", "t": t, "image": mat(img.detach()), "text": mat(txt.detach()),
                      "log_scale": float(log_scale.detach()), "old_image": mat(old_img), "old_text": mat(old_txt), "old_scale": old_scale,
                      "loss": float(loss), "grad_image": mat(img.grad), "grad_text": mat(txt.grad), "grad_log_scale": float(log_scale.grad)})

# spatial disorder on fixed embeddings, in NumPy (degrees; bins closed on the right, the first also on the left)
import numpy as np

nrng = np.random.default_rng(31)
SAM_BINS, RAM_BINS = [0, 5, 10, 15, 20, 180], [0, 15, 20, 25, 30, 180]


def unit(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def angles(a, b):
    return np.degrees(np.arccos(np.clip(np.sum(unit(a) * unit(b), axis=1), -1, 1)))


def hist(v, bins):
    idx = np.searchsorted(np.array(bins[1:-1]), v, side="left")
    return [float(x) for x in np.bincount(idx, minlength=len(bins) - 1) / len(v)]


n, d = 40, 8
i0, t0 = nrng.standard_normal((n, d)), nrng.standard_normal((n, d))
t0[: n // 2] = i0[: n // 2] + 0.3 * nrng.standard_normal((n // 2, d))
i1, t1 = i0 + 0.35 * nrng.standard_normal((n, d)), t0 + 0.2 * nrng.standard_normal((n, d))
g0, g1 = np.degrees(np.arccos(np.clip(unit(i0) @ unit(i0).T, -1, 1))), np.degrees(np.arccos(np.clip(unit(i1) @ unit(i1).T, -1, 1)))
iu = np.triu_indices(n, 1)
correct = (np.argmax(unit(i0) @ unit(t0).T, axis=1) == np.arange(n))
sd_case = {"image0": mat(i0), "text0": mat(t0), "image1": mat(i1), "text1": mat(t1), "correct0": [bool(c) for c in correct],
           "sam_image": hist(np.abs(g0 - g1)[iu], SAM_BINS), "ram_image": hist(angles(i0, i1), RAM_BINS),
           "ram_text": hist(angles(t0, t1), RAM_BINS),
           "imav": hist(np.abs(angles(i0, t0) - angles(i1, t1))[correct], SAM_BINS)}

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"torch": torch.__version__, "modx": cases, "der": der_case, "ewc": ewc_case, "lwf_batch": lwf_cases, "spatial_disorder": sd_case}, f, indent=1)
    f.write("\n")
print("wrote", OUT)
