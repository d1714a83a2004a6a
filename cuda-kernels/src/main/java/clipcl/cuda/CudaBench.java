package clipcl.cuda;

import clipcl.tensor.AdamStep;
import clipcl.tensor.DType;
import clipcl.tensor.Training;
import clipcl.tensor.Device;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import org.bytedeco.cuda.cudart.CUevent_st;
import org.bytedeco.cuda.global.cudart;

/**
 * GPU benchmarks of this backend, timed with CUDA events on the device's stream after warm-up
 * (median of several repetitions). Prints one line per result, {@code bench <name> <value> <unit>},
 * which scripts/gpu-run.sh puts beside PyTorch's numbers for the same names
 * (scripts/gpu_bench_torch.py). Run: {@code java -cp ... clipcl.cuda.CudaBench [gemmSize]}.
 */
public final class CudaBench {
    private CudaBench() { }

    /** Median milliseconds of one run of body, over reps timed runs after warm-up. */
    static double time(CudaBackend b, int warmup, int reps, Runnable body) {
        for (int i = 0; i < warmup; i++) body.run();
        b.synchronize();
        double[] ms = new double[reps];
        CUevent_st start = new CUevent_st(), stop = new CUevent_st();
        Check.rt(cudart.cudaEventCreate(start), "cudaEventCreate");
        Check.rt(cudart.cudaEventCreate(stop), "cudaEventCreate");
        try {
            float[] t = new float[1];
            for (int i = 0; i < reps; i++) {
                Check.rt(cudart.cudaEventRecord(start, b.device().stream()), "cudaEventRecord");
                body.run();
                Check.rt(cudart.cudaEventRecord(stop, b.device().stream()), "cudaEventRecord");
                Check.rt(cudart.cudaEventSynchronize(stop), "cudaEventSynchronize");
                Check.rt(cudart.cudaEventElapsedTime(t, start, stop), "cudaEventElapsedTime");
                ms[i] = t[0];
            }
        } finally {
            cudart.cudaEventDestroy(start);
            cudart.cudaEventDestroy(stop);
        }
        java.util.Arrays.sort(ms);
        return ms[reps / 2];
    }

    /**
     * Median milliseconds per call of an op run INNER times back to back per timed run, after enough
     * warm-up calls for the JIT to compile the host path: the GPU time of the op when launches queue
     * ahead, as in a training loop (one call per timed run also measures the host's launch path).
     */
    static double timeEach(CudaBackend b, Runnable op) {
        Runnable many = () -> { for (int i = 0; i < INNER; i++) try (Scope in = Scope.open()) { op.run(); } };
        return time(b, 50, 11, many) / INNER;
    }

    static final int INNER = 20;

    static void report(String name, double value, String unit) {
        System.out.printf("bench %s %.4g %s%n", name, value, unit);
    }

