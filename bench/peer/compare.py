#!/usr/bin/python3
"""Side-by-side table: clipcl's `bench sgemm` / `bench ops` against NumPy/OpenBLAS and PyTorch CPU.

For every (shape, threads) it runs ours and then the peer right after, so both see the same machine
load; ours also times OpenBLAS inside the same JVM (`--peer`, alternating call bursts), the fairest
comparison on a shared machine. Ratios are speed ratios ours/peer: > 1 means ours is faster.

  /usr/bin/python3 bench/peer/compare.py [--threads 1,2] [--seconds 2] [--only sgemm|ops]
                                         [--rounds N] [--shapes 1024,qkv,...] [--openblas-dir DIR]

--rounds N (ops only) alternates ours and the peer N times per thread count and reports, per op,
the median of the N medians of each side: on a shared machine one round can land in a slow minute
for one side only.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PEER = os.path.join(HERE, "peer_bench.py")
CLIPCL = os.path.join(ROOT, "clipcl")
# Our --size/--shape argument -> the peer's shape name (bench/peer/peer_bench.py, SgemmBench).
SHAPES = [("256", "256^3"), ("512", "512^3"), ("1024", "1024^3"), ("2048", "2048^3"),
          ("qkv", "qkv 400x768x2304"), ("qkvT", "qkv^T 400x768x2304"), ("fc1", "fc1 400x768x3072"),
          ("fc2", "fc2 400x3072x768"), ("fc2T", "fc2^T 400x3072x768"), ("attn", "attn 96x[50x64x50]")]


def last_json(out, what):
    for line in reversed(out.strip().splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit("compare: no JSON from %s:\n%s" % (what, out))


def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit("compare: %s failed (%d):\n%s%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
    return p.stdout


def ours_sgemm(arg, threads, args):
    cmd = [CLIPCL, "bench", "sgemm", "--threads", str(threads), "--seconds", str(args.seconds), "--json", "--peer"]
    cmd += ["--size", arg] if arg.isdigit() else ["--shape", arg]
    if args.openblas_dir:
        cmd += ["--openblas", os.path.join(args.openblas_dir, "libopenblas.so.0")]
    return last_json(run(cmd), "clipcl bench sgemm")


def peer(threads, args, only, shape=None):
    cmd = [sys.executable, PEER, "--threads", str(threads), "--seconds", str(args.seconds), "--only", only, "--json"]
    if shape:
        cmd += ["--shape", shape]
    if args.openblas_dir:
        cmd += ["--openblas-dir", args.openblas_dir]
    return last_json(run(cmd), "peer_bench.py")["runs"][0]


def fmt(x, spec="%.1f"):
    return "-" if x is None else spec % x


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--seconds", type=float, default=2.0, help="measuring time per case and side")
    ap.add_argument("--only", choices=["sgemm", "ops"])
    ap.add_argument("--rounds", type=int, default=1, help="ops: alternate ours and the peer this many times")
    ap.add_argument("--shapes", help="comma-separated subset of: " + ",".join(s for s, _ in SHAPES))
    ap.add_argument("--openblas-dir", help="directory of OpenBLAS's libblas.so.3 / libopenblas.so.0")
    args = ap.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    wanted = args.shapes.split(",") if args.shapes else [s for s, _ in SHAPES]
    load = os.getloadavg()
    print("# clipcl vs NumPy/OpenBLAS and PyTorch CPU, %s, %s, %d CPUs, load average at start %.1f %.1f %.1f"
          % (time.strftime("%Y-%m-%d %H:%M"), platform.node(), os.cpu_count(), *load))
    blas = set()
    if args.only in (None, "sgemm"):
        print("\n## SGEMM (GFLOP/s, median of repeated calls; ratio = ours/peer speed)\n")
        print("| shape | threads | ours | % FMA peak | OpenBLAS in-JVM | numpy | torch | ours/OpenBLAS in-JVM | ours/numpy | ours/torch"
              " | ours/OpenBLAS by CPU time (1 thread) |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for t in threads:
            for arg, name in SHAPES:
                if arg not in wanted:
                    continue
                o = ours_sgemm(arg, t, args)
                p = peer(t, args, "sgemm", name)
                blas.add(p["blas"])
                r = next(x for x in p["results"] if x["shape"] == name)
                inj = o.get("peer_gflops")
                print("| %s | %d | %.1f | %.0f%% | %s | %.1f | %.1f | %s | %.2f | %.2f | %s |" % (
                    name, t, o["gflops"], 100 * o["peak_fraction"], fmt(inj), r["numpy_gflops"], r["torch_gflops"],
                    fmt(o["gflops"] / inj if inj else None, "%.2f"), o["gflops"] / r["numpy_gflops"],
                    o["gflops"] / r["torch_gflops"], fmt(o.get("cpu_ratio"), "%.2f")), flush=True)
    if args.only in (None, "ops"):
        print("\n## Row-wise and elementwise ops (ms per call, median; ratio = torch ms / ours ms, > 1 = ours faster)\n")
        if args.rounds > 1:
            print("Median of %d alternating rounds per side.\n" % args.rounds)
        print("| op | shape | threads | ours ms | torch ms | ours/torch speed |")
        print("|---|---|---|---|---|---|")
        backends = set()
        for t in threads:
            ours, theirs = {}, {}
            for _ in range(max(1, args.rounds)):
                o = last_json(run([CLIPCL, "bench", "ops", "--threads", str(t), "--seconds", str(args.seconds), "--json"]),
                              "clipcl bench ops")
                p = peer(t, args, "ops")
                blas.add(p["blas"])
                backends.add(o["backend"])
                for mine in o["results"]:
                    ours.setdefault((mine["op"], json.dumps(mine["shape"]).replace(" ", "")), []).append(mine["ms"])
                for x in p["results"]:
                    theirs.setdefault((x["op"], json.dumps(x["shape"]).replace(" ", "")), []).append(x["torch_ms"])
            for key, mine in ours.items():
                m, th = statistics.median(mine), statistics.median(theirs[key])
                print("| %s | %s | %d | %.4f | %.4f | %.2f |" % (key[0], key[1], t, m, th, th / m), flush=True)
        print("\n(our ops backend: %s)" % ", ".join(sorted(backends)))
    load = os.getloadavg()
    print("\npeer BLAS: %s; load average at end %.1f %.1f %.1f" % ("; ".join(sorted(blas)), *load))


if __name__ == "__main__":
    main()
