package clipcl.tensor;

import java.util.Arrays;

/** An immutable list of dimension sizes, with NumPy's broadcasting rules. */
public final class Shape {
    private final int[] dims;
    private final int numel;

    private Shape(int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            n *= d;
            if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31-1 elements");
        }
        this.dims = dims;
        this.numel = (int) n;
    }

    public static Shape of(int... dims) { return new Shape(dims.clone()); }

    public static final Shape SCALAR = new Shape(new int[0]);

    public int rank() { return dims.length; }

    public int dim(int i) { return dims[normDim(i)]; }

    public int numel() { return numel; }

    public int[] toArray() { return dims.clone(); }

    /** Resolves a negative dimension index (-1 = last) and checks the range. */
    public int normDim(int d) {
        int r = dims.length;
        int n = d < 0 ? d + r : d;
        if (n < 0 || n >= r) throw new IllegalArgumentException("dimension " + d + " out of range for shape " + this);
        return n;
    }

    /** Row-major strides of a contiguous tensor of this shape. */
    public int[] contiguousStrides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(dims[i], 1);
        }
        return s;
    }

    /** NumPy broadcasting: align trailing dimensions; each pair must be equal or contain a 1. */
    public static Shape broadcast(String op, Shape a, Shape b) {
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
            int db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b + " cannot be broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    public Shape withDim(int d, int size) {
        int[] c = dims.clone();
        c[normDim(d)] = size;
        return new Shape(c);
    }

    @Override
    public boolean equals(Object o) { return o instanceof Shape s && Arrays.equals(dims, s.dims); }

    @Override
    public int hashCode() { return Arrays.hashCode(dims); }

    @Override
    public String toString() { return Arrays.toString(dims); }
}
