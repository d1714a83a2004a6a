package clipcl.tensor.cpu;

import clipcl.tensor.Backend;
import clipcl.tensor.Backends;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.Arrays;
import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Quick timing (not a JMH benchmark, not a test) of softmax, layer_norm and gelu on CLIP ViT-B/32
 * shapes for batch 8, printed as min and median microseconds per call; the peer is
 * tensor/src/test/python/time_ops.py. Also times VecMath.exp against the Vector API's own EXP.
 * <pre>
 * java --add-modules jdk.incubator.vector -Dclipcl.threads=2 -cp tensor/target/classes:tensor/target/test-classes clipcl.tensor.cpu.VecOpsTiming
 * </pre>
 */
public final class VecOpsTiming {
    private VecOpsTiming() { }

    /** {min, median} microseconds per call after a warm-up (the machine is shared: min is the steadier). */
    static double[] micros(int reps, Runnable r) {
        for (int i = 0; i < Math.max(50, reps); i++) r.run(); // warm up (C2)
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e3;
        }
        Arrays.sort(t);
        return new double[] {t[0], t[reps / 2]};
    }

    static void op(String name, int reps, Supplier<Tensor> f) {
        double[] us = micros(reps, () -> {
            try (Scope s = Scope.open()) { f.get(); }
        });
        System.out.printf("%-28s min %9.1f us  median %9.1f us%n", name, us[0], us[1]);
    }

    public static void main(String[] args) {
        Backend b = Backends.cpu();
        System.out.println("backend " + b.name() + ", threads " + clipcl.tensor.Parallel.threads() + ", lanes " + VecMath.F.length()
                + (VecMath.SCALAR ? " (scalar forced)" : ""));
        Tensor att = new Rng(1).normal(DType.F32, 0, 3, 8 * 12 * 50, 50);
        Tensor x = new Rng(2).normal(DType.F32, 0, 1, 400, 768);
        Tensor w = new Rng(3).normal(DType.F32, 1, 0.1, 768);
        Tensor bias = new Rng(4).normal(DType.F32, 0, 0.1, 768);
        Tensor h = new Rng(5).normal(DType.F32, 0, 1, 400, 3072);
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        op("softmax [4800,50]", reps, () -> att.softmax(-1));
        op("layer_norm [400,768]", reps, () -> x.layerNorm(w, bias, 1e-5));
        op("gelu [400,3072]", reps, () -> h.gelu());
        op("quick_gelu [400,3072]", reps, () -> h.quickGelu());
        op("add row-bcast [400,3072]", reps, () -> h.add(h.select(0, 0)));
        op("exp [400,3072]", reps, () -> h.exp());

        float[] in = h.toFloatArray(), out = new float[in.length];
        int n = VecMath.F.length(), ub = VecMath.F.loopBound(in.length);
        double own = micros(reps, () -> VecMath.exp(in, 0, out, 0, in.length))[0];
        double api = micros(reps, () -> {
            for (int i = 0; i < ub; i += n) FloatVector.fromArray(VecMath.F, in, i).lanewise(VectorOperators.EXP).intoArray(out, i);
        })[0];
        System.out.printf("exp 1.2M floats, 1 thread, min: VecMath.exp %.1f us, lanewise(EXP) %.1f us%n", own, api);
    }
}
