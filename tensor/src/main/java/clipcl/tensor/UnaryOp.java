package clipcl.tensor;

/** Elementwise functions of one argument; {@link #apply} is the float64 scalar reference. */
public enum UnaryOp {
    NEG { public double apply(double x) { return -x; } },
    ABS { public double apply(double x) { return Math.abs(x); } },
    EXP { public double apply(double x) { return Math.exp(x); } },
    LOG { public double apply(double x) { return Math.log(x); } },
    SQRT { public double apply(double x) { return Math.sqrt(x); } },
    RSQRT { public double apply(double x) { return 1.0 / Math.sqrt(x); } },
    RECIPROCAL { public double apply(double x) { return 1.0 / x; } },
    SQUARE { public double apply(double x) { return x * x; } },
    TANH { public double apply(double x) { return Math.tanh(x); } },
    SIGMOID { public double apply(double x) { return 1.0 / (1.0 + Math.exp(-x)); } },
    RELU { public double apply(double x) { return x > 0 ? x : (x == x ? 0.0 : x); } },
    /** Exact GELU: x * Phi(x), as torch.nn.functional.gelu with approximate='none'. */
    GELU { public double apply(double x) { return 0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0))); } },
    /** OpenAI CLIP's QuickGELU: x * sigmoid(1.702 x). */
    QUICK_GELU { public double apply(double x) { return x / (1.0 + Math.exp(-1.702 * x)); } };

    public abstract double apply(double x);
}
