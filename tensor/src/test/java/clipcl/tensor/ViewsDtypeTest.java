package clipcl.tensor;

import static clipcl.tensor.OpCheck.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Views share storage and have the hand-computed strides; dtype conversions round as torch does. */
class ViewsDtypeTest {
    static Tensor iota(int... shape) {
        int n = Shape.of(shape).numel();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return Tensor.of(v, shape);
    }

    @Test
    void reshapeViewAndInference() {
        Tensor x = iota(2, 3, 4);
        Tensor r = x.reshape(4, -1);
        assertArrayEquals(new int[] {4, 6}, r.dims());
        assertArrayEquals(new int[] {6, 1}, r.strides());
        assertSame(x.storage(), r.storage());
        assertEquals(13, r.get(2, 1), 0);
        // a transposed tensor cannot be flattened without a copy: reshape copies, view refuses
        Tensor t = x.transpose(0, 2);                    // [4,3,2], strides [1,4,12]
        assertArrayEquals(new int[] {1, 4, 12}, t.strides());
        Tensor flat = t.reshape(24);
        assertFalse(flat.storage() == x.storage());
        assertEquals(x.get(1, 0, 1), flat.get(1 * 6 + 0 * 2 + 1), 0); // t[1,0,1] = x[1,0,1]
        // but merging dims that are contiguous with each other is a view
        Tensor p = x.permute(1, 2, 0).reshape(12, 2);    // dims 1,2 of x stay adjacent
        assertSame(x.storage(), p.storage());
        assertEquals(x.get(1, 2, 3), p.get(2 * 4 + 3, 1), 0);
        assertArrayEquals(new int[] {0}, iota(0, 3).reshape(0).dims());
        assertArrayEquals(new int[] {}, iota(1).reshape().dims());
    }

