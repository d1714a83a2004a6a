package clipcl.tensor;

/**
 * Counter-based random numbers: element i of a draw is a pure function of (seed, counter + i), so
 * the values do not depend on thread count or on how a fill is split into chunks. The state is two
 * longs, which checkpoints save and restore.
 */
public final class Rng {
    private final long seed;
    private long counter;

    public Rng(long seed) { this(seed, 0); }

    public Rng(long seed, long counter) {
        this.seed = seed;
        this.counter = counter;
    }

    public long seed() { return seed; }

    /** How many values were drawn so far. */
    public long counter() { return counter; }

    /** SplitMix64 finaliser of (seed, i): a high-quality 64-bit hash. */
    static long mix(long seed, long i) {
        long z = seed * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    static double unit(long seed, long i) { return (mix(seed, i) >>> 11) * 0x1.0p-53; }

    public double nextDouble() { return unit(seed, counter++); }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) throw new IllegalArgumentException("nextInt: bound must be positive, got " + bound);
        return (int) ((mix(seed, counter++) >>> 33) % bound);
    }

    /** U(lo, hi) in the given dtype (F32 or F64). */
    public Tensor uniform(DType dtype, double lo, double hi, int... shape) {
        Tensor t = Tensor.empty(dtype, shape);
        int n = t.numel();
        long base = counter;
        counter += n;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = lo + (hi - lo) * unit(seed, base + i);
        ReferenceBackend.store(t, v);
        return t;
    }

    /** N(mean, std^2) by Box-Muller; element i uses draws 2i and 2i+1. */
    public Tensor normal(DType dtype, double mean, double std, int... shape) {
        Tensor t = Tensor.empty(dtype, shape);
        int n = t.numel();
        long base = counter;
        counter += 2L * n;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double u1 = 1.0 - unit(seed, base + 2L * i); // (0, 1]: log is finite
            double u2 = unit(seed, base + 2L * i + 1);
            v[i] = mean + std * Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
        ReferenceBackend.store(t, v);
        return t;
    }

    /** A random permutation of 0..n-1 (Fisher-Yates). */
    public int[] permutation(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
