#!/usr/bin/env bash
# Compiles every CUDA kernel family (cuda-kernels/src/main/cuda/*.cu) with nvcc into a fatbin
# holding sm_XX machine code and compute_XX PTX (so ptxas checks every kernel here, and newer GPUs
# can JIT the PTX), with warnings as errors, and writes them where the cuda-kernels jar picks them
# up as resources: cuda-kernels/target/generated-resources/cuda/clipcl/cuda/kernels/<family>.fatbin.
# Then builds and runs the host-side checks of the kernels' CPU references with g++
# (cuda-kernels/src/test/cpp/ref_check.cpp), which need no GPU.
#
#   scripts/compile-cuda.sh            # all of it
#   CUDA_ARCHS="90 100" scripts/...    # machine code for several architectures (default: 90, Hopper)
#   NVCC=/path/to/nvcc scripts/...     # another nvcc (default: nvcc on PATH, else /usr/local/bin/nvcc)
#
# Without nvcc the kernel compilation is skipped with a message (exit 0): the Java module still
# builds, and its GPU tests skip. ./run-tests calls this script before Maven.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
SRC="$ROOT/cuda-kernels/src/main/cuda"
OUT="$ROOT/cuda-kernels/target/generated-resources/cuda/clipcl/cuda/kernels"
LOG="$ROOT/cuda-kernels/target/cuda-build"
ARCHS="${CUDA_ARCHS:-90}"
start=$(date +%s)

NVCC="${NVCC:-$(command -v nvcc || true)}"
[ -z "$NVCC" ] && [ -x /usr/local/bin/nvcc ] && NVCC=/usr/local/bin/nvcc
mkdir -p "$LOG"

if [ -z "$NVCC" ]; then
    echo "compile-cuda: nvcc not found (PATH or /usr/local/bin/nvcc): CUDA kernels NOT compiled; the GPU backend will have no kernels"
else
    mkdir -p "$OUT"
    gencode=()
    last=""
    for a in $ARCHS; do gencode+=("-gencode" "arch=compute_$a,code=sm_$a"); last=$a; done
    gencode+=("-gencode" "arch=compute_$last,code=compute_$last")
    # -Werror all-warnings: front-end warnings fail the build; ptxas: any warning (spills included,
    # through --warn-on-spills) fails it too, and -v prints each kernel's registers and shared memory.
    flags=(-std=c++17 -O3 --Werror all-warnings -Xptxas -v,--warn-on-spills,--warning-as-error -I "$SRC" "${gencode[@]}")
    echo "compile-cuda: $("$NVCC" --version | tail -2 | head -1), archs: $ARCHS"
    export NVCC OUT LOG
    printf '%s\n' "${flags[@]}" > "$LOG/flags"
    status=0
    ls "$SRC"/*.cu | xargs -P "$(nproc)" -I{} bash -c '
        f="{}"; name=$(basename "$f" .cu)
        mapfile -t flags < "$LOG/flags"
        if "$NVCC" -fatbin "${flags[@]}" -o "$OUT/$name.fatbin" "$f" > "$LOG/$name.log" 2>&1; then
            echo "  $name.cu -> $name.fatbin ($(grep -c "Compiling entry function" "$LOG/$name.log") kernels)"
        else
            echo "  $name.cu FAILED:"; cat "$LOG/$name.log"; exit 1
        fi' || status=1
    [ $status -eq 0 ] || { echo "compile-cuda: nvcc failed"; exit 1; }
    # Register and spill report of every kernel, for reading, not for gating.
    grep -h -E "Compiling entry function|Used [0-9]+ registers" "$LOG"/*.log > "$LOG/ptxas-report.txt" || true
fi

CXX="${CXX:-$(command -v g++ || true)}"
if [ -z "$CXX" ]; then
    echo "compile-cuda: g++ not found: CPU reference checks skipped"
else
    "$CXX" -std=c++17 -O1 -Wall -Wextra -Werror -I "$SRC" -o "$LOG/ref_check" "$ROOT/cuda-kernels/src/test/cpp/ref_check.cpp" -lm
    "$LOG/ref_check" | sed 's/^/  /'
fi
echo "compile-cuda: done in $(( $(date +%s) - start )) s"
