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
            // GEMM n^3 at each precision: 2 n^3 flops per product.
            Tensor a = random(r, cuda, n, n), c = random(r, cuda, n, n);
            for (MatmulPrecision p : MatmulPrecision.values()) {
                b.setMatmulPrecision(p);
                double ms = time(b, 3, 10, () -> { try (Scope in = Scope.open()) { a.matmul(c); } });
                report("gemm_" + p.name().toLowerCase() + "_" + n, 2.0 * n * n * n / (ms * 1e-3) / 1e12, "TFLOP/s");
            }
            b.setMatmulPrecision(MatmulPrecision.FP32);
            // Attention-shaped softmax: ViT-B/32 at batch 256 has 12 heads of 50x50 scores per image.
            Tensor scores = random(r, cuda, 256 * 12, 50, 50);
            report("softmax_vit_b32_b256", time(b, 3, 20, () -> { try (Scope in = Scope.open()) { scores.softmax(-1); } }), "ms");
            // LayerNorm over ViT-B/32's residual stream at batch 256: [256*50, 768].
            Tensor x = random(r, cuda, 256 * 50, 768), w = random(r, cuda, 768), bias = random(r, cuda, 768);
            report("layernorm_fwd_12800x768", time(b, 3, 20, () -> { try (Scope in = Scope.open()) { x.layerNorm(w, bias, 1e-5); } }), "ms");
            Tensor dy = random(r, cuda, 256 * 50, 768);
            report("layernorm_bwd_12800x768", time(b, 3, 20, () -> { try (Scope in = Scope.open()) {
                Training.layerNormBackward(dy, x, w, 1e-5, true, true, true); } }), "ms");
            // AdamW over ViT-B/32 CLIP's ~151M parameters as one flat buffer.
            int params = 151_000_000;
            Tensor p = random(r, cuda, params), g = random(r, cuda, params);
            Tensor m = Tensor.empty(DType.F32, cuda, params).fill(0), v = Tensor.empty(DType.F32, cuda, params).fill(0);
            int[] step = {0};
            report("adamw_151M", time(b, 2, 10, () -> Training.adamStep(p, g, m, v, new AdamStep(1e-5, 0.9, 0.99, 1e-8, 0.2, true, ++step[0]))), "ms");
            report("peak_allocated_bytes", b.allocator().peakInUseBytes(), "B");
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
