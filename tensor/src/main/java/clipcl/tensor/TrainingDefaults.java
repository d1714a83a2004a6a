package clipcl.tensor;

/**
 * The default bodies of {@link Backend}'s training kernels: compositions of the primitives, so they
 * run on any device with no transfer, except scatter-add, which makes a visible round trip through
 * the CPU backend (a composition would need a one-hot matrix of the destination's size). A backend with a fused kernel
 * overrides the method; what each backend overrides is listed in its class comment.
 */
final class TrainingDefaults {
    private TrainingDefaults() { }

    /** A CPU backend call on host copies of the operands. */
    @FunctionalInterface
    interface HostCall {
        void run(Backend cpu, Tensor[] in, Tensor[] out);
    }

    /**
     * Copies the inputs to the host, runs the CPU backend's kernel there and copies the outputs
     * back: two transfers per operand. With accumulate, outputs are read first (they are updated).
     * Null outputs stay null.
     */
    static void onHost(String op, Tensor[] in, Tensor[] out, boolean accumulate, HostCall call) {
        try (Scope s = Scope.open()) {
            Tensor[] hin = new Tensor[in.length], hout = new Tensor[out.length];
            for (int i = 0; i < in.length; i++) hin[i] = in[i] == null ? null : in[i].to(Device.CPU);
            for (int i = 0; i < out.length; i++) {
                if (out[i] == null) continue;
                hout[i] = accumulate ? out[i].to(Device.CPU).copy() : Tensor.empty(out[i].dtype(), Device.CPU, out[i].shape());
            }
            call.run(Backends.cpu(), hin, hout);
            for (int i = 0; i < out.length; i++) if (out[i] != null) out[i].copyFrom(hout[i]);
        } catch (RuntimeException e) {
            throw new IllegalStateException(op + " (default, through the CPU backend) failed: " + e.getMessage(), e);
        }
    }

    static void addInto(Backend b, Tensor dst, Tensor src) {
        try (Tensor sum = Tensor.empty(DType.promote(dst.dtype().computeType(), src.dtype().computeType()), dst.device(), dst.shape())) {
            b.binary(BinaryOp.ADD, dst, src, sum);
            b.copy(sum, dst);
        }
    }

    static void softmaxBackward(Tensor y, Tensor g, int dim, boolean log, double scale, Tensor dx) {
        try (Scope s = Scope.open()) {
            Tensor r;
            if (log) r = g.sub(y.exp().mul(g.sum(dim, true)));
            else r = y.mul(g.sub(g.mul(y).sum(dim, true)));
            if (scale != 1) r = r.mul(scale);
            dx.copyFrom(r);
        }
    }

    static void maskedSoftmax(Backend b, Tensor x, Tensor mask, double scale, Tensor out) {
        try (Scope s = Scope.open()) {
            Tensor z = x.mul(scale);
            if (mask != null) z = z.add(mask);
            b.softmax(z, x.rank() - 1, false, out);
        }
    }

    static void layerNormBackward(Tensor g, Tensor x, Tensor w, double eps, Tensor dx, Tensor dw, Tensor db) {
        try (Scope s = Scope.open()) {
            int n = g.dim(-1);
            if (db != null) db.copyFrom(g.reshape(-1, n).sum(0, false));
            if (dx == null && dw == null) return;
            Tensor xc = x.sub(x.mean(-1, true));
            Tensor rstd = xc.square().mean(-1, true).add(eps).rsqrt();
            Tensor xhat = xc.mul(rstd);
            if (dw != null) dw.copyFrom(g.mul(xhat).reshape(-1, n).sum(0, false));
            if (dx == null) return;
            Tensor dxh = w == null ? g : g.mul(w);
            Tensor a = dxh.mean(-1, true), c = dxh.mul(xhat).mean(-1, true);
            dx.copyFrom(dxh.sub(a).sub(xhat.mul(c)).mul(rstd));
        }
    }

    private static Tensor scalarOf(Tensor like, double v) { return Tensor.scalarLike(like, v); }

    /** lse = m + log(sum(exp(x - m))) per row (m = 0 for a row of -inf), loss = lse - x[target]. */
    static void crossEntropy(Tensor logits, Tensor targets, Tensor loss, Tensor lse) {
        int n = logits.dim(0);
        try (Scope s = Scope.open()) {
            Tensor m = logits.max(1, true);
            Tensor mm = Tensor.where(m.eq(Double.NEGATIVE_INFINITY), scalarOf(m, 0), m);
            Tensor l = logits.sub(mm).exp().sum(1, true).log().add(mm);                 // [N,1]
            Tensor picked = logits.gather(1, targets.reshape(n, 1));                    // a bad target fails here
            lse.copyFrom(l.reshape(n));
            loss.copyFrom(l.sub(picked).reshape(n));
        }
    }

    /** dx = exp(x - lse) dloss, then -dloss scattered onto each row's target. */
    static void crossEntropyBackward(Backend b, Tensor logits, Tensor targets, Tensor lse, Tensor dloss, Tensor dx) {
        int n = logits.dim(0);
        try (Scope s = Scope.open()) {
            Tensor d = dloss.reshape(n, 1);
            b.copy(logits.sub(lse.reshape(n, 1)).exp().mul(d), dx);
            Tensor negD = d.neg().to(dx.dtype());
            b.scatterAdd(dx, 1, targets.reshape(n, 1), negD);
        }
    }

