package clipcl.bench;

import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Row-wise and elementwise ops on CLIP ViT-B/32 shapes at batch 8, called through the public
 * Tensor API (so whichever CPU backend is active is what gets timed). The same cases, names and
 * shapes are timed in PyTorch by bench/peer/peer_bench.py.
 */
public final class OpsBench {
    /** One op on inputs made from a fixed seed; {@code shape} is the main input's shape. */
    public record Case(String name, int[] shape, Function<Tensor[], Tensor> op, int inputs) {
        public String shapeText() { return Arrays.toString(shape).replace(" ", ""); }

        /** Fresh inputs: x of {@code shape}; for layer_norm also weight and bias over the last dim. */
        public Tensor[] makeInputs() {
            Rng rng = new Rng(3);
            Tensor[] in = new Tensor[inputs];
            in[0] = rng.normal(DType.F32, 0, 1, shape);
            int last = shape[shape.length - 1];
            for (int i = 1; i < inputs; i++) in[i] = rng.normal(DType.F32, i == 1 ? 1 : 0, 0.1, last);
            return in;
        }
    }

    private OpsBench() { }

    public static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        // Attention probabilities: image tower [8 images x 12 heads x 50 queries, 50 keys],
        // text tower [8 texts x 8 heads x 77, 77].
        c.add(new Case("softmax", new int[] {8 * 12 * 50, 50}, in -> in[0].softmax(-1), 1));
        c.add(new Case("softmax", new int[] {8 * 8 * 77, 77}, in -> in[0].softmax(-1), 1));
        c.add(new Case("layer_norm", new int[] {8 * 50, 768}, in -> in[0].layerNorm(in[1], in[2], 1e-5), 3));
        c.add(new Case("layer_norm", new int[] {8 * 77, 512}, in -> in[0].layerNorm(in[1], in[2], 1e-5), 3));
        c.add(new Case("gelu", new int[] {8 * 50, 3072}, in -> in[0].gelu(), 1));
        c.add(new Case("quick_gelu", new int[] {8 * 50, 3072}, in -> in[0].quickGelu(), 1));
        return c;
    }

    /** Median ms per call after warm-up, measuring at least {@code seconds} and 5 calls. */
    public static double[] time(Case c, double seconds) {
        Tensor[] in = c.makeInputs();
        try {
            SgemmBench.warm(() -> c.op().apply(in).close(), 1.0);
            List<Double> times = new ArrayList<>();
            long start = System.nanoTime();
            while (times.size() < 5 || System.nanoTime() - start < seconds * 1e9) {
                long s = System.nanoTime();
                c.op().apply(in).close();
                times.add((System.nanoTime() - s) / 1e6);
            }
            double[] t = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new double[] {t[t.length / 2], t[0]};
        } finally {
            for (Tensor t : in) t.close();
        }
    }
}
