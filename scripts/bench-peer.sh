#!/usr/bin/env bash
# `clipcl bench sgemm|encode|block|train-step ... --peer libtorch|onnxruntime|openblas`: ours against
# a native peer in one JVM (clipcl.peers.PeerMain in bench-peers/). The first use builds the peers
# module (Maven profile -Ppeers; about 180 MB of jars downloaded once); encode exports the model to
# ONNX with Debian's PyTorch under ${CLIPCL_PEER_WORK:-/tmp/clipcl-cpu-bench}/<model> when it is not there.
usage() {
    cat <<'USAGE'
usage: scripts/bench-peer.sh sgemm [--size N | --shape qkv|qkvT|fc1|fc2|fc2T|attn] [--threads T] [--seconds S] --peer libtorch|openblas
       scripts/bench-peer.sh encode [--model ViT-B-32|RN50] [--threads T] [--seconds S] --peer onnxruntime
       scripts/bench-peer.sh block [--backward] [--causal] [--width 768] [--heads 12] [--seq 50] [--batch 8]
                                   [--threads 2] [--seconds 6] [--rounds 3] --peer libtorch
       scripts/bench-peer.sh train-step [--model ViT-B-32] [--batch 32] [--threads 2] [--seconds 60] [--rounds 3] --peer libtorch
(or `clipcl bench <what> ... --peer NAME`, which comes here). Ours and the peer run alternately in one
JVM; each prints a markdown row, speed ratios ours/peer (> 1: ours faster).

  block       one CLIP residual block (pre-LN, packed in_proj attention, QuickGELU MLP), float32; the
              defaults are ViT-B/32's. libtorch gets our weights; the outputs (and with --backward the
              input and parameter gradients) must agree within 1e-4 of their scale before any timing.
              Forward alone runs without a graph on both sides.
  train-step  a full CLIP training step (both towers, contrastive loss with the logit scale, clipping
              to norm 1, AdamW), as `clipcl bench train-step` on the CPU: same model, weights, batch
              and hyper-parameters. Two steps on each side first: the losses must agree (1e-4
              relative, then 1e-3 after the AdamW update). --seconds is the timed time per side;
              one step of ViT-B-32 at batch 32 takes seconds, so expect minutes.
  --threads   both sides: ours's workers, libtorch's intra-op threads and its bundled OpenBLAS's.
USAGE
}
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
. scripts/find-jdk.sh
find_jdk || exit 1
WORK="${CLIPCL_PEER_WORK:-/tmp/clipcl-cpu-bench}"

what="${1:-}"; shift || true
case "$what" in -h|--help|help|"") usage; [ -n "$what" ]; exit $? ;; esac
args=() model=ViT-B-32
while [ $# -gt 0 ]; do
    case "$1" in
        --size|--shape) args+=(--shapes "$2"); shift 2 ;;
        --model) model="$2"; args+=(--model "$2"); shift 2 ;;
        --peer|--threads|--seconds|--batches|--text-batch|--rounds|--variants|--openblas|--coretype) args+=("$1" "$2"); shift 2 ;;
        --width|--heads|--seq|--batch) args+=("$1" "$2"); shift 2 ;;
        --backward|--causal) args+=("$1" true); shift ;;
        -h|--help) usage; exit 0 ;;
        --json) shift ;;   # the peer runner prints markdown rows only
        *) echo "bench-peer: unknown option $1 for $what (see --help)" >&2; exit 2 ;;
    esac
done
case "$what" in
    sgemm|block|train-step) ;;
    encode)
        if [ ! -f "$WORK/$model/image.onnx" ]; then
            echo "bench-peer: exporting $model to ONNX under $WORK/$model (Debian's python3-torch)..." >&2
            /usr/bin/python3 bench/peer/export_onnx.py --model "$model" --out "$WORK/$model" >&2
        fi
        args+=(--dir "$WORK/$model") ;;
    *) echo "bench-peer: sgemm, encode, block or train-step, not '$what' (see --help)" >&2; exit 2 ;;
esac

CP_FILE=bench-peers/target/classpath.txt
if [ ! -f "$CP_FILE" ] || [ -n "$(find bench bench-peers tensor clip-model -path '*/src/main/*' -newer "$CP_FILE" -print -quit)" ]; then
    echo "bench-peer: building the peers module (first use downloads ONNX Runtime and libtorch)..." >&2
    mvn -B -ntp -q -Ppeers -pl bench-peers -am package -Dmaven.test.skip=true >&2
    touch "$CP_FILE"
fi
unset OPENBLAS_CORETYPE   # OpenBLAS reads it at load; the machine may name a narrower core than it has
# train-step holds two ViT-B/32 trainings at once: ours on the heap, libtorch's outside it (about 7 GB
# at batch 32; 15 GB of RSS in all), so its heap is capped lower; CLIPCL_PEER_XMX overrides. glibc's per-thread malloc
# arenas can each keep freed activations of libtorch's; two arenas bound that (its effect alone not measured).
xmx=12g
if [ "$what" = train-step ]; then
    xmx=9g
    export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
fi
JAVA=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC
      -Xss16m "-Xmx${CLIPCL_PEER_XMX:-$xmx}" -XX:ErrorFile=/tmp/clipcl-peers-hs_err_%p.log -cp "$(cat "$CP_FILE"):bench-peers/target/classes")
# JavaCPP's first extraction of libtorch can crash the JVM; a second load from the filled cache works.
"${JAVA[@]}" clipcl.peers.PeerMain load >/dev/null 2>&1 || "${JAVA[@]}" clipcl.peers.PeerMain load >/dev/null
exec "${JAVA[@]}" clipcl.peers.PeerMain "$what" "${args[@]}" 2> >(grep --line-buffered -v -e '^WARNING: Using incubator modules' >&2)