    /** Row KL of softmax(old / t) and softmax(new / t) into kl, and/or its gradients times dkl into dOld, dNew. */
    static void softmaxKl(Tensor o, Tensor nw, double t, Tensor kl, Tensor dkl, Tensor dOld, Tensor dNew) {
        try (Scope s = Scope.open()) {
            Tensor lp = o.div(t).logSoftmax(-1), lq = nw.div(t).logSoftmax(-1), p = lp.exp();
            Tensor positive = p.gt(0), zero = scalarOf(p, 0);
            Tensor rowKl = Tensor.where(positive, p.mul(lp.sub(lq)), zero).sum(-1, true);   // [.., 1]
            if (kl != null) kl.copyFrom(rowKl.reshape(kl.dims()));
            if (dOld == null && dNew == null) return;
            Tensor d = dkl.reshape(rowKl.dims()).div(t);
            if (dNew != null) dNew.copyFrom(lq.exp().sub(p).mul(d));
            if (dOld != null) dOld.copyFrom(Tensor.where(positive, p.mul(lp.sub(lq).sub(rowKl)), zero).mul(d));
        }
    }

    static void unaryBackward(Backend b, UnaryOp op, Tensor saved, Tensor g, Tensor dx) {
        try (Scope s = Scope.open()) {
            Tensor zero = scalarOf(g, 0);
            Tensor r = switch (op) {
                case SIGMOID -> g.mul(saved).mul(saved.neg().add(1));
                case TANH -> g.mul(saved.square().neg().add(1));
                case RELU -> Tensor.where(saved.gt(0), g, zero);
                case ABS -> Tensor.where(saved.gt(0), g, Tensor.where(saved.lt(0), g.neg(), zero));
                case QUICK_GELU -> {
                    Tensor sg = saved.mul(1.702).sigmoid();
                    yield g.mul(sg.add(saved.mul(1.702).mul(sg).mul(sg.neg().add(1))));
                }
                case GELU -> {
                    // Phi(x) = gelu(x) / x (0.5 at x = 0); phi(x) = exp(-x^2 / 2) / sqrt(2 pi).
                    Tensor isZero = saved.eq(0);
                    Tensor safe = Tensor.where(isZero, scalarOf(saved, 1), saved);
                    Tensor phiCdf = Tensor.where(isZero, scalarOf(saved, 0.5), saved.gelu().div(safe));
                    Tensor pdf = saved.square().mul(-0.5).exp().mul(1 / Math.sqrt(2 * Math.PI));
                    yield g.mul(phiCdf.add(saved.mul(pdf)));
                }
                default -> throw new UnsupportedOperationException("unary backward of " + op + " is not a backend kernel; compose it from tensor ops");
            };
            b.copy(r, dx);
        }
    }

    static void clampBackward(Backend b, Tensor x, Tensor g, double lo, double hi, Tensor dx) {
        try (Scope s = Scope.open()) {
            Tensor in = Elementwise.binaryScalar(BinaryOp.GE, x, lo).mul(Elementwise.binaryScalar(BinaryOp.LE, x, hi));
            b.copy(Tensor.where(in, g, scalarOf(g, 0)), dx);
        }
    }

    static void linear(Backend b, Tensor x, Tensor w, Tensor bias, Tensor out) {
        try (Scope s = Scope.open()) {
            Tensor y = x.matmul(w.mT());
            if (bias != null) y = y.add(bias);
            b.copy(y, out);
        }
    }

    static void adamStep(Tensor p, Tensor g, Tensor m, Tensor v, AdamStep c) {
        try (Scope s = Scope.open()) {
            Tensor gg = c.decoupled() || c.weightDecay() == 0 ? g : g.add(p.mul(c.weightDecay()));
            Tensor pp = c.decoupled() ? p.mul(1 - c.lr() * c.weightDecay()) : p;
            Tensor mm = m.mul(c.beta1()).add(gg.mul(1 - c.beta1()));
            Tensor vv = v.mul(c.beta2()).add(gg.mul(1 - c.beta2()).mul(gg));
            Tensor den = vv.sqrt().div(Math.sqrt(c.biasCorrection2())).add(c.eps());
            Tensor np = pp.add(mm.div(den).mul(-c.lr() / c.biasCorrection1()));
            m.copyFrom(mm);
            v.copyFrom(vv);
            p.copyFrom(np);
        }
    }

    static void sgdStep(Tensor p, Tensor g, Tensor buf, SgdStep c) {
        try (Scope s = Scope.open()) {
            Tensor d = c.weightDecay() == 0 ? g : g.add(p.mul(c.weightDecay()));
            if (buf != null) {
                Tensor nb = c.first() ? d : buf.mul(c.momentum()).add(d.mul(1 - c.dampening()));
                buf.copyFrom(nb);
                d = c.nesterov() ? d.add(nb.mul(c.momentum())) : nb;
            }
            p.copyFrom(p.add(d.mul(-c.lr())));
        }
    }

    static void sumSquares(Tensor x, Tensor out) {
        try (Scope s = Scope.open()) {
            out.copyFrom(x.square().sum().reshape(out.dims()));
        }
    }
}
