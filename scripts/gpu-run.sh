#!/usr/bin/env bash
# Packs what the GPU machine needs, then (there) runs the GPU test suite and the GPU benchmarks
# side by side with PyTorch, and prints a short table last.
#
# STATUS: ran on an NVIDIA H200 (driver 580, PyTorch 2.11 with CUDA 13.0 libraries): the natives
# load, kernel_check and every GPU suite pass, the benchmarks and the ViT-B/32 training step pair
# with PyTorch's (bench/RESULTS.md, bench/gpu/).
#
#   scripts/gpu-run.sh pack   # here: JDK 25 + Maven; downloads JavaCPP's linux-x86_64 natives once
#   scripts/gpu-run.sh run    # on the device machine, in the repo root, with .device carried
#   scripts/gpu-run.sh profile   # there too: where the ViT-B/32 training step's GPU time goes
#   GPU_RUN_NO_NATIVES=1 scripts/gpu-run.sh pack   # everything but the natives download (a dry run)
#   GPU_RUN_SKIP_BENCH=1 scripts/gpu-run.sh run     # the checks and GPU suites alone
#
# With the session's device tool:  run(command="scripts/gpu-run.sh run", carry=[".device"])
# What .device/ holds (git-ignored; must stay under the tool's 64 MiB):
#   jre.tgz      a jlinked Temurin 25 (java.base, java.management, java.logging, jdk.zipfs for
#                JUnit's scan of the test jar, jdk.incubator.vector, jdk.unsupported): the device
#                machine has no Java
#   kernel_check the CUDA kernels' own check against their CPU references (src/test/cuda), run first
#   jars/        tensor, cuda-kernels (+ its test classes), javacpp, cuda (Java API only),
#                junit-platform-console-standalone
#   natives/     libjnijavacpp.so, libjnicudart.so, libjnicublas.so out of JavaCPP's linux-x86_64
#                jars (the rest of those jars, ~all of their size, is left behind); they link
#                against the device's own CUDA 13 libraries (PyTorch's), found with find(1) at run time
# Results also go to $OUT/gpu-results.txt when the device tool provides $OUT.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
DEV="$ROOT/.device"
PRESETS="13.3-9.25-1.5.14"   # keep equal to cuda.presets.version in cuda-kernels/pom.xml
JAVACPP="1.5.14"
JUNIT_CONSOLE="1.11.4"
XCHART="3.8.8"         # keep equal to continual/pom.xml

