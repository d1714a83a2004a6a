#!/usr/bin/python3
"""Writes PyTorch reference values for paper A's loss terms (clipcl.continual.loss).

Run from the repository root with Debian's python3 and python3-torch:
    /usr/bin/python3 continual/src/test/python/paper_a_loss_fixtures.py
It rewrites continual/src/test/resources/loss/fixtures.json (fixed seeds, float64).

- distillation: the authors' LwF / VR-LwF term, F.kl_div(log_softmax(new / T), softmax(old / T),
  reduction="batchmean"), and the paper's printed Eq. 5, -sum softmax(new / T) * log_softmax(old / T) / B;
  values and gradients with respect to the new logits.
- geodl: the geodesic-flow-kernel distillation, written here independently of the Java code: principal
  subspaces by SVD, the kernel from the principal angles (Gong et al. 2012), the kernel detached;
  the authors' form mean (f_new - f_old)^T Q (f_new - f_old) on L2-normalised, centred rows and the
  paper's form -mean z_new^T Q z_old / (|Q^1/2 z_new| |Q^1/2 z_old|); gradients with respect to z_new.
"""
import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "loss", "fixtures.json")
torch.manual_seed(20220)
torch.set_default_dtype(torch.float64)


def mat(t):
    return [[float(x) for x in row] for row in t.detach()]


def distill_case(name, b, c, t, form):
    new = (torch.randn(b, c) * 3).requires_grad_(True)
    old = torch.randn(b, c) * 3
    if form == "kl":
        loss = F.kl_div(F.log_softmax(new / t, dim=1), F.softmax(old / t, dim=1), reduction="batchmean")
    else:
        loss = -(F.softmax(new / t, dim=1) * F.log_softmax(old / t, dim=1)).sum() / b
    loss.backward()
    return {"name": name, "t": t, "form": form, "new": mat(new), "old": mat(old), "loss": float(loss), "grad": mat(new.grad)}


def basis(rows, d):
    # top-d right singular vectors: E x d
    _, _, vh = torch.linalg.svd(rows, full_matrices=False)
    return vh[:d].T


def gfk(a, b):
    u, s, vh = torch.linalg.svd(a.T @ b)
    cos = s.clamp(-1, 1)
    ua = a @ u
    vb = b @ vh.T
    g = torch.zeros(a.shape[0], a.shape[0])
    for i in range(a.shape[1]):
        th = float(torch.arccos(cos[i]))
        ui = ua[:, i:i + 1]
        if th < 1e-12:
            g += ui @ ui.T
            continue
        wi = (vb[:, i:i + 1] - cos[i] * ui) / torch.sin(torch.tensor(th))
        ai = 0.5 + torch.sin(torch.tensor(2 * th)) / (4 * th)
        bi = torch.sin(torch.tensor(th)) ** 2 / (2 * th)
        ci = 0.5 - torch.sin(torch.tensor(2 * th)) / (4 * th)
        g += ai * (ui @ ui.T) + bi * (ui @ wi.T + wi @ ui.T) + ci * (wi @ wi.T)
    return g


def geo_case(name, n, e, d, form):
    z_old = torch.randn(n, e)
    z_new = (z_old + 0.3 * torch.randn(n, e)).requires_grad_(True)
    if form == "authors":
        xn = F.normalize(z_new, dim=1)
        xn = xn - xn.mean(0, keepdim=True)
        xo = F.normalize(z_old, dim=1)
        xo = xo - xo.mean(0, keepdim=True)
    else:
        xn, xo = z_new, z_old
    q = gfk(basis(xo.detach(), d), basis(xn.detach(), d)).detach()
    if form == "authors":
        diff = xn - xo
        loss = ((diff @ q) * diff).sum(1).mean()
    else:
        num = ((xn @ q) * xo).sum(1)
        nn_ = ((xn @ q) * xn).sum(1).sqrt()
        no = ((xo @ q) * xo).sum(1).sqrt()
        loss = -(num / (nn_ * no)).mean()
    loss.backward()
    return {"name": name, "form": form, "dim": d, "new": mat(z_new), "old": mat(z_old), "loss": float(loss), "grad": mat(z_new.grad)}


cases = {
    "distillation": [
        distill_case("kl T1", 5, 7, 1.0, "kl"),
        distill_case("kl T2", 4, 9, 2.0, "kl"),
        distill_case("printed T1", 5, 7, 1.0, "printed"),
    ],
    "geodl": [
        geo_case("authors n10 e6 d3", 10, 6, 3, "authors"),
        geo_case("paper n10 e6 d3", 10, 6, 3, "paper"),
        geo_case("authors n5 e8 d3", 5, 8, 3, "authors"),
        geo_case("paper n5 e8 d2", 5, 8, 2, "paper"),
    ],
}
os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"generator": "continual/src/test/python/paper_a_loss_fixtures.py", "torch": torch.__version__, "cases": cases}, f, indent=1)
    f.write("\n")
