package clipcl.tensor.cpu;

import clipcl.tensor.DType;
import clipcl.tensor.HalfFloats;
import clipcl.tensor.HeapStorage;
import clipcl.tensor.Tensor;
import java.util.Arrays;

/**
 * copy (with dtype conversion) and fill on host arrays. Runs of the innermost dimension are
 * copied with System.arraycopy when both sides are contiguous and of one dtype, else element by
 * element with the conversion the reference backend uses (float to int truncates toward zero;
 * BF16/F16 round to nearest even).
 */
final class VecCopy {
    private VecCopy() { }

    static boolean copy(Tensor src, Tensor dst) {
        if (!(src.storage() instanceof HeapStorage hs) || !(dst.storage() instanceof HeapStorage hd)) return false;
        DType st = src.dtype(), dt = dst.dtype();
        Object a = array(hs, st), b = array(hd, dt);
        Iter it = new Iter(src, dst);
        int sa = it.innerStride(0), sb = it.innerStride(1);
        if (st == dt && sa == 1 && sb == 1) {
            it.forEach(Iter.GRAIN * 4, (off, len) -> System.arraycopy(a, off[0], b, off[1], len));
            return true;
        }
        it.forEach(Iter.GRAIN, (off, len) -> convert(a, st, off[0], sa, b, dt, off[1], sb, len));
        return true;
    }

    static Object array(HeapStorage h, DType t) {
        return switch (t) {
            case F32 -> h.f32();
            case F64 -> h.f64();
            case I32 -> h.i32();
            case BF16, F16 -> h.f16bits();
        };
    }

    /** One strided run, converting element by element. */
    static void convert(Object src, DType st, int p, int sp, Object dst, DType dt, int q, int sq, int len) {
        // The common pairs get their own loops; the rest go through double like the reference.
        if (st == DType.F32 && dt == DType.F32) {
            float[] s = (float[]) src, d = (float[]) dst;
            for (int i = 0; i < len; i++, p += sp, q += sq) d[q] = s[p];
        } else if (st == DType.F32 && dt == DType.F64) {
            float[] s = (float[]) src;
            double[] d = (double[]) dst;
            for (int i = 0; i < len; i++, p += sp, q += sq) d[q] = s[p];
        } else if (st == DType.F64 && dt == DType.F32) {
            double[] s = (double[]) src;
            float[] d = (float[]) dst;
            for (int i = 0; i < len; i++, p += sp, q += sq) d[q] = (float) s[p];
        } else if (st == DType.F32 && dt == DType.BF16) {
            float[] s = (float[]) src;
            short[] d = (short[]) dst;
            for (int i = 0; i < len; i++, p += sp, q += sq) d[q] = HalfFloats.floatToBf16(s[p]);
        } else if (st == DType.BF16 && dt == DType.F32) {
            short[] s = (short[]) src;
            float[] d = (float[]) dst;
            for (int i = 0; i < len; i++, p += sp, q += sq) d[q] = HalfFloats.bf16ToFloat(s[p]);
        } else if (st == DType.F32 && dt == DType.F16) {
            float[] s = (float[]) src;
            short[] d = (short[]) dst;
            for (int i = 0; i < len; i++, p += sp, q += sq) d[q] = Float.floatToFloat16(s[p]);
        } else if (st == DType.F16 && dt == DType.F32) {
            short[] s = (short[]) src;
            float[] d = (float[]) dst;
            for (int i = 0; i < len; i++, p += sp, q += sq) d[q] = Float.float16ToFloat(s[p]);
        } else if (st == dt) {
            for (int i = 0; i < len; i++, p += sp, q += sq) System.arraycopy(src, p, dst, q, 1);
        } else {
            for (int i = 0; i < len; i++, p += sp, q += sq) write(dst, dt, q, read(src, st, p));
        }
    }

    static double read(Object a, DType t, int p) {
        return switch (t) {
            case F32 -> ((float[]) a)[p];
            case F64 -> ((double[]) a)[p];
            case I32 -> ((int[]) a)[p];
            case BF16 -> HalfFloats.bf16ToFloat(((short[]) a)[p]);
            case F16 -> Float.float16ToFloat(((short[]) a)[p]);
        };
    }

    /** Stores v converted to t; float to I32 truncates toward zero as torch does. */
    static void write(Object a, DType t, int p, double v) {
        switch (t) {
            case F32 -> ((float[]) a)[p] = (float) v;
            case F64 -> ((double[]) a)[p] = v;
            case I32 -> ((int[]) a)[p] = (int) v; // (int) truncates toward zero; NaN gives 0
            case BF16 -> ((short[]) a)[p] = HalfFloats.floatToBf16((float) v);
            case F16 -> ((short[]) a)[p] = Float.floatToFloat16((float) v);
        }
    }

    static boolean fill(Tensor dst, double value) {
        if (!(dst.storage() instanceof HeapStorage h)) return false;
        DType t = dst.dtype();
        Object a = array(h, t);
        Iter it = new Iter(dst);
        int s = it.innerStride(0);
        it.forEach(Iter.GRAIN * 4, (off, len) -> {
            int p = off[0];
            if (s == 1) {
                switch (t) {
                    case F32 -> Arrays.fill((float[]) a, p, p + len, (float) value);
                    case F64 -> Arrays.fill((double[]) a, p, p + len, value);
                    case I32 -> Arrays.fill((int[]) a, p, p + len, (int) value);
                    case BF16 -> Arrays.fill((short[]) a, p, p + len, HalfFloats.floatToBf16((float) value));
                    case F16 -> Arrays.fill((short[]) a, p, p + len, Float.floatToFloat16((float) value));
                }
            } else {
                for (int i = 0; i < len; i++, p += s) write(a, t, p, value);
            }
        });
        return true;
    }
}