pack() {
    . "$ROOT/scripts/find-jdk.sh"
    find_jdk || exit 1
    local m2="$HOME/.m2/repository" tmp
    rm -rf "$DEV" && mkdir -p "$DEV/jars" "$DEV/natives"
    "$ROOT/scripts/compile-cuda.sh"
    # The kernels' own validate-then-benchmark program (static cudart: needs only the driver there).
    "${NVCC:-nvcc}" -std=c++17 -O2 -gencode arch=compute_90,code=[sm_90,compute_90] --Werror all-warnings \
        -Xcompiler -Wall,-Wextra -I "$ROOT/cuda-kernels/src/main/cuda" -o "$DEV/kernel_check" "$ROOT/cuda-kernels/src/test/cuda/kernel_check.cu"
    (cd "$ROOT" && mvn -B -q -pl cuda-kernels,continual -am package -DskipTests)
    cp "$ROOT"/tensor/target/tensor-*.jar "$ROOT"/autograd/target/autograd-*.jar "$ROOT"/clip-model/target/clip-model-*.jar \
       "$ROOT"/continual/target/continual-*.jar "$ROOT"/cuda-kernels/target/cuda-kernels-*.jar "$DEV/jars/"
    "$JAVA_HOME/bin/jar" cf "$DEV/jars/cuda-kernels-tests.jar" -C "$ROOT/cuda-kernels/target/test-classes" .
    # The autograd, CLIP and continual tests that run on a GPU (their classes only: the fixtures are read from the tree).
    for m in autograd clip-model continual; do
        (cd "$ROOT/$m/target/test-classes" && find . -name '*.class' > "$DEV/$m-classes.txt" \
            && "$JAVA_HOME/bin/jar" cf "$DEV/jars/$m-tests.jar" @"$DEV/$m-classes.txt")
        rm -f "$DEV/$m-classes.txt"
    done
    local natives=("org.bytedeco:javacpp:$JAVACPP:jar:linux-x86_64" "org.bytedeco:cuda:$PRESETS:jar:linux-x86_64")
    [ -n "${GPU_RUN_NO_NATIVES:-}" ] && natives=()
    for a in "org.bytedeco:javacpp:$JAVACPP" "org.bytedeco:cuda:$PRESETS" "${natives[@]}" \
             "org.junit.platform:junit-platform-console-standalone:$JUNIT_CONSOLE" "org.knowm.xchart:xchart:$XCHART"; do
        mvn -B -q dependency:get -Dartifact="$a" -Dtransitive=false
    done
    # XChart alone (continual's classes name it; the study the GPU runs draws no chart, so its own
    # dependencies and java.desktop stay behind).
    cp "$m2/org/bytedeco/javacpp/$JAVACPP/javacpp-$JAVACPP.jar" "$m2/org/bytedeco/cuda/$PRESETS/cuda-$PRESETS.jar" \
       "$m2/org/knowm/xchart/xchart/$XCHART/xchart-$XCHART.jar" \
       "$m2/org/junit/platform/junit-platform-console-standalone/$JUNIT_CONSOLE/junit-platform-console-standalone-$JUNIT_CONSOLE.jar" "$DEV/jars/"
    if [ -n "${GPU_RUN_NO_NATIVES:-}" ]; then
        echo "gpu-run: GPU_RUN_NO_NATIVES set: natives/ left empty (this pack cannot run on the GPU)"
    else
        tmp=$(mktemp -d)
        unzip -q -o "$m2/org/bytedeco/javacpp/$JAVACPP/javacpp-$JAVACPP-linux-x86_64.jar" 'org/bytedeco/javacpp/linux-x86_64/*' -d "$tmp"
        unzip -q -o "$m2/org/bytedeco/cuda/$PRESETS/cuda-$PRESETS-linux-x86_64.jar" \
            'org/bytedeco/cuda/linux-x86_64/libjnicudart.so' 'org/bytedeco/cuda/linux-x86_64/libjnicublas.so' -d "$tmp"
        find "$tmp" -name 'libjni*.so' -exec cp {} "$DEV/natives/" \;
        rm -rf "$tmp"
    fi
    "$JAVA_HOME/bin/jlink" --add-modules java.base,java.management,java.logging,jdk.incubator.vector,jdk.unsupported,jdk.zipfs \
        --strip-debug --no-man-pages --no-header-files --output "$DEV/jre"
    tar czf "$DEV/jre.tgz" -C "$DEV" jre && rm -rf "$DEV/jre"
    du -sh "$DEV"/* && du -sh "$DEV"
    local bytes; bytes=$(du -sb "$DEV" | cut -f1)
    [ "$bytes" -lt $((60 * 1024 * 1024)) ] || { echo "gpu-run: .device is $bytes bytes, over the device tool's budget"; exit 1; }
}

# Unpacks the JRE and points the loader at the device's CUDA libraries; sets out, java, cp, jopts.
# Everything printed from here on also goes to $out/$1.
setup() {
    out="${OUT:-/tmp/clipcl-gpu}"
    local jre=/tmp/clipcl-jre libdirs
    export PYTHONUNBUFFERED=1
    mkdir -p "$out" "$jre"
    exec > >(tee "$out/$1") 2>&1
    [ -f "$DEV/jre.tgz" ] || { echo "gpu-run: $DEV/jre.tgz missing: run 'scripts/gpu-run.sh pack' here and carry .device"; exit 1; }
    tar xzf "$DEV/jre.tgz" -C "$jre"
    java="$jre/jre/bin/java"
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
    # The device has CUDA 13.0 through PyTorch's wheels: point the loader at wherever they are.
    libdirs=$(find /opt /usr /lib /lib64 /root /home -xdev \
        \( -name 'libcudart.so.13*' -o -name 'libcublas.so.13*' -o -name 'libcublasLt.so.13*' -o -name 'libnvrtc.so.13*' -o -name 'libcudnn.so.9*' -o -name 'libcuda.so.1' \) \
        -print 2>/dev/null | xargs -r -n1 dirname | sort -u | paste -sd:)
    echo "gpu-run: CUDA library folders: ${libdirs:-none found}"
    export LD_LIBRARY_PATH="$DEV/natives:${libdirs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    cp=$(ls "$DEV"/jars/*.jar | grep -v console-standalone | paste -sd:)
    jopts=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss8m
           "-Djava.library.path=$LD_LIBRARY_PATH" -Dorg.bytedeco.javacpp.logger.debug=false)
}

step() { echo "== $1 (at ${SECONDS}s) =="; }

# Where a training step's time goes: the ViT-B/32 step with every GPU operation timed alone
# (clipcl.cuda.CudaProfile; the table comes last, warm-up steps left out), then the same step
# unprofiled at each matrix precision, and at batch 32.
profile() {
    setup gpu-profile.txt
    step "profile: ViT-B/32 training step, batch 256, BF16 products, each GPU operation timed alone"
    timeout 150 "$java" "${jopts[@]}" -Xmx24g -Dclipcl.cuda.profile=true -cp "$cp" clipcl.clip.bench.TrainStepBench --device cuda \
        --model ViT-B-32 --batch 256 --steps 3 --warmup 2 --matmul bf16 || true
    for prec in ${GPU_RUN_TRAIN_PRECISIONS:-fp32 tf32 bf16}; do
        step "training step at $prec products (unprofiled)"
        timeout 90 "$java" "${jopts[@]}" -Xmx24g -cp "$cp" clipcl.clip.bench.TrainStepBench --device cuda --model ViT-B-32 \
            --batch 256 --steps 5 --warmup 2 --matmul "$prec" || true
    done
    # An eighth of the GPU work and the same number of operations: a step time that hardly falls
    # says the host (issuing the operations), not the GPU, sets the pace.
    step "training step at batch 32, BF16 products (unprofiled)"
    timeout 90 "$java" "${jopts[@]}" -Xmx24g -cp "$cp" clipcl.clip.bench.TrainStepBench --device cuda --model ViT-B-32 \
        --batch 32 --steps 5 --warmup 2 --matmul bf16 || true
}

run() {
    local out java cp jopts
    setup gpu-results.txt

    # Steps in order of what matters most, each under its own limit (under 10 minutes together if
    # every one ran out): correctness first, then the training step beside PyTorch's, then the
    # single-op benchmarks, then the longer GPU suites.
    step "kernel_check (each kernel against its CPU reference, no Java)"
    local check_rc=0
    : > "$out/bench-clipcl.txt"; : > "$out/bench-torch.txt"
    [ -x "$DEV/kernel_check" ] || { echo "gpu-run: $DEV/kernel_check missing (pack ran without nvcc?)"; check_rc=1; }
    [ "$check_rc" -ne 0 ] || timeout 45 "$DEV/kernel_check" 2>&1 | tee "$out/kernel-check.txt" || check_rc=$?
    grep '^bench ' "$out/kernel-check.txt" >> "$out/bench-clipcl.txt" || true

    step "GPU tests (clipcl.cuda)"
    local tests_rc=0
    # From cuda-kernels/: KernelSignatureTest reads src/main/cuda relative to the module, as under Maven.
    (cd "$ROOT/cuda-kernels" && timeout 90 "$java" "${jopts[@]}" -jar "$DEV"/jars/junit-platform-console-standalone-*.jar execute \
        --class-path "$cp" --select-package clipcl.cuda --details=tree --disable-banner --disable-ansi-colors) || tests_rc=$?

    step "training step check: a one-layer ViT-B/32-wide CLIP, 3 steps on cuda (FP32 products) against the CPU"
    timeout 60 "$java" "${jopts[@]}" -cp "$cp" clipcl.clip.bench.TrainStepBench --device cuda --model ViT-B-32 --matmul fp32 --check-only \
        | tee -a "$out/bench-clipcl.txt" || tests_rc=1
    if [ -z "${GPU_RUN_SKIP_BENCH:-}" ]; then
        # BF16 (the pair of PyTorch's BF16 autocast) first; GPU_RUN_TRAIN_PRECISIONS="bf16 tf32" adds others,
        # named train_step_<precision>_... so that only the BF16 run pairs with PyTorch's.
        step "training step: clipcl (ViT-B/32, batch 256, matrix inputs per precision, FP32 master weights)"
        for prec in ${GPU_RUN_TRAIN_PRECISIONS:-bf16}; do
            timeout 120 "$java" "${jopts[@]}" -Xmx24g -cp "$cp" clipcl.clip.bench.TrainStepBench --device cuda --model ViT-B-32 \
                --batch 256 --steps 10 --warmup 3 --matmul "$prec" \
                | if [ "$prec" = bf16 ]; then cat; else sed "s/^bench train_step_/bench train_step_${prec}_/"; fi \
                | tee -a "$out/bench-clipcl.txt" || true
        done
        step "training step: PyTorch eager, BF16 autocast"
        [ -n "${GPU_RUN_SKIP_TORCH_TRAIN:-}" ] || timeout 90 "${PYTHON:-python3}" "$ROOT/scripts/gpu_train_torch.py" 256 10 | tee -a "$out/bench-torch.txt" || true

        step "benchmarks: clipcl"
        timeout 60 "$java" "${jopts[@]}" -cp "$cp" clipcl.cuda.CudaBench 4096 | tee -a "$out/bench-clipcl.txt" || true
        step "benchmarks: PyTorch"
        timeout 60 "${PYTHON:-python3}" "$ROOT/scripts/gpu_bench_torch.py" 4096 | tee -a "$out/bench-torch.txt" || true
    fi

    step "GPU tests: every autograd gradient case, the golden CLIP and every continual method's MST study on cuda, against the CPU"
    # From clip-model/: the golden test reads its fixtures from src/test/resources.
    (cd "$ROOT/clip-model" && timeout 120 "$java" "${jopts[@]}" -jar "$DEV"/jars/junit-platform-console-standalone-*.jar execute \
        --class-path "$cp" --select-class clipcl.autograd.CudaGradCasesTest --select-class clipcl.clip.model.ClipCudaTest \
        --select-class clipcl.continual.protocol.StudyCudaTest \
        --details=summary --disable-banner --disable-ansi-colors) || tests_rc=$?
    echo "== table (ratio: clipcl/torch for rates, torch/clipcl for times and bytes: > 1 means clipcl is ahead) =="
    python3 - "$out/bench-clipcl.txt" "$out/bench-torch.txt" <<'PY'
import sys
def load(p):
    d = {}
    for line in open(p):
        f = line.split()
        if len(f) == 4 and f[0] == "bench": d[f[1]] = (float(f[2]), f[3])
    return d
ours, torch = load(sys.argv[1]), load(sys.argv[2])
print(f"| {'benchmark':28} | {'clipcl':>12} | {'PyTorch':>12} | {'unit':8} | {'ratio':>6} |")
print(f"|{'-'*30}|{'-'*14}|{'-'*14}|{'-'*10}|{'-'*8}|")
for name in sorted(set(ours) | set(torch)):
    o, t = ours.get(name), torch.get(name)
    unit = (o or t)[1]
    ratio = "" if not (o and t) else f"{(o[0] / t[0]) if unit in ('TFLOP/s', 'GB/s', 'samples/s') else (t[0] / o[0]):.2f}"
    print(f"| {name:28} | {o[0] if o else float('nan'):12.4g} | {t[0] if t else float('nan'):12.4g} | {unit:8} | {ratio:>6} |")
PY
    echo "gpu-run: kernel_check exit status $check_rc, GPU tests exit status $tests_rc"
    [ "$check_rc" -eq 0 ] && [ "$tests_rc" -eq 0 ]
}

case "${1:-}" in
    pack) pack ;;
    run) run ;;
    profile) profile ;;
    *) echo "usage: scripts/gpu-run.sh pack|run|profile   (pack here; run or profile on the GPU machine with .device carried)"; exit 2 ;;
esac