    @Test
    void permuteNarrowSelectExpand() {
        Tensor x = iota(2, 3, 4);
        Tensor p = x.permute(2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.dims());
        assertEquals(x.get(1, 2, 3), p.get(3, 1, 2), 0);
        Tensor n = x.narrow(2, 1, 2);
        assertArrayEquals(new int[] {2, 3, 2}, n.dims());
        assertEquals(1, n.offset());
        assertArrayEquals(new float[] {1, 2, 5, 6, 9, 10, 13, 14, 17, 18, 21, 22}, n.toFloatArray());
        assertArrayEquals(new float[] {20, 21, 22, 23}, x.select(0, -1).select(0, 2).toFloatArray());
        assertArrayEquals(new float[] {1, 2}, iota(4).slice(0, 1, -1).narrow(0, 0, 2).toFloatArray());
        Tensor e = iota(3, 1).expand(3, 4);
        assertArrayEquals(new int[] {1, 0}, e.strides());
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}, e.toFloatArray());
        Tensor e2 = iota(3).expand(2, -1);
        assertArrayEquals(new int[] {0, 1}, e2.strides());
        // writing through a view changes the base
        n.set(100, 0, 0, 0);
        assertEquals(100, x.get(0, 0, 1), 0);
    }

    @Test
    void squeezeUnsqueezeContiguous() {
        Tensor x = iota(1, 3, 1, 2);
        assertArrayEquals(new int[] {3, 2}, x.squeeze().dims());
        assertArrayEquals(new int[] {3, 1, 2}, x.squeeze(0).dims());
        assertArrayEquals(new int[] {1, 3, 1, 2, 1}, x.unsqueeze(-1).dims());
        assertArrayEquals(new int[] {1, 1, 3, 1, 2}, x.unsqueeze(1).dims());
        assertTrue(x.isContiguous());
        Tensor t = x.squeeze().mT();
        assertFalse(t.isContiguous());
        Tensor c = t.contiguous();
        assertTrue(c.isContiguous());
        assertArrayEquals(new float[] {0, 2, 4, 1, 3, 5}, c.toFloatArray());
        assertSame(c, c.contiguous());
        // copy always copies
        Tensor cp = c.copy();
        cp.set(-1, 0, 0);
        assertEquals(0, c.get(0, 0), 0);
    }

    @Test
    void viewsAgreeAcrossBackends() {
        OpCheck.op("permute+reshape", t -> t[0].permute(2, 0, 1).reshape(5, -1).contiguous()).shapes(s(3, 4, 5)).tol(0, 0).check();
        OpCheck.op("narrow+expand", t -> t[0].narrow(1, 1, 2).unsqueeze(0).expand(3, -1, -1, -1).add(0)).shapes(s(2, 4, 3)).tol(0, 0).check();
        OpCheck.op("squeeze", t -> t[0].squeeze().mul(1)).shapes(s(1, 7, 1)).tol(0, 0).check();
        OpCheck.op("copy", t -> t[0].mT().copy()).shapes(s(33, 17)).tol(0, 0).check();
    }

    @Test
    void bf16AndF16RoundToNearestEven() {
        // 1 + 2^-8 is halfway between bf16 neighbours 1 and 1 + 2^-7: ties to even (1.0)
        float[] in = {1f, 1.00390625f, 1.01171875f, 1.0078125f, -2.5f, 3.14159265f, 65504f, 65520f, 3.0e38f, -0f, 0.33333334f};
        float[] bf = {1f, 1f, 1.015625f, 1.0078125f, -2.5f, 3.140625f, 65536f, 65536f, 3.00405527e38f, -0f, 0.333984375f};
        try (Tensor x = Tensor.of(in, in.length); Tensor b = x.to(DType.BF16)) {
            float[] got = b.toFloatArray();
            // values checked against torch 1.13: torch.tensor(v).bfloat16().float()
            for (int i = 0; i < in.length; i++) assertEquals(bf[i], got[i], 0f, "bf16 of " + in[i]);
            assertEquals(DType.BF16, b.dtype());
        }
        // float16 (torch: .half().float()): 65520 is past the largest finite half (65504) by half an ulp: rounds to infinity
        float[] h = {1f, 1.00390625f, 1.0117188f, 1.0078125f, -2.5f, 3.140625f, 65504f, Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY, -0f, 0.33325195f};
        try (Tensor x = Tensor.of(in, in.length); Tensor f = x.to(DType.F16)) {
            assertArrayEquals(h, f.toFloatArray());
        }
        // NaN survives both
        try (Tensor x = Tensor.of(new float[] {Float.NaN}, 1)) {
            assertTrue(Float.isNaN(x.to(DType.BF16).toFloatArray()[0]));
            assertTrue(Float.isNaN(x.to(DType.F16).toFloatArray()[0]));
        }
    }

    @Test
    void floatToIntTruncatesAndConversionsRoundTrip() {
        Tensor x = Tensor.of(new double[] {2.7, -2.7, 0.5, -0.5, 7, -7.999}, 6);
        assertArrayEquals(new int[] {2, -2, 0, 0, 7, -7}, x.to(DType.I32).toIntArray());
        assertArrayEquals(new int[] {2, -2, 0, 0, 7, -7}, x.to(DType.F32).to(DType.I32).toIntArray());
        Tensor i = Tensor.of(new int[] {-3, 0, 16777217}, 3);
        assertArrayEquals(new float[] {-3, 0, 16777216}, i.to(DType.F32).toFloatArray()); // 2^24 + 1 rounds
        assertArrayEquals(new double[] {-3, 0, 16777217}, i.to(DType.F64).toDoubleArray(), 0);
        // F64 -> F32 rounds to nearest
        assertEquals((float) 0.1, Tensor.of(new double[] {0.1}, 1).to(DType.F32).toFloatArray()[0], 0f);
        // conversions of strided views, on every backend layout
        OpCheck.op("to bf16 and back", t -> t[0].to(DType.BF16).to(DType.F32).mul(1)).shapes(s(5, 19)).tol(0, 0)
                .layouts(OpCheck.Layout.TRANSPOSED, OpCheck.Layout.NARROWED).fallbackOk().check();
        // arithmetic on half storage computes in F32 (like torch's upcast on CPU)
        try (Tensor h = Tensor.of(new float[] {1.5f, 2f}, 2).to(DType.BF16); Tensor s = h.add(h)) {
            assertEquals(DType.F32, s.dtype());
            assertArrayEquals(new float[] {3, 4}, s.toFloatArray());
        }
    }
}
