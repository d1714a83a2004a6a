#!/usr/bin/python3
"""Fits the rational function inside VecMath's exact GELU and checks the whole float32 kernel.

GELU(x) = x Phi(x), and with a = |x|, h(a) = exp(-a^2 / 2) R(a), R(a) ~ erfcx(a / sqrt 2) / 2:
Phi(x) = h for x < 0 and 1 - h for x > 0. R is a rational P(a) / Q(a) of degrees (4, 5), Q(0) = 1,
fitted on [0, 13.2] for minimal maximum relative error (Lawson-weighted Loeb iteration, mpmath
targets). A rational of this size beats a degree-9 polynomial in (a - 3) / (a + 3): one division
either way, four fewer operations here.

The script prints the float32 coefficients as Java constants, then emulates the kernel's float32
operations in NumPy (fma emulated in float64) and reports its error in ulps on VecMathTest's grids.
The Java test is the authority; this only shows the fit is good before it goes in.

Run: /usr/bin/python3 tensor/src/test/python/fit_gelu.py   (Debian's python3-numpy, python3-mpmath)
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 30
MAX = 13.2
M, N = 4, 5

f32 = np.float32


def target(a):
    z = mp.mpf(a) / mp.sqrt(2)
    return float(mp.erfc(z) * mp.exp(z * z) / 2)


def fit_rational(x, f, m, n, iters=100):
    """Lawson-weighted Loeb iteration: minimise max |P/Q - f| / |f| with Q(0) = 1."""
    vp = np.vander(x, m + 1, increasing=True)
    vq = np.vander(x, n + 1, increasing=True)
    q_prev, w, best = np.ones_like(x), np.ones_like(x) / len(x), (np.inf, None)
    for _ in range(iters):
        sw = np.sqrt(w) / (np.abs(f) * np.abs(q_prev))
        a = np.hstack([vp, -(f[:, None] * vq[:, 1:])]) * sw[:, None]
        sol, *_ = np.linalg.lstsq(a, f * sw, rcond=None)
        p, q = sol[:m + 1], np.concatenate([[1.0], sol[m + 1:]])
        q_prev = vq @ q
        err = np.abs(vp @ p / q_prev - f) / np.abs(f)
        if err.max() < best[0]:
            best = (err.max(), (p, q))
        w = w * err
        w /= w.sum()
    return best


def fma(a, b, c):
    return (np.float64(a) * np.float64(b) + np.float64(c)).astype(f32)


def horner(coefs, u):
    acc = np.full_like(u, coefs[-1])
    for c in reversed(coefs[:-1]):
        acc = fma(acc, u, c)
    return acc


LOG2E, MAGIC = f32(1.44269504), f32(12582912.0)
LN2_HI, LN2_LO = f32(0.693359375), f32(-2.12194440e-4)
E = [f32(v) for v in (1.0, 1.0000000364, 0.4999999244, 0.1666641977, 0.0416681443, 0.0083748426, 0.0013841402)]


def gelu32(x, p, q):
    """The same float32 operations as VecMath.gelu."""
    x = x.astype(f32)
    ax = np.abs(x)
    far = ax >= f32(MAX)
    ax = np.where(far, f32(MAX), ax).astype(f32)
    nhx = (ax * f32(-0.5)).astype(f32)
    t = fma((nhx * ax).astype(f32), LOG2E, MAGIC)
    n = (t - MAGIC).astype(f32)
    r = fma(n, -LN2_LO, fma(nhx, ax, (n * -LN2_HI).astype(f32)))
    scale = ((n.astype(np.int32) + 127) << 23).astype(np.int32).view(f32)
    e = (horner(E, r) * scale).astype(f32)
    g = (horner(p, ax) / horner(q, ax)).astype(f32)
    h = np.where(far, f32(0), (e * g).astype(f32)).astype(f32)
    return (x * np.where(x > 0, (f32(1) - h).astype(f32), h)).astype(f32)


def main():
    xs = np.unique(np.concatenate([np.linspace(0, MAX, 3000), MAX * (1 - np.cos(np.linspace(0, np.pi, 3000))) / 2]))
    fs = np.array([target(v) for v in xs])
    err, (p, q) = fit_rational(xs, fs, M, N)
    print(f"rational ({M},{N}) on [0, {MAX}]: max relative error {err:.3e} (float64 coefficients)")
    pf, qf = [f32(v) for v in p], [f32(v) for v in q]
    print("    private static final float " + ", ".join(f"GP{i} = {str(v)}f" for i, v in enumerate(pf)) + ";")
    print("    private static final float " + ", ".join(f"GQ{i} = {str(v)}f" for i, v in enumerate(qf) if i > 0) + ";")
    for lo, hi, n in [(-6, 10, 40000), (-12.9, -6, 20000)]:
        x = np.linspace(lo, hi, n).astype(f32)
        truth = np.array([float(mp.mpf(float(v)) * mp.erfc(-mp.mpf(float(v)) / mp.sqrt(2)) / 2) for v in x])
        y = gelu32(x, pf, qf).astype(np.float64)
        ulp = np.array([np.spacing(f32(abs(t))) for t in truth], dtype=np.float64)
        e = np.abs(y - truth) / ulp
        print(f"float32 kernel on [{lo}, {hi}]: max {e.max():.2f} ulp at x={x[np.argmax(e)]}, mean {e.mean():.3f}")


if __name__ == "__main__":
    main()
