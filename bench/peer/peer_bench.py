#!/usr/bin/python3
"""Peer timings for clipcl's benchmarks: the same SGEMM shapes with NumPy (OpenBLAS) and PyTorch CPU,
and softmax / layer_norm / gelu / quick_gelu in PyTorch, at a given thread count.

Run with Debian's /usr/bin/python3 (python3-numpy, python3-torch). Each thread count runs in a fresh
subprocess, because OpenBLAS fixes its thread pool and core type when it is loaded:
  * OPENBLAS_CORETYPE is removed from the child's environment (this machine sets it to Haswell, an
    AVX2 kernel set that hides OpenBLAS's AVX-512 kernels); --coretype forces one instead.
  * OPENBLAS_NUM_THREADS / OMP_NUM_THREADS and torch.set_num_threads set the threads.
  * Debian's numpy links the generic libblas.so.3; if libopenblas0-pthread is installed but not the
    selected alternative (or unpacked elsewhere: --openblas-dir), its directory is put first on
    LD_LIBRARY_PATH so that numpy and torch both run on OpenBLAS. The BLAS actually loaded is
    reported ("blas" in the output).

  /usr/bin/python3 bench/peer/peer_bench.py --threads 1,2 [--seconds 1] [--only sgemm|ops] [--json]
"""
import argparse
import json
import os
import subprocess
import sys
import time

SQUARE = [256, 512, 1024, 2048]
# name, batch, m, k, n, B stored as [n,k] (x @ W^T) -- the same list as clipcl.bench.SgemmBench.
CLIP = [
    ("qkv 400x768x2304", 1, 400, 768, 2304, False),
    ("qkv^T 400x768x2304", 1, 400, 768, 2304, True),
    ("fc1 400x768x3072", 1, 400, 768, 3072, False),
    ("fc2 400x3072x768", 1, 400, 3072, 768, False),
    ("fc2^T 400x3072x768", 1, 400, 3072, 768, True),
    ("attn 96x[50x64x50]", 96, 50, 64, 50, True),
]
# op, shape -- the same list as clipcl.bench.OpsBench.
OPS = [
    ("softmax", [4800, 50]),
    ("softmax", [4928, 77]),
    ("layer_norm", [400, 768]),
    ("layer_norm", [616, 512]),
    ("gelu", [400, 3072]),
    ("quick_gelu", [400, 3072]),
]
OPENBLAS_DIRS = ["/usr/lib/x86_64-linux-gnu/openblas-pthread", "/usr/lib/x86_64-linux-gnu/openblas-openmp"]


def shapes():
    out = [("%d^3" % s, 1, s, s, s, False) for s in SQUARE]
    return out + CLIP


