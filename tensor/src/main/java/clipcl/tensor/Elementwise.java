package clipcl.tensor;

/** Front end of the elementwise ops: broadcasting, dtype promotion, validation. */
public final class Elementwise {
    private Elementwise() { }

    public static Tensor unary(UnaryOp op, Tensor x) {
        Ops.open(op.name().toLowerCase(), x);
        if (op != UnaryOp.NEG && op != UnaryOp.ABS && op != UnaryOp.SQUARE && op != UnaryOp.RELU) Ops.floating(op.name().toLowerCase(), x);
        DType dt = x.dtype().computeType();
        Tensor out = Tensor.empty(dt, x.device(), x.shape());
        x.backend().unary(op, x, out);
        return out;
    }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        String name = op.name().toLowerCase();
        Ops.open(name, a, b);
        Ops.sameDevice(name, a, b);
        Shape s = Shape.broadcast(name + " of " + Ops.desc(a) + " and " + Ops.desc(b), a.shape(), b.shape());
        DType dt = Ops.resultType(a, b);
        Tensor out = Tensor.empty(dt, a.device(), s);
        try (Tensor ea = a.expand(s); Tensor eb = b.expand(s)) {
            a.backend().binary(op, ea, eb, out);
        }
        return out;
    }

    public static Tensor binaryScalar(BinaryOp op, Tensor a, double s) {
        DType dt = a.dtype().computeType();
        if (dt == DType.I32 && s != Math.rint(s)) dt = DType.F32;
        try (Tensor sc = Tensor.empty(dt, a.device(), Shape.SCALAR)) {
            sc.fill(s);
            return binary(op, a, sc);
        }
    }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Ops.open("where", cond, a, b);
        Ops.sameDevice("where", cond, a);
        Ops.sameDevice("where", a, b);
        String what = "where of " + Ops.desc(cond) + ", " + Ops.desc(a) + ", " + Ops.desc(b);
        Shape s = Shape.broadcast(what, Shape.broadcast(what, cond.shape(), a.shape()), b.shape());
        Tensor out = Tensor.empty(Ops.resultType(a, b), a.device(), s);
        try (Tensor ec = cond.expand(s); Tensor ea = a.expand(s); Tensor eb = b.expand(s)) {
            a.backend().where(ec, ea, eb, out);
        }
        return out;
    }

    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        Ops.open("masked_fill", x, mask);
        Shape s = Shape.broadcast("masked_fill of " + Ops.desc(x) + " with mask " + Ops.desc(mask), x.shape(), mask.shape());
        if (!s.equals(x.shape())) throw new IllegalArgumentException("masked_fill: mask " + mask.shape() + " must broadcast to the tensor's shape " + x.shape());
        try (Tensor v = Tensor.empty(x.dtype().computeType(), x.device(), Shape.SCALAR)) {
            v.fill(value);
            return where(mask, v, x);
        }
    }
}
