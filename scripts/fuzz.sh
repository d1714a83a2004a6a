#!/usr/bin/env bash
# Coverage-guided fuzzing of one loader with Jazzer: scripts/fuzz.sh TARGET [EXECUTIONS] [SECONDS]
# TARGET is a method of clip-model's LoaderJazzerTest (safetensors, karpathySplit, image, torchZip,
# torchScript, checkpoint, json, npy, modelConfig, idx, pickle, tokenizerText). It runs EXECUTIONS
# inputs (default 1,000,000), or stops after SECONDS when given. A finding fails the run and is
# written to clip-model/src/test/resources/clipcl/clip/fuzz/LoaderJazzerTestInputs/TARGET/, where the
# normal test suite replays it. The grown corpus is kept in clip-model/.cifuzz-corpus/.
# FUZZ_XMX sets the test JVM's heap (default 768m); FUZZ_FINDINGS how many distinct findings to
# collect before stopping (default 1).
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
. "$ROOT/scripts/find-jdk.sh"
find_jdk || exit 1
if [ $# -lt 1 ]; then
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
TARGET="$1" RUNS="${2:-1000000}" SECONDS_LIMIT="${3:-0}"
cd "$ROOT"
export JAZZER_FUZZ=1
exec mvn -B -ntp -o -pl clip-model -am verify -Pjazzer -Dtest="LoaderJazzerTest#$TARGET" \
    -Djazzer.runs="$RUNS" -Djazzer.seconds="$SECONDS_LIMIT" -Djazzer.xmx="${FUZZ_XMX:-768m}" -Djazzer.findings="${FUZZ_FINDINGS:-1}"
