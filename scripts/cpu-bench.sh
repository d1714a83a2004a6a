#!/usr/bin/env bash
# CPU benchmarks of clipcl against the engines a user could pick instead, on this machine, printed
# as markdown tables (ours, peer, ours/peer speed ratio) and written to a file:
#   - SGEMM 1024^3 and CLIP's shapes on 1 and 2 threads: ours (the machine's chosen variant; every
#     variant at 1024^3) against libtorch 2.10 and OpenBLAS, alternating in one JVM
#   - ViT-B/32 encode_image (batch 1 and 32) and encode_text (batch 32), RN50 encode_image: ours
#     against ONNX Runtime 1.23 on the same random weights (outputs compared first), one JVM
#   - the same encodes against Debian's PyTorch (separate processes, one after the other)
#   - ViT-B/32's residual block, forward and forward + backward: ours against libtorch 2.10 on the
#     same weights (outputs and gradients compared first), alternating in one JVM
#   - the ViT-B/32 training step at batch 32: ours against Debian's PyTorch, and against libtorch
#     2.10 on the same weights and batch (losses compared first), alternating in one JVM
# About 25 minutes on 2 quiet cores (the first run also builds the peers module, downloading about
# 180 MB of jars, and exports the ONNX models: add a few minutes). Run it on a machine with nothing
# else running: every figure is a timing.
#
#   scripts/cpu-bench.sh [--threads 2] [--out FILE] [--work DIR] [--smoke]
#
# --smoke: the smallest sizes and times, to check that every step runs (its numbers mean nothing).
# --work: where the exported models live (default /tmp/clipcl-cpu-bench; reused when present).
# The SGEMM tuning is measured again and cached (~/.cache/clipcl/gemm-tuning.json) first, so the
# rest runs on this machine's chosen variant.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
. scripts/find-jdk.sh
find_jdk || exit 1

THREADS=2 SMOKE=0 WORK="${TMPDIR:-/tmp}/clipcl-cpu-bench" OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --threads) THREADS="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        --smoke) SMOKE=1; shift ;;
        *) echo "cpu-bench: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
    esac
done
[ -n "$OUT" ] || OUT="$ROOT/bench/cpu-bench-$(date -u +%Y%m%dT%H%MZ).md"
if [ -e "$OUT" ]; then echo "cpu-bench: $OUT exists; not overwriting (give --out)" >&2; exit 2; fi

if [ "$SMOKE" = 1 ]; then
    SG_SECONDS=0.2 SG_SHAPES=256,attn SG_ALL=256 ENC_SECONDS=0.3 ENC_ROUNDS=1 BATCHES=1 TEXT_BATCH=2
    TUNE_ROUNDS=1 TRAIN_BATCH=2 TRAIN_STEPS=1 TRAIN_WARMUP=1 XMX=4g
    BLOCK_ARGS=(--batch 1 --seconds 0.3 --rounds 1) LT_TRAIN_ARGS=(--seconds 1 --rounds 1) LT_TRAIN_XMX=5g
else
    SG_SECONDS=2 SG_SHAPES=1024,qkv,qkvT,fc1,fc2,fc2T,attn SG_ALL=1024 ENC_SECONDS=6 ENC_ROUNDS=3 BATCHES=1,32 TEXT_BATCH=32
    TUNE_ROUNDS=5 TRAIN_BATCH=32 TRAIN_STEPS=5 TRAIN_WARMUP=2 XMX=12g
    BLOCK_ARGS=(--seconds 6 --rounds 3) LT_TRAIN_ARGS=(--seconds 90 --rounds 3) LT_TRAIN_XMX=9g
fi
# A smoke run's tuning is meaningless: it goes to a file of its own, not the machine's cache.
CACHE_OPT=()
[ "$SMOKE" = 1 ] && CACHE_OPT=(-Dclipcl.gemm.cache="$WORK/gemm-tuning-smoke.json")
export CLIPCL_JAVA_OPTS="-Xmx$XMX ${CACHE_OPT[*]:-} ${CLIPCL_JAVA_OPTS:-}"
SG_THREADS="1,$THREADS"
[ "$THREADS" = 1 ] && SG_THREADS=1

echo "cpu-bench: building the peers module (ONNX Runtime, libtorch; downloaded once)..." >&2
mvn -B -ntp -q -Ppeers -pl bench-peers -am package -Dmaven.test.skip=true >&2
JAVA=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED
      -XX:+UseParallelGC -Xss16m "-Xmx$XMX" -XX:ErrorFile=/tmp/clipcl-peers-hs_err_%p.log "${CACHE_OPT[@]}"
      -cp "$(cat bench-peers/target/classpath.txt):bench-peers/target/classes")
