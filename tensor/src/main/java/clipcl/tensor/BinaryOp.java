package clipcl.tensor;

/**
 * Elementwise functions of two arguments; {@link #apply} is the float64 scalar reference.
 * Comparisons give 1 or 0 in the operands' dtype (there is no boolean dtype): masks are tensors
 * whose non-zero elements mean true.
 */
public enum BinaryOp {
    ADD { public double apply(double a, double b) { return a + b; } },
    SUB { public double apply(double a, double b) { return a - b; } },
    MUL { public double apply(double a, double b) { return a * b; } },
    DIV { public double apply(double a, double b) { return a / b; } },
    POW { public double apply(double a, double b) { return Math.pow(a, b); } },
    /** Like torch.maximum: NaN if either is NaN. */
    MAX { public double apply(double a, double b) { return (a != a || b != b) ? Double.NaN : Math.max(a, b); } },
    MIN { public double apply(double a, double b) { return (a != a || b != b) ? Double.NaN : Math.min(a, b); } },
    EQ { public double apply(double a, double b) { return a == b ? 1 : 0; } },
    NE { public double apply(double a, double b) { return a != b ? 1 : 0; } },
    LT { public double apply(double a, double b) { return a < b ? 1 : 0; } },
    LE { public double apply(double a, double b) { return a <= b ? 1 : 0; } },
    GT { public double apply(double a, double b) { return a > b ? 1 : 0; } },
    GE { public double apply(double a, double b) { return a >= b ? 1 : 0; } };

    public abstract double apply(double a, double b);

    public boolean isComparison() { return ordinal() >= EQ.ordinal(); }
}
