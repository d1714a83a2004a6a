package clipcl.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import clipcl.tensor.DType;
import clipcl.tensor.Tensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Dimension coalescing must keep every operand's element sequence (checked element by element). */
class LayoutsTest {
    /** Storage index of the flat-th element, exactly as common.cuh's strided_index computes it. */
    static int stridedIndex(int[] dims, int[] strides, int offset, int flat) {
        int p = offset;
        for (int d = dims.length - 1; d >= 0; d--) {
            p += (flat % dims[d]) * strides[d];
            flat /= dims[d];
        }
        return p;
    }

    @Test
    void contiguousBecomesRankOne() {
        Layouts.Coalesced c = Layouts.coalesce("t", new int[] {2, 3, 4}, new int[] {12, 4, 1});
        assertArrayEquals(new int[] {24}, c.dims());
        assertArrayEquals(new int[] {1}, c.strides()[0]);
    }

    @Test
    void broadcastAndTransposeKeepTheirDims() {
        // a [4,1,5] expanded to [4,3,5] and b [3,1] expanded: nothing can merge across the broadcast.
        Layouts.Coalesced c = Layouts.coalesce("t", new int[] {4, 3, 5}, new int[] {5, 0, 1}, new int[] {0, 1, 0});
        assertEquals(3, c.rank());
        int[] l = c.layout();
        assertEquals(3, l[0]);
        assertEquals(Layouts.MAX_RANK + 1, l.length);
        assertArrayEquals(new int[] {7, 5, 0, 1, 0, 0, 0, 0, 0}, c.strides(0, 7));
    }

    @Test
    void scalarAndAllOnes() {
        Layouts.Coalesced c = Layouts.coalesce("t", new int[] {}, new int[] {});
        assertArrayEquals(new int[] {1}, c.dims());
        c = Layouts.coalesce("t", new int[] {1, 1}, new int[] {5, 9});
        assertArrayEquals(new int[] {1}, c.dims());
    }

    @Test
    void randomViewsKeepElementOrder() {
        Random r = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int rank = 1 + r.nextInt(5);
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) dims[i] = 1 + r.nextInt(4);
            try (Tensor base = Tensor.zeros(DType.F32, dims)) {
                // A random permutation of a contiguous tensor, possibly narrowed: strides with gaps and transposes.
                int[] order = shuffled(rank, r);
                Tensor view = base.permute(order);
                int d = r.nextInt(rank);
                if (view.dim(d) > 1 && r.nextBoolean()) view = view.narrow(d, 1, view.dim(d) - 1);
                Tensor other = Tensor.zeros(DType.F32, view.dims());  // contiguous second operand
                Layouts.Coalesced c = Layouts.coalesce("t", view.dims(), view.strides(), other.strides());
                for (int i = 0; i < view.numel(); i++) {
                    assertEquals(stridedIndex(view.dims(), view.strides(), view.offset(), i), stridedIndex(c.dims(), c.strides()[0], view.offset(), i));
                    assertEquals(i, stridedIndex(c.dims(), c.strides()[1], 0, i));
                }
                other.close();
            }
        }
    }

    @Test
    void tooManyDimsIsAClearError() {
        int[] dims = new int[10], strides = new int[10];
        for (int i = 0; i < 10; i++) { dims[i] = 2; strides[i] = 1 << (2 * (9 - i)); }  // gaps everywhere: nothing merges
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Layouts.coalesce("add", dims, strides));
        assertEquals(true, e.getMessage().startsWith("add on cuda"));
    }

    static int[] shuffled(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