# JavaCPP's first extraction of libtorch can crash the JVM; a second load from the filled cache works.
"${JAVA[@]}" clipcl.peers.PeerMain load >/dev/null 2>&1 || "${JAVA[@]}" clipcl.peers.PeerMain load >&2
# OpenBLAS reads this at load; the machine may set it to a narrower core than it has.
unset OPENBLAS_CORETYPE

for m in ViT-B-32 RN50; do
    if [ ! -f "$WORK/$m/image.onnx" ]; then
        echo "cpu-bench: exporting $m to ONNX under $WORK/$m..." >&2
        /usr/bin/python3 bench/peer/export_onnx.py --model "$m" --out "$WORK/$m" >&2
    fi
done

section() { printf '\n## %s\n\n' "$1"; }

# Debian's PyTorch calls whatever libblas.so.3 is selected: netlib's reference BLAS (a few GFLOP/s)
# unless OpenBLAS is installed. Then the PyTorch peers run on the OpenBLAS JavaCPP unpacked (the
# one libtorch uses), put first on their library path under the BLAS names.
PY_BLAS="system $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo libblas.so.3)"
jcpp_openblas=$(ls "$HOME"/.javacpp/cache/openblas-*-linux-x86_64.jar/org/bytedeco/openblas/linux-x86_64/libopenblas.so.0 2>/dev/null | head -1)
case "$PY_BLAS" in
    *openblas*) ;;
    *) if [ -n "$jcpp_openblas" ]; then
           mkdir -p "$WORK/blas"
           for n in libblas.so.3 libcblas.so.3 liblapack.so.3; do ln -sf "$jcpp_openblas" "$WORK/blas/$n"; done
           export LD_LIBRARY_PATH="$WORK/blas${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
           PY_BLAS="$jcpp_openblas (put first as libblas.so.3; the system one is netlib's reference BLAS)"
       fi ;;
esac
export OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS"

report() {

echo "# clipcl CPU benchmarks"
echo
echo "- machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) CPUs, $(free -g | awk '/Mem:/{print $2}') GiB"
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); threads: $THREADS; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$SMOKE" = 1 ] && echo "- **smoke run: smallest sizes, numbers meaningless**"
echo "- ratios are speeds, ours / peer (> 1: ours faster)"
echo "- BLAS under Debian's PyTorch: $PY_BLAS"

section "SGEMM variants: FMA peak calibration and tuning (1 thread; the winner is cached and used below)"
"${JAVA[@]}" clipcl.tensor.cpu.SgemmTuning "$TUNE_ROUNDS" 2>/dev/null

section "SGEMM against libtorch 2.10 (JavaCPP), alternating in one JVM"
"${JAVA[@]}" clipcl.peers.PeerMain sgemm --peer libtorch --threads "$SG_THREADS" --shapes "$SG_SHAPES" --seconds "$SG_SECONDS" 2>/dev/null

section "SGEMM $SG_ALL, every variant, against libtorch 2.10"
"${JAVA[@]}" clipcl.peers.PeerMain sgemm --peer libtorch --threads "$SG_THREADS" --shapes "$SG_ALL" --seconds "$SG_SECONDS" --variants all 2>/dev/null

section "SGEMM against OpenBLAS (FFM), alternating in one JVM"
# Debian's libopenblas0-pthread if installed, else the OpenBLAS 0.3.31 that JavaCPP unpacked for libtorch.
openblas=""
for f in /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0 /usr/lib/x86_64-linux-gnu/libopenblas.so.0 \
         "$HOME"/.javacpp/cache/openblas-*-linux-x86_64.jar/org/bytedeco/openblas/linux-x86_64/libopenblas.so.0; do
    if [ -f "$f" ]; then openblas="$f"; break; fi
done
if [ -n "$openblas" ]; then
    echo "OpenBLAS: $openblas"
    echo
    "${JAVA[@]}" clipcl.peers.PeerMain sgemm --peer openblas --openblas "$openblas" --threads "$SG_THREADS" \
        --shapes "$SG_SHAPES" --seconds "$SG_SECONDS" 2>/dev/null
else
    echo "(skipped: no OpenBLAS found; apt-get install libopenblas0-pthread)"