    @SuppressWarnings("try")
    public static void main(String[] args) {
        if (!CudaBackendProvider.isAvailable()) {
            System.out.println("bench skipped: no CUDA device: " + CudaBackendProvider.unavailableReason());
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 4096;
        CudaBackend b = CudaBackendProvider.backend(0);
        Device cuda = b.deviceId();
        java.util.Random r = new java.util.Random(1);
        try (Scope s = Scope.open()) {
            warmHostPath(b, cuda, r);
            // GEMM n^3 at each precision: 2 n^3 flops per product.
            Tensor a = random(r, cuda, n, n), c = random(r, cuda, n, n);
            for (MatmulPrecision p : MatmulPrecision.values()) {
                b.setMatmulPrecision(p);
                double ms = time(b, 3, 10, () -> { try (Scope in = Scope.open()) { a.matmul(c); } });
                report("gemm_" + p.name().toLowerCase() + "_" + n, 2.0 * n * n * n / (ms * 1e-3) / 1e12, "TFLOP/s");
            }
            b.setMatmulPrecision(MatmulPrecision.FP32);
            // The same product from operands that already are BF16, into a BF16 product (the backend's
            // own call: the tensor front end computes BF16 operands in F32), and the cast alone.
            Tensor a16 = a.to(DType.BF16).reshape(1, n, n), c16 = c.to(DType.BF16).reshape(1, n, n);
            Tensor p16 = Tensor.empty(DType.BF16, cuda, 1, n, n);
            double ms16 = time(b, 3, 10, () -> b.matmul(a16, c16, p16));
            report("gemm_bf16_inputs_" + n, 2.0 * n * n * n / (ms16 * 1e-3) / 1e12, "TFLOP/s");
            Cublas.route = Cublas.Call.STRIDED_EX;
            double msBatched = time(b, 3, 10, () -> b.matmul(a16, c16, p16));
            b.setMatmulPrecision(MatmulPrecision.TF32);
            double msTf32Ex = time(b, 3, 10, () -> { try (Scope in = Scope.open()) { a.matmul(c); } });
            report("gemm_tf32_stridedex_" + n, 2.0 * n * n * n / (msTf32Ex * 1e-3) / 1e12, "TFLOP/s");
            b.setMatmulPrecision(MatmulPrecision.FP32);
            Cublas.route = null;
            report("gemm_bf16_inputs_batched1_" + n, 2.0 * n * n * n / (msBatched * 1e-3) / 1e12, "TFLOP/s");
            report("cast_f32_bf16_" + n + "sq", time(b, 3, 10, () -> { try (Scope in = Scope.open()) { a.to(DType.BF16); } }), "ms");
            // Attention-shaped softmax: ViT-B/32 at batch 256 has 12 heads of 50x50 scores per image.
            Tensor scores = random(r, cuda, 256 * 12, 50, 50);
            report("softmax_vit_b32_b256", timeEach(b, () -> scores.softmax(-1)), "ms");
            // LayerNorm over ViT-B/32's residual stream at batch 256: [256*50, 768].
            Tensor x = random(r, cuda, 256 * 50, 768), w = random(r, cuda, 768), bias = random(r, cuda, 768);
            report("layernorm_fwd_12800x768", timeEach(b, () -> x.layerNorm(w, bias, 1e-5)), "ms");
            Tensor dy = random(r, cuda, 256 * 50, 768);
            report("layernorm_bwd_12800x768", timeEach(b, () -> Training.layerNormBackward(dy, x, w, 1e-5, true, true, true)), "ms");
            // Attention composed (q k^T scaled, masked for text, softmax, times v) at ViT-B/32's shapes, batch 256: 12 heads of 50 tokens and 8 causal heads
            // of 77 tokens, head dim 64, FP32 and at the BF16 matrix precision.
            Tensor causal = causalMask(cuda, 77);
            for (MatmulPrecision p : new MatmulPrecision[] {MatmulPrecision.FP32, MatmulPrecision.BF16}) {
                b.setMatmulPrecision(p);
                String tag = p.name().toLowerCase(java.util.Locale.ROOT);
                for (int[] shape : new int[][] {{256 * 12, 50}, {256 * 8, 77}}) {
                    Tensor q = random(r, cuda, shape[0], shape[1], 64), k = random(r, cuda, shape[0], shape[1], 64), v = random(r, cuda, shape[0], shape[1], 64);
                    Tensor mask = shape[1] == 77 ? causal : null;
                    report("attention_" + (mask == null ? "image" : "text") + "_" + tag + "_b256", timeEach(b, () -> {
                        Tensor att = q.matmul(k.mT()).mul(0.125);      // [BH, L, L]
                        if (mask != null) att = att.add(mask);
                        att.softmax(-1).matmul(v);                     // [BH, L, 64]
                    }), "ms");
                }
            }
            b.setMatmulPrecision(MatmulPrecision.FP32);
            // The same attention through the fused kernels (attention.cu), forward alone and forward
            // plus backward (dq, dk, dv), on FP32 operands; then the composed path again.
            b.setFusedAttention(true);
            for (int[] shape : new int[][] {{256 * 12, 50}, {256 * 8, 77}}) {
                Tensor q = random(r, cuda, shape[0], shape[1], 64), k = random(r, cuda, shape[0], shape[1], 64), v = random(r, cuda, shape[0], shape[1], 64);
                Tensor g = random(r, cuda, shape[0], shape[1], 64);
                Tensor mask = shape[1] == 77 ? causal : null;
                String name = mask == null ? "image" : "text";
                report("attention_" + name + "_fused_fp32_b256", timeEach(b, () -> Training.attention(q, k, v, mask, 0.125)), "ms");
                report("attention_" + name + "_fwdbwd_fp32_b256", timeEach(b, () -> {
                    Tensor[] fwd = Training.attention(q, k, v, mask, 0.125);
                    Training.attentionBackward(q, k, v, fwd[1], g, 0.125, true, true, true);
                }), "ms");
            }
            b.setFusedAttention(false);
            // AdamW over ViT-B/32 CLIP's ~151M parameters as one flat buffer.
            int params = 151_000_000;
            Tensor p = random(r, cuda, params), g = random(r, cuda, params);
            Tensor m = Tensor.empty(DType.F32, cuda, params).fill(0), v = Tensor.empty(DType.F32, cuda, params).fill(0);
            int[] step = {0};
            report("adamw_151M", time(b, 2, 10, () -> Training.adamStep(p, g, m, v, new AdamStep(1e-5, 0.9, 0.99, 1e-8, 0.2, true, ++step[0]))), "ms");
            // Per-op host cost: 1,000 adds of 1,024 elements, so small that the GPU waits on the host.
            Tensor s1 = random(r, cuda, 1024), s2 = random(r, cuda, 1024);
            report("small_add_us_per_op", time(b, 2, 5, () -> {
                for (int i = 0; i < 1000; i++) try (Scope in = Scope.open()) { s1.add(s2); }
            }), "us");  // ms for 1,000 ops = us per op
            report("peak_allocated_bytes", b.allocator().peakInUseBytes(), "B");
        }
    }

    /**
     * Runs each benchmarked host path on small operands until the JIT has compiled it, so that the
     * timed calls below measure the steady state of a training loop, not the bytecode interpreter
     * (a dozen timed calls never leave it).
     */
    static void warmHostPath(CudaBackend b, Device cuda, java.util.Random r) {
        Tensor x = random(r, cuda, 64, 64), w = random(r, cuda, 64);
        for (MatmulPrecision p : MatmulPrecision.values()) {
            b.setMatmulPrecision(p);
            for (int i = 0; i < 2_000; i++) try (Scope in = Scope.open()) { x.matmul(x); }
        }
        b.setMatmulPrecision(MatmulPrecision.FP32);
        for (int i = 0; i < 2_000; i++) {
            try (Scope in = Scope.open()) {
                x.to(DType.BF16);
                x.softmax(-1);
                x.layerNorm(w, w, 1e-5);
                x.add(x);
            }
        }
        b.synchronize();
    }

    /** [L, L] with -inf above the diagonal (OpenAI's text mask). */
    static Tensor causalMask(Device cuda, int l) {
        float[] m = new float[l * l];
        for (int i = 0; i < l; i++) for (int j = i + 1; j < l; j++) m[i * l + j] = Float.NEGATIVE_INFINITY;
        try (Tensor h = Tensor.of(m, l, l)) {
            return h.to(cuda);
        }
    }

    /** Uniform [-1, 1) values generated on the host (fast enough for benchmark setup) and uploaded. */
    static Tensor random(java.util.Random r, Device cuda, int... dims) {
        int count = 1;
        for (int d : dims) count *= d;
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = r.nextFloat() * 2 - 1;
        try (Tensor h = Tensor.of(v, dims)) {
            return h.to(cuda);
        }
    }
}
