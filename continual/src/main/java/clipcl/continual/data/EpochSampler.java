package clipcl.continual.data;

import clipcl.tensor.Rng;
import java.util.Arrays;

/**
 * Batches drawn without replacement from a pool of items, epoch by epoch, each epoch a fresh
 * permutation seeded by (seed, epoch); the last incomplete batch of an epoch is dropped. A batch is a
 * pure function of (seed, step), so resuming at step k needs nothing but k: no sampler state is
 * saved, and a resumed run draws exactly the batches an uninterrupted one would.
 */
public final class EpochSampler {
    private final int[] pool;
    private final int batch;
    private final long seed;
    private final int stepsPerEpoch;
    private int permEpoch = -1;
    private int[] perm;

    public EpochSampler(int[] pool, int batch, long seed) { this(pool, batch, seed, Integer.MAX_VALUE); }

    /**
     * With maxStepsPerEpoch, an epoch ends after that many batches of its permutation (the demo's
     * "train items per epoch" below the whole set).
     */
    public EpochSampler(int[] pool, int batch, long seed, int maxStepsPerEpoch) {
        if (batch <= 0) throw new IllegalArgumentException("sampler: batch must be positive, got " + batch);
        if (pool.length < batch) throw new IllegalArgumentException("sampler: " + pool.length + " items cannot fill one batch of " + batch);
        if (maxStepsPerEpoch <= 0) throw new IllegalArgumentException("sampler: steps per epoch must be positive, got " + maxStepsPerEpoch);
        this.pool = pool.clone();
        this.batch = batch;
        this.seed = seed;
        this.stepsPerEpoch = Math.min(maxStepsPerEpoch, pool.length / batch);
    }

    public int stepsPerEpoch() { return stepsPerEpoch; }

    public int poolSize() { return pool.length; }

    /** The items of batch number step (0-based, counting across epochs). */
    public int[] batch(long step) {
        if (step < 0) throw new IllegalArgumentException("sampler: negative step " + step);
        int spe = stepsPerEpoch();
        int epoch = (int) (step / spe), in = (int) (step % spe);
        if (epoch != permEpoch) {
            perm = new Rng(seed * 1_000_003L + epoch).permutation(pool.length);
            permEpoch = epoch;
        }
        int[] out = Arrays.copyOfRange(perm, in * batch, in * batch + batch);
        for (int i = 0; i < out.length; i++) out[i] = pool[out[i]];
        return out;
    }
}
