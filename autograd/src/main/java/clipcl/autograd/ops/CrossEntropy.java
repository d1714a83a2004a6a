package clipcl.autograd.ops;

import clipcl.autograd.Function;
import clipcl.autograd.Var;
import clipcl.tensor.DType;
import clipcl.tensor.Tensor;
import clipcl.tensor.Training;

/**
 * Mean cross-entropy of logits [N,C] against integer targets [N] (log-softmax and NLL fused):
 * loss = mean_i (logsumexp(x_i) - x_i[t_i]). The backend computes the per-row losses and keeps each
 * row's logsumexp; saves the logits (no copy), the targets and those [N] values; backward is one
 * pass: dx = (softmax(x) - onehot(t)) g / N.
 */
public final class CrossEntropy extends Function {
    private Tensor logits, targets, lse;

    /** Targets from the host: checked here, then copied to the logits' device (one transfer of N ints). */
    public static Var apply(Var logits, int[] targets) {
        String what = "cross_entropy of logits " + logits.shape();
        if (logits.rank() != 2) throw new IllegalArgumentException(what + ": logits must be [N, C]");
        int n = logits.dim(0), c = logits.dim(1);
        if (targets.length != n) throw new IllegalArgumentException(what + ": " + targets.length + " targets for " + n + " rows");
        for (int i = 0; i < n; i++) {
            if (targets[i] < 0 || targets[i] >= c) throw new IllegalArgumentException(what + ": target " + targets[i] + " of row " + i + " out of range [0, " + c + ")");
        }
        try (Tensor host = Tensor.of(targets, n); Tensor t = host.to(logits.data().device())) { // host-by-design: targets given as int[]
            return apply(logits, t);
        }
    }

    /** Targets as an I32 tensor [N] on the logits' device (no transfer; the backend checks their range). */
    public static Var apply(Var logits, Tensor targets) {
        String what = "cross_entropy of logits " + logits.shape();
        if (logits.rank() != 2) throw new IllegalArgumentException(what + ": logits must be [N, C]");
        if (targets.dtype() != DType.I32) throw new IllegalArgumentException(what + ": targets must be I32, got " + targets.dtype() + " " + targets.shape());
        if (targets.rank() != 1 || targets.dim(0) != logits.dim(0)) throw new IllegalArgumentException(what + ": targets " + targets.shape() + " for " + logits.dim(0) + " rows");
        if (logits.dim(0) == 0) throw new IllegalArgumentException(what + ": no rows");
        CrossEntropy f = new CrossEntropy();
        f.connect(logits);
        Tensor[] r = Training.crossEntropy(logits.data(), targets);
        Tensor loss;
        try (Tensor rows = r[0]) {
            loss = rows.mean();
        }
        if (f.anyNeedsGrad()) {
            f.logits = f.save(logits.data());
            f.targets = f.save(targets);
            f.lse = f.own(r[1]);
        } else {
            r[1].close();
        }
        return f.output(loss);
    }

    @Override
    protected Tensor[] backward(Tensor g) {
        int n = logits.dim(0);
        try (Tensor gs = g.div((double) n); Tensor g1 = gs.reshape(1); Tensor dloss = g1.expand(n)) {
            return new Tensor[] {Training.crossEntropyBackward(logits, targets, lse, dloss)};
        }
    }
}
