#!/usr/bin/python3
"""Writes the NumPy reference values that clipcl.continual.linalg is tested against.

Run from the repository root with Debian's python3 and numpy:
    /usr/bin/python3 continual/src/test/python/linalg_fixtures.py
It rewrites continual/src/test/resources/linalg/fixtures.json (the same bytes every run: fixed seeds).
Eigen and singular vectors are unique only up to sign, so the tests compare them up to sign, and only
where the values are distinct.
"""
import json
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "linalg", "fixtures.json")
rng = np.random.default_rng(20221)


def mat(a):
    return [[float(x) for x in row] for row in np.atleast_2d(a)]


def vec(a):
    return [float(x) for x in a]


def sym(n):
    x = rng.standard_normal((n, n))
    return (x + x.T) / 2


def eigh_case(name, a):
    w, v = np.linalg.eigh(a)
    order = np.argsort(-w, kind="stable")  # the Java side sorts descending
    return {"name": name, "a": mat(a), "values": vec(w[order]), "vectors": mat(v[:, order])}


def svd_case(name, a):
    u, s, vt = np.linalg.svd(a, full_matrices=False)
    return {"name": name, "a": mat(a), "s": vec(s), "u": mat(u), "v": mat(vt.T)}


def qr_case(name, a):
    q, r = np.linalg.qr(a)
    # Make diag(R) >= 0 (the Java side's convention; LAPACK leaves the signs free).
    sign = np.where(np.diag(r) < 0, -1.0, 1.0)
    q = q * sign
    r = (r.T * sign).T
    return {"name": name, "a": mat(a), "q": mat(q), "r": mat(r)}


def angles(a, b):
    """Principal angles, ascending: cosines from the SVD of Qa^T Qb, sines of the small ones from
    the part of Qb outside span(Qa) (accurate where the cosine is close to 1)."""
    qa, _ = np.linalg.qr(a)
    qb, _ = np.linalg.qr(b)
    if qa.shape[1] < qb.shape[1]:
        qa, qb = qb, qa
    cos = np.linalg.svd(qa.T @ qb, compute_uv=False)  # descending
    sin = np.linalg.svd(qb - qa @ (qa.T @ qb), compute_uv=False)[::-1]  # ascending
    small = cos ** 2 >= 0.5
    return np.where(small, np.arcsin(np.clip(sin, -1, 1)), np.arccos(np.clip(cos, -1, 1)))


def angle_case(name, a, b, exact=None):
    c = {"name": name, "a": mat(a), "b": mat(b), "angles": vec(angles(a, b))}
    if exact is not None:
        c["exact"] = vec(exact)
    return c


def rotation(n):
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


cases = {"eigh": [], "svd": [], "qr": [], "angles": []}
for n in (1, 2, 5, 12, 24):
    cases["eigh"].append(eigh_case(f"random {n}x{n}", sym(n)))
# Repeated eigenvalues (a rank-3 projection scaled): vectors are not unique there.
p = rotation(8)[:, :3]
cases["eigh"].append(eigh_case("projection with repeated eigenvalues", 2.5 * p @ p.T))
# Widely spread magnitudes.
d = np.diag([1e6, 1.0, 1e-6, -3.0, 0.0])
r = rotation(5)
cases["eigh"].append(eigh_case("spread magnitudes", r @ d @ r.T))

for m, n in ((6, 4), (4, 6), (30, 8), (1, 1), (5, 5)):
    cases["svd"].append(svd_case(f"random {m}x{n}", rng.standard_normal((m, n))))
low = rng.standard_normal((8, 3)) @ rng.standard_normal((3, 5))
cases["svd"].append(svd_case("rank 3 of 8x5", low))

for m, n in ((6, 4), (10, 10), (3, 5)):
    cases["qr"].append(qr_case(f"random {m}x{n}", rng.standard_normal((m, n))))

cases["angles"].append(angle_case("random 20x3 vs 20x4", rng.standard_normal((20, 3)), rng.standard_normal((20, 4))))
cases["angles"].append(angle_case("random 16x5 vs 16x2", rng.standard_normal((16, 5)), rng.standard_normal((16, 2))))
# Known angles: span(e1, e2, e3) against span(cos t_i e_i + sin t_i e_{3+i}), rotated at random.
theta = np.array([1e-9, 0.3, 1.2])
n = 10
ea = np.eye(n)[:, :3]
eb = np.zeros((n, 3))
for i, t in enumerate(theta):
    eb[i, i] = np.cos(t)
    eb[3 + i, i] = np.sin(t)
rot = rotation(n)
mix_a = rng.standard_normal((3, 3))
mix_b = rng.standard_normal((3, 3))
cases["angles"].append(angle_case("known angles 1e-9, 0.3, 1.2", rot @ ea @ mix_a, rot @ eb @ mix_b, exact=theta))
cases["angles"].append(angle_case("orthogonal subspaces", np.eye(6)[:, :2], np.eye(6)[:, 2:5], exact=[np.pi / 2, np.pi / 2]))



def gfk_quadrature(a, b):
    """Geodesic flow kernel int_0^1 Y(t) Y(t)^T dt along the Grassmann geodesic from span(a) to span(b)
    (Edelman, Arias and Smith 1998: M = (I - Y0 Y0^T) Y1 (Y0^T Y1)^-1 = U S V^T, Theta = arctan S,
    Y(t) = Y0 V cos(t Theta) + U sin(t Theta)), integrated by 40-point Gauss-Legendre quadrature, which is
    exact to rounding for these trigonometric integrands. Independent of the closed form under test."""
    y0, _ = np.linalg.qr(a)
    y1, _ = np.linalg.qr(b)
    m = (np.eye(a.shape[0]) - y0 @ y0.T) @ y1 @ np.linalg.inv(y0.T @ y1)
    u, sv, vt = np.linalg.svd(m, full_matrices=False)
    theta = np.arctan(sv)
    x, w = np.polynomial.legendre.leggauss(40)
    t_all, w_all = (x + 1) / 2, w / 2
    g = np.zeros((a.shape[0], a.shape[0]))
    for t, wt in zip(t_all, w_all):
        y = y0 @ vt.T @ np.diag(np.cos(t * theta)) + u @ np.diag(np.sin(t * theta))
        g += wt * (y @ y.T)
    return g


def gfk_case(name, a, b):
    return {"name": name, "a": mat(a), "b": mat(b), "kernel": mat(gfk_quadrature(a, b))}


cases["gfk"] = []
cases["gfk"].append(gfk_case("random 8, d 3", rng.standard_normal((8, 3)), rng.standard_normal((8, 3))))
cases["gfk"].append(gfk_case("random 12, d 5", rng.standard_normal((12, 5)), rng.standard_normal((12, 5))))
base = rng.standard_normal((6, 2))
cases["gfk"].append(gfk_case("nearby subspaces 6, d 2", base, base + 1e-4 * rng.standard_normal((6, 2))))

os.makedirs(os.path.dirname(OUT), exist_ok=True)
with open(OUT, "w") as f:
    json.dump({"numpy": np.__version__, "cases": cases}, f, separators=(",", ":"))
    f.write("\n")
print("wrote", os.path.normpath(OUT), os.path.getsize(OUT), "bytes")