def timed(fn, seconds):
    """Median and best seconds per call after warm-up (at least 5 measured calls)."""
    t0 = time.perf_counter()
    n = 0
    while n < 3 or time.perf_counter() - t0 < min(0.5, seconds / 2):
        fn()
        n += 1
    ts = []
    start = time.perf_counter()
    while len(ts) < 5 or time.perf_counter() - start < seconds:
        s = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - s)
    ts.sort()
    return ts[len(ts) // 2], ts[0]


def loaded_blas():
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            p = line.split()[-1]
            if "blas" in os.path.basename(p) or "mkl" in os.path.basename(p):
                libs.add(p)
    name = ",".join(sorted(os.path.basename(p) for p in libs)) or "unknown"
    for p in libs:
        if "openblas" in p:
            try:
                import ctypes
                lib = ctypes.CDLL(p)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                return "OpenBLAS %s (%s)" % (lib.openblas_get_corename().decode(), os.path.dirname(p))
            except (OSError, AttributeError):
                pass
    return name


def worker(args):
    import numpy as np
    import torch
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(7)
    blas = loaded_blas()
    results = []

    def emit(rec):
        rec.update(threads=args.threads)
        results.append(rec)
        print(json.dumps(rec), flush=True)

    if args.only in (None, "sgemm"):
        for name, batch, m, k, n, tb in shapes():
            a = rng.uniform(-1, 1, (batch, m, k)).astype(np.float32)
            b = rng.uniform(-1, 1, (batch, n, k) if tb else (batch, k, n)).astype(np.float32)
            bb = b.transpose(0, 2, 1) if tb else b
            if batch == 1:
                a, bb = a[0], bb[0]
            flops = 2.0 * batch * m * n * k
            med, best = timed(lambda: np.matmul(a, bb), args.seconds)
            ta, tbb = torch.from_numpy(np.ascontiguousarray(a)), torch.from_numpy(np.ascontiguousarray(b))
            if tb:
                tbb = tbb.transpose(-1, -2)
            elif batch == 1:
                tbb = tbb[0]
            with torch.no_grad():
                tmed, tbest = timed(lambda: torch.matmul(ta, tbb), args.seconds)
            emit(dict(bench="sgemm", shape=name, batch=batch, m=m, k=k, n=n, trans_b=tb,
                      numpy_gflops=flops / med / 1e9, numpy_ms=med * 1e3, numpy_best_ms=best * 1e3,
                      torch_gflops=flops / tmed / 1e9, torch_ms=tmed * 1e3, torch_best_ms=tbest * 1e3))
    if args.only in (None, "ops"):
        import torch.nn.functional as F
        g = torch.Generator().manual_seed(3)
        for op, shape in OPS:
            x = torch.randn(*shape, generator=g)
            w = 1 + 0.1 * torch.randn(shape[-1], generator=g)
            bias = 0.1 * torch.randn(shape[-1], generator=g)
            fn = {
                "softmax": lambda: torch.softmax(x, -1),
                "layer_norm": lambda: F.layer_norm(x, (shape[-1],), w, bias, 1e-5),
                "gelu": lambda: F.gelu(x),
                # CLIP's QuickGELU module: x * sigmoid(1.702 x), as PyTorch runs it.
                "quick_gelu": lambda: x * torch.sigmoid(1.702 * x),
            }[op]
            with torch.no_grad():
                med, best = timed(fn, args.seconds)
            emit(dict(bench="ops", op=op, shape=shape, torch_ms=med * 1e3, torch_best_ms=best * 1e3))
    print(json.dumps(dict(bench="peer", threads=args.threads, blas=blas, numpy=np.__version__,
                          torch=torch.__version__, results=results)), flush=True)


def child_env(args, threads):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    if args.coretype:
        env["OPENBLAS_CORETYPE"] = args.coretype
    for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[v] = str(threads)
    dirs = [args.openblas_dir] if args.openblas_dir else OPENBLAS_DIRS
    for d in dirs:
        if d and os.path.exists(os.path.join(d, "libblas.so.3")):
            env["LD_LIBRARY_PATH"] = d + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
            break
    return env


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    ap.add_argument("--seconds", type=float, default=1.0, help="measuring time per case (default 1)")
    ap.add_argument("--only", choices=["sgemm", "ops"], help="run only one group")
    ap.add_argument("--shape", help="only SGEMM shapes whose name contains this")
    ap.add_argument("--coretype", help="force OPENBLAS_CORETYPE (default: unset, autodetect)")
    ap.add_argument("--openblas-dir", help="directory holding OpenBLAS's libblas.so.3 (default: Debian's)")
    ap.add_argument("--json", action="store_true", help="last line: one JSON object with every result")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.shape:
        global SQUARE, CLIP
        SQUARE = [s for s in SQUARE if args.shape in "%d^3" % s]
        CLIP = [c for c in CLIP if args.shape in c[0]]
    if args.worker:
        args.threads = int(args.threads)
        worker(args)
        return
    runs = []
    for t in [int(x) for x in args.threads.split(",")]:
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", "--threads", str(t), "--seconds", str(args.seconds)]
        for opt in ("only", "shape"):
            if getattr(args, opt):
                cmd += ["--" + opt, getattr(args, opt)]
        out = subprocess.run(cmd, env=child_env(args, t), check=True, capture_output=True, text=True).stdout
        run = json.loads(out.strip().splitlines()[-1])
        runs.append(run)
        print("threads %d, BLAS %s, numpy %s, torch %s" % (t, run["blas"], run["numpy"], run["torch"]))
        for r in run["results"]:
            if r["bench"] == "sgemm":
                print("  %-22s numpy %7.1f GFLOP/s   torch %7.1f GFLOP/s" % (r["shape"], r["numpy_gflops"], r["torch_gflops"]))
            else:
                print("  %-11s %-12s torch %9.4f ms" % (r["op"], json.dumps(r["shape"]).replace(" ", ""), r["torch_ms"]))
    if args.json:
        print(json.dumps(dict(bench="peer", runs=runs)))


if __name__ == "__main__":
    main()