fi

for m in ViT-B-32 RN50; do
    section "$m inference against ONNX Runtime 1.23, $THREADS threads, same weights, alternating in one JVM"
    "${JAVA[@]}" clipcl.peers.PeerMain encode --peer onnxruntime --model "$m" --dir "$WORK/$m" --threads "$THREADS" \
        --batches "$BATCHES" --text-batch "$TEXT_BATCH" --seconds "$ENC_SECONDS" --rounds "$ENC_ROUNDS" 2>/dev/null
done

for m in ViT-B-32 RN50; do
    section "$m inference against Debian's PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), $THREADS threads (one process after the other)"
    ours=$(./clipcl bench encode --model "$m" --threads "$THREADS" --seconds "$ENC_SECONDS" --json | tail -1)
    theirs=$(/usr/bin/python3 bench/peer/peer_encode.py --model "$m" --threads "$THREADS" --seconds "$ENC_SECONDS")
    OURS="$ours" THEIRS="$theirs" /usr/bin/python3 - <<'PY'
import json, os
ours = json.loads(os.environ["OURS"])
print("| what | batch | ours items/s | torch items/s | ours/torch |")
print("|---|---|---|---|---|")
for line in os.environ["THEIRS"].splitlines():
    p = json.loads(line)
    key = f"{p['bench']}_b{p['batch']}_items_per_s"
    if key in ours:
        print(f"| {p['bench']} | {p['batch']} | {ours[key]:.1f} | {p['items_per_s']:.1f} | {ours[key] / p['items_per_s']:.2f} |")
PY
done

section "ViT-B/32's residual block (width 768, 12 heads, seq 50, batch 8) against libtorch 2.10, $THREADS threads, same weights, alternating in one JVM"
"${JAVA[@]}" clipcl.peers.PeerMain block --peer libtorch --threads "$THREADS" "${BLOCK_ARGS[@]}" 2>/dev/null
echo
"${JAVA[@]}" clipcl.peers.PeerMain block --peer libtorch --backward true --threads "$THREADS" "${BLOCK_ARGS[@]}" 2>/dev/null | tail -1

section "ViT-B/32 training step, batch $TRAIN_BATCH, $THREADS threads, against Debian's PyTorch (FP32, AdamW)"
ours=$(CLIPCL_JAVA_OPTS="$CLIPCL_JAVA_OPTS -Dclipcl.threads=$THREADS" ./clipcl bench train-step --model ViT-B-32 --batch "$TRAIN_BATCH" \
    --steps "$TRAIN_STEPS" --warmup "$TRAIN_WARMUP" 2>/dev/null | grep '^bench ' || true)
theirs=$(/usr/bin/python3 bench/peer/peer_train_step.py --batch "$TRAIN_BATCH" --steps "$TRAIN_STEPS" --warmup "$TRAIN_WARMUP" \
    --threads "$THREADS" | grep '^bench ' || true)
OURS="$ours" THEIRS="$theirs" /usr/bin/python3 - <<'PY'
import os
def parse(text):
    return {f[1]: float(f[2]) for f in (l.split() for l in text.splitlines()) if len(f) >= 3}
ours, theirs = parse(os.environ["OURS"]), parse(os.environ["THEIRS"])
print("| measure | ours | torch | ours/torch (speed) |")
print("|---|---|---|---|")
for k, v in theirs.items():
    if k in ours:
        speed = ours[k] / v if k.endswith("samples_per_s") else v / ours[k]
        print(f"| {k} | {ours[k]:.2f} | {v:.2f} | {speed:.2f} |")
if not ours:
    print("(ours printed no bench lines)")
PY

section "ViT-B/32 training step, batch $TRAIN_BATCH, $THREADS threads, against libtorch 2.10 (FP32, AdamW), same weights, alternating in one JVM"
# Two trainings in one process: the heap is capped below the machine (libtorch's memory is outside it).
MALLOC_ARENA_MAX=2 "${JAVA[@]/#-Xmx*/-Xmx$LT_TRAIN_XMX}" clipcl.peers.PeerMain train-step --peer libtorch --model ViT-B-32 --batch "$TRAIN_BATCH" \
    --threads "$THREADS" "${LT_TRAIN_ARGS[@]}" 2>/dev/null

}

mkdir -p "$(dirname "$OUT")"
report | tee "$OUT.partial"
mv "$OUT.partial" "$OUT"
echo "cpu-bench: wrote $OUT" >&2
