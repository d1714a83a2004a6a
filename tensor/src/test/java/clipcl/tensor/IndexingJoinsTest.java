package clipcl.tensor;

import static clipcl.tensor.OpCheck.s;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** index_select, embedding, gather, concat, stack and split: vector vs reference and by hand. */
class IndexingJoinsTest {
    static Tensor ids(int... v) { return Tensor.of(v, v.length); }

    @Test
    void indexSelectAlongEachDim() {
        OpCheck.op("index_select 0", t -> t[0].indexSelect(0, ids(3, 0, -1, 3))).shapes(s(5, 7)).tol(0, 0).check();
        OpCheck.op("index_select 1", t -> t[0].indexSelect(1, ids(6, 2, 2))).shapes(s(5, 7)).tol(0, 0).check();
        OpCheck.op("index_select 2", t -> t[0].indexSelect(-1, ids(0, 1))).shapes(s(2, 3, 4)).tol(0, 0).check();
        OpCheck.op("index_select empty", t -> t[0].indexSelect(0, Tensor.of(new int[0], 0))).shapes(s(5, 7)).tol(0, 0).check();
        OpCheck.op("index_select 1-D", t -> t[0].indexSelect(0, ids(4, 4, 1))).shapes(s(9)).tol(0, 0).check();
    }

    @Test
    void embeddingCopiesRows() {
        OpCheck.op("embedding", t -> Indexing.embedding(t[0], Tensor.of(new int[] {2, 0, 9, 2, 5, 1}, 2, 3)))
                .shapes(s(10, 16)).tol(0, 0).layouts(OpCheck.Layout.CONTIGUOUS, OpCheck.Layout.NARROWED).check();
        Tensor table = Tensor.of(new float[] {0, 1, 10, 11, 20, 21}, 3, 2);
        Tensor e = Indexing.embedding(table, Tensor.of(new int[] {2, 0}, 2));
        assertArrayEquals(new int[] {2, 2}, e.dims());
        assertArrayEquals(new float[] {20, 21, 0, 1}, e.toFloatArray());
        // BF16 tables are copied bit for bit
        try (Tensor b = table.to(DType.BF16); Tensor eb = Indexing.embedding(b, Tensor.of(new int[] {1}, 1))) {
            assertEquals(DType.BF16, eb.dtype());
            assertArrayEquals(new float[] {10, 11}, eb.toFloatArray());
        }
    }

    @Test
    void gatherAlongEachDim() {
        OpCheck.op("gather 1", t -> t[0].gather(1, Tensor.of(new int[] {0, 4, 4, 1, 2, 3}, 3, 2))).shapes(s(3, 5)).tol(0, 0).check();
        OpCheck.op("gather 0", t -> t[0].gather(0, Tensor.of(new int[] {2, 0, 1, -1}, 2, 2))).shapes(s(3, 5)).tol(0, 0).check();
        OpCheck.op("gather 3-D", t -> t[0].gather(-1, Tensor.of(new int[] {1, 0, 0, 1, 1, 1, 0, 0}, 2, 2, 2))).shapes(s(2, 3, 2)).tol(0, 0).check();
        // hand check, torch docs example: gather(t, 1, [[0,0],[1,0]]) of [[1,2],[3,4]] = [[1,1],[4,3]]
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        assertArrayEquals(new float[] {1, 1, 4, 3}, t.gather(1, Tensor.of(new int[] {0, 0, 1, 0}, 2, 2)).toFloatArray());
    }

    @Test
    void concatStackSplit() {
        OpCheck.op("concat 0", t -> Tensor.concat(List.of(t[0], t[1], t[2]), 0)).shapes(s(2, 5), s(3, 5), s(0, 5)).tol(0, 0).check();
        OpCheck.op("concat -1", t -> Tensor.concat(List.of(t[0], t[1]), -1)).shapes(s(4, 3, 2), s(4, 3, 7)).tol(0, 0).check();
        OpCheck.op("stack 1", t -> Tensor.stack(List.of(t[0], t[1], t[0]), 1)).shapes(s(3, 4), s(3, 4)).tol(0, 0).check();
        OpCheck.op("split+concat", t -> Tensor.concat(t[0].split(3, 1), 1)).shapes(s(2, 8)).tol(0, 0).check();
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6}, 7);
        List<Tensor> parts = x.split(3, 0);
        assertEquals(3, parts.size());
        assertArrayEquals(new float[] {6}, parts.get(2).toFloatArray());
        List<Tensor> sized = Joins.split(x, new int[] {2, 0, 5}, 0);
        assertArrayEquals(new float[] {2, 3, 4, 5, 6}, sized.get(2).toFloatArray());
        assertEquals(0, sized.get(1).numel());
        // mixed dtypes promote like torch.cat: F32 with BF16 gives F32
        try (Tensor b = Tensor.of(new float[] {1.5f}, 1).to(DType.BF16); Tensor c = Tensor.concat(List.of(x, b), 0)) {
            assertEquals(DType.F32, c.dtype());
            assertEquals(1.5, c.get(7), 0);
        }
    }
}
