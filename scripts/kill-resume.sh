#!/usr/bin/env bash
# Kills a small continual study with SIGKILL at random moments, resumes it with --resume after each
# kill, and checks that its final metrics.json is byte-identical to that of an uninterrupted run.
#
#   scripts/kill-resume.sh [--kills N] [--seed S] [--work DIR] [-- continual options...]
#
# Default study: lwf on MST, --quick --epochs 1 --batch 64 --checkpoint-every 5 (a few minutes on
# two cores; CLIP_0 must be cached or is trained first). The first kill falls in the start-up; the
# others spread over the run by its checkpointed step: every fourth waits for a checkpoint write
# (the checkpoint's .staging folder) and lands inside it, the rest fall at a random time, in
# training, in an evaluation or in a save. Each kill is printed with its time, what the run was
# doing and the checkpoint step on disk. The uninterrupted run is kept in the work folder and reused by a later call with the same --work.
# Exit status 0 when the files are equal.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
CLIPCL="${CLIPCL:-$ROOT/clipcl}"
KILLS=20 SEED=$(( $(date +%s) % 100000 )) WORK=""
STUDY=(continual --method lwf --protocol mst --quick --epochs 1 --batch 64 --checkpoint-every 5)
while [ $# -gt 0 ]; do
    case "$1" in
        --kills) KILLS="$2"; shift 2 ;;
        --seed) SEED="$2"; shift 2 ;;
        --work) WORK="$2"; shift 2 ;;
        --) shift; STUDY=(continual "$@"); break ;;
        *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
    esac
done
[ -n "$WORK" ] || WORK="$(mktemp -d /tmp/kill-resume.XXXXXX)"
mkdir -p "$WORK"
if [ -e "$WORK/killed" ]; then echo "kill-resume: $WORK already holds a killed run; give another --work" >&2; exit 2; fi
RANDOM=$SEED
echo "kill-resume: ${STUDY[*]}; $KILLS kills, seed $SEED, work folder $WORK"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
last_line() { tr '\r' '\n' < "$1" | grep -v '^\s*$' | tail -n 1 | cut -c1-90; }
ckpt_step() { sed -n 's/^  "step": \([0-9]*\),*$/\1/p' "$1/checkpoint/trainer.json" 2>/dev/null | head -n 1; }

# 1. The uninterrupted run, and how long it takes before it trains (start-up and the evaluation of
# CLIP_0). Kept in the work folder: a second invocation with the same --work reuses it.
if [ -f "$WORK/ref.timing" ] && [ -f "$WORK/ref/metrics.json" ]; then
    read -r total startup < "$WORK/ref.timing"
    echo "uninterrupted run: reused from $WORK/ref (${total}s, training starts after ${startup}s)"
else
    rm -rf "$WORK/ref"
    t0=$(now)
    "$CLIPCL" "${STUDY[@]}" --output-dir "$WORK/ref" > "$WORK/ref.log" 2>&1 &
    ref=$!
    startup=""
    while kill -0 "$ref" 2>/dev/null; do
        if [ -z "$startup" ] && grep -q 'session 1/' "$WORK/ref.log" 2>/dev/null; then startup=$(elapsed "$t0"); fi
        sleep 0.2
    done
    wait "$ref" || { echo "kill-resume: the uninterrupted run failed:"; tail -n 20 "$WORK/ref.log"; exit 1; }
    total=$(elapsed "$t0")
    startup=${startup:-5}
    echo "$total $startup" > "$WORK/ref.timing"
    echo "uninterrupted run: ${total}s (training starts after ${startup}s)"
fi

# 2. The killed run. Kill i falls after the run has checkpointed step i * steps / (kills + 1) (the
# uninterrupted run's last step is "steps"), a random time in [0, segment] later, where segment is the
# run's time divided by kills + 1: the kills spread over the whole run (training steps, evaluations
# after the sessions, checkpoint saves) and every resume makes progress. The first kill falls in the
# start-up instead, before any checkpoint exists; every fourth waits for a checkpoint write.
steps=$(ckpt_step "$WORK/ref")
segment=$(awk -v t="$total" -v s="$startup" -v k="$KILLS" 'BEGIN { printf "%.2f", (t - s) / (k + 1) }')
killed=0
for i in $(seq 1 "$KILLS"); do
    args=("${STUDY[@]}" --output-dir "$WORK/killed")
    [ "$i" -gt 1 ] && args+=(--resume)
    log="$WORK/attempt-$i.log"
    target=$(( i * steps / (KILLS + 1) ))
    t0=$(now)
    "$CLIPCL" "${args[@]}" > "$log" 2>&1 &
    pid=$!
    if [ "$i" -eq 1 ]; then
        kind="in the start-up"
        sleep "$(awk -v s="$startup" -v r="$RANDOM" 'BEGIN { printf "%.2f", s * r / 32768 }')"
    else
        while kill -0 "$pid" 2>/dev/null; do
            step=$(ckpt_step "$WORK/killed")
            [ "${step:-0}" -ge "$target" ] && break
            sleep 0.1
        done
        if [ $((i % 4)) -eq 0 ]; then
            kind="in a checkpoint write"
            while kill -0 "$pid" 2>/dev/null && [ ! -d "$WORK/killed/checkpoint/.staging" ]; do sleep 0.005; done
        else
            kind="at random"
            sleep "$(awk -v w="$segment" -v r="$RANDOM" 'BEGIN { printf "%.2f", w * r / 32768 }')"
        fi
    fi
    staging=$([ -d "$WORK/killed/checkpoint/.staging" ] && echo yes || echo no)
    if kill -9 "$pid" 2>/dev/null; then
        wait "$pid" 2>/dev/null
        killed=$((killed + 1))
        printf 'kill %2d at %6ss %-23s staging=%-3s checkpoint step %-4s (past %3s) | %s\n' "$i" "$(elapsed "$t0")" "($kind)" "$staging" "$(ckpt_step "$WORK/killed")" "$target" "$(last_line "$log")"
    else
        wait "$pid"; rc=$?
        echo "attempt $i ended by itself (exit $rc) before its kill"
        [ $rc -ne 0 ] && { echo "kill-resume: the resumed run failed:"; tail -n 20 "$log"; exit 1; }
        break
    fi
done

# 3. The last resume runs to the end.
if [ ! -f "$WORK/killed/metrics.json" ] || [ "$killed" -eq "$KILLS" ]; then
    t0=$(now)
    "$CLIPCL" "${STUDY[@]}" --output-dir "$WORK/killed" --resume > "$WORK/final.log" 2>&1 \
        || { echo "kill-resume: the final resume failed:"; tail -n 20 "$WORK/final.log"; exit 1; }
    echo "final resume: ${t0:+$(elapsed "$t0")}s"
fi
echo "kills: $killed of $KILLS"
if cmp -s "$WORK/ref/metrics.json" "$WORK/killed/metrics.json"; then
    echo "metrics.json: identical ($(wc -c < "$WORK/ref/metrics.json") bytes, sha256 $(sha256sum < "$WORK/ref/metrics.json" | cut -c1-16))"
    [ "$killed" -eq "$KILLS" ] || { echo "kill-resume: fewer kills than asked (the run ended early)"; exit 1; }
    exit 0
fi
echo "metrics.json: DIFFERENT"
diff <(tr ',' '\n' < "$WORK/ref/metrics.json") <(tr ',' '\n' < "$WORK/killed/metrics.json") | head -n 20
exit 1
