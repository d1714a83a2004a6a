package clipcl.cuda;

import static clipcl.cuda.Gpu.assertClose;
import static clipcl.cuda.Gpu.assertNormClose;
import static clipcl.cuda.Gpu.gpu;
import static clipcl.cuda.Gpu.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import clipcl.tensor.BinaryOp;
import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Elementwise;
import clipcl.tensor.Indexing;
import clipcl.tensor.ReduceOp;
import clipcl.tensor.Reductions;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.UnaryOp;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@link clipcl.tensor.Backend} op on the GPU against the CPU backend on the same random
 * inputs, including transposed, narrowed and broadcast views. FP32 tolerance 1e-5 relative.
 * Skipped, with the reason, where no GPU answers.
 */
@SuppressWarnings("try")  // scopes close what the tests create
class CudaOpsTest {
    CudaBackend backend;
    final Random r = new Random(42);

    @BeforeEach
    void gpuOrSkip() { backend = Gpu.require(); }

    @Test
    void copiesRoundTripEveryDtypeAndLayout() {
        try (Scope s = Scope.open()) {
            Tensor x = randn(r, 3, 4, 5);
            for (DType t : new DType[] {DType.F32, DType.I32, DType.BF16, DType.F16}) {
                Tensor h = x.mul(10).to(t);
                assertArrayEquals(h.toDoubleArray(), gpu(h).to(Device.CPU).toDoubleArray(), t + " round trip");
                Tensor view = h.permute(2, 0, 1).narrow(1, 1, 2);
                assertArrayEquals(view.toDoubleArray(), gpu(view).toDoubleArray(), t + " host view uploaded");
                assertArrayEquals(view.toDoubleArray(), gpu(h).permute(2, 0, 1).narrow(1, 1, 2).toDoubleArray(), t + " device view downloaded");
            }
            Tensor g = gpu(x);
            assertArrayEquals(x.to(DType.BF16).toDoubleArray(), g.to(DType.BF16).toDoubleArray(), "F32 to BF16 on the device rounds as the CPU");
            assertArrayEquals(x.mul(7).to(DType.I32).toDoubleArray(), g.mul(7).to(DType.I32).toDoubleArray(), "float to int truncates");
            Tensor dst = gpu(Tensor.zeros(DType.F32, 5, 3, 4));
            dst.permute(1, 2, 0).copyFrom(g);
            assertArrayEquals(x.permute(2, 0, 1).toDoubleArray(), dst.toDoubleArray(), "copy into a strided device view");
        }
    }

    @Test
    void unaryOpsMatchTheCpu() {
        try (Scope s = Scope.open()) {
            Tensor x = randn(r, 7, 33).mul(3), pos = x.abs().add(1e-3);
            for (UnaryOp op : UnaryOp.values()) {
                Tensor in = (op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT) ? pos : x;
                assertClose(Elementwise.unary(op, in.mT()), Elementwise.unary(op, gpu(in).mT()), 1e-5, 1e-6, "unary " + op + " on a transposed view");
            }
            Tensor ints = Tensor.of(new int[] {-3, 0, 5, 7}, 4);
            assertArrayEquals(ints.neg().toDoubleArray(), gpu(ints).neg().toDoubleArray());
            assertArrayEquals(ints.abs().toDoubleArray(), gpu(ints).abs().toDoubleArray());
        }
    }

    @Test
    void binaryOpsBroadcastOverViews() {
        try (Scope s = Scope.open()) {
            Tensor a = randn(r, 4, 1, 5), b = randn(r, 3, 1), cBase = randn(r, 5, 3, 4), c = cBase.permute(2, 1, 0);  // c: [4,3,5], strided
            for (BinaryOp op : BinaryOp.values()) {
                Tensor aa = op == BinaryOp.POW ? a.abs().add(0.1) : a;
                assertClose(Elementwise.binary(op, aa, b), Elementwise.binary(op, gpu(aa), gpu(b)), 1e-5, 1e-6, op + " broadcast");
                Tensor gc = gpu(cBase).permute(2, 1, 0);
                assertClose(Elementwise.binary(op, aa, c), Elementwise.binary(op, gpu(aa), gc), 1e-5, 1e-6, op + " with a permuted operand");
            }
            Tensor i1 = Tensor.of(new int[] {7, -7, 9, 2000000001}, 4), i2 = Tensor.of(new int[] {2, 2, -4, 1}, 4);
            for (BinaryOp op : new BinaryOp[] {BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV, BinaryOp.EQ, BinaryOp.LT}) {
                assertArrayEquals(Elementwise.binary(op, i1, i2).toIntArray(), Elementwise.binary(op, gpu(i1), gpu(i2)).toIntArray(), "I32 " + op);
            }
            Tensor x = randn(r, 6, 7);
            assertClose(x.add(2.5), gpu(x).add(2.5), 1e-6, 0, "tensor + scalar");
        }
    }

    @Test
    void whereAndMaskedFill() {
        try (Scope s = Scope.open()) {
            Tensor x = randn(r, 5, 6), y = randn(r, 6), cond = x.gt(0);
            assertClose(Tensor.where(cond, x, y), Tensor.where(gpu(cond), gpu(x), gpu(y)), 0, 0, "where");
            Tensor causal = Tensor.ones(DType.F32, 6, 6);
            for (int i = 0; i < 6; i++) for (int j = 0; j <= i; j++) causal.set(0, i, j);
            Tensor z = randn(r, 2, 6, 6);
            assertClose(z.maskedFill(causal, Double.NEGATIVE_INFINITY), gpu(z).maskedFill(gpu(causal), Double.NEGATIVE_INFINITY), 0, 0, "causal mask");
        }
    }

    @Test
    void reductionsAlongEveryDimension() {
        try (Scope s = Scope.open()) {
            Tensor x = randn(r, 3, 5, 300);
            x.set(Double.NaN, 1, 2, 17);
            x.set(Double.NaN, 2, 4, 3);
            x.set(Double.NaN, 2, 4, 250);
            Tensor g = gpu(x);
            for (int dim = 0; dim < 3; dim++) {
                for (ReduceOp op : ReduceOp.values()) {
                    Tensor want = Reductions.reduce(op, x, dim, true), got = Reductions.reduce(op, g, dim, true);
                    assertClose(want, got, 1e-5, 1e-5, op + " along dim " + dim);
                }
            }
            Tensor t = gpu(x.mT());  // a transposed view: the reduced dim is strided
            assertClose(x.mT().sum(1, false), t.sum(1, false), 1e-5, 1e-5, "sum along a strided dim");
            Tensor ints = Tensor.of(new int[] {16777217, 1, 5, -2}, 2, 2);
            assertArrayEquals(ints.sum(1, false).toIntArray(), gpu(ints).sum(1, false).toIntArray(), "I32 sums stay exact");
            assertClose(x.mean(new int[] {0, 2}, false), g.mean(new int[] {0, 2}, false), 1e-5, 1e-6, "mean over two dims");
        }
    }

    @Test
    void longStridedReductionsWithFewOutputsSplitIntoChunks() {
        try (Scope s = Scope.open()) {
            // Rows summed as a bias gradient is (4,800 = 2^6 * 75 splits; 4,801 is prime and does not),
            // with a NaN in one column for MAX/MIN; and a sum over the batch of a [B, L, C] view.
            for (int rows : new int[] {4800, 4801}) {
                Tensor x = randn(r, rows, 24);
                x.set(Double.NaN, 1234, 5);
                Tensor g = gpu(x);
                for (ReduceOp op : ReduceOp.values()) {
                    assertClose(Reductions.reduce(op, x, 0, true), Reductions.reduce(op, g, 0, true), 1e-5, 1e-4, op + " over " + rows + " rows");
                }
            }
            Tensor y = randn(r, 640, 7, 9);
            assertClose(y.sum(0, true), gpu(y).sum(0, true), 1e-5, 1e-4, "sum over 640 along the outer dim");
        }
    }

    @Test
    void softmaxAlongEveryDimensionAndLongRows() {
        try (Scope s = Scope.open()) {
            Tensor x = randn(r, 4, 77, 50).mul(4);
            Tensor g = gpu(x);
            for (int dim = 0; dim < 3; dim++) {
                assertClose(x.softmax(dim), g.softmax(dim), 1e-5, 1e-7, "softmax dim " + dim);
                assertClose(x.logSoftmax(dim), g.logSoftmax(dim), 1e-5, 1e-5, "log_softmax dim " + dim);
            }
            Tensor wide = randn(r, 3, 3000);
            assertClose(wide.softmax(-1), gpu(wide).softmax(-1), 1e-5, 1e-8, "softmax rows of 3000 (block variant)");
            Tensor masked = x.maskedFill(x.gt(3), Double.NEGATIVE_INFINITY);
            assertClose(masked.softmax(-1), gpu(masked).softmax(-1), 1e-5, 1e-7, "softmax with -inf entries");
        }
    }

    @Test
    void layerNormMatchesTheCpu() {
        try (Scope s = Scope.open()) {
            Tensor x = randn(r, 4, 50, 768).mul(2).add(0.5), w = randn(r, 768), b = randn(r, 768);
            assertClose(x.layerNorm(w, b, 1e-5), gpu(x).layerNorm(gpu(w), gpu(b), 1e-5), 1e-5, 1e-5, "layer_norm [4,50,768]");
            Tensor x0 = randn(r, 64, 6);  // its transpose [6,64] has strided rows
            assertClose(x0.mT().layerNorm(null, null, 1e-5), gpu(x0).mT().layerNorm(null, null, 1e-5), 1e-5, 1e-5, "layer_norm of a transposed view, no affine");
        }
    }

    @Test
    void matmulAtEveryPrecision() {
        try (Scope s = Scope.open()) {
            Tensor a = randn(r, 3, 50, 64), b = randn(r, 3, 64, 50), w = randn(r, 768, 64);
            Tensor ga = gpu(a), gb = gpu(b), gw = gpu(w);
            MatmulPrecision old = backend.matmulPrecision();
            try {
                double[] tol = {1e-5, 1e-3, 1e-2};
                for (MatmulPrecision p : MatmulPrecision.values()) {
                    backend.setMatmulPrecision(p);
                    double t = tol[p.ordinal()];
                    assertNormClose(a.matmul(b), ga.matmul(gb), t, p + " batched");
                    assertNormClose(a.matmul(a.mT()), ga.matmul(ga.mT()), t, p + " q k^T (transposed view)");
                    assertNormClose(a.matmul(w.mT()), ga.matmul(gw.mT()), t, p + " x W^T folded over the batch");
                    assertNormClose(a.mT().matmul(a), ga.mT().matmul(ga), t, p + " x^T x (weight gradient shape)");
                    Tensor flat = a.reshape(1, 150, 64), gflat = ga.reshape(1, 150, 64);
                    assertNormClose(flat.mT().matmul(flat), gflat.mT().matmul(gflat), t, p + " x^T x over a batch of 1 (its stride unused)");
                    Tensor v = randn(r, 64);
                    assertNormClose(a.matmul(v), ga.matmul(gpu(v)), t, p + " matrix-vector");
                    // The backend multiplies BF16 operands in BF16 at any precision, into a BF16 or an F32 product.
                    for (DType outType : new DType[] {DType.BF16, DType.F32}) {
                        Tensor p16 = Tensor.empty(outType, ga.device(), 3, 50, 50);
                        backend.matmul(ga.to(DType.BF16), gb.to(DType.BF16), p16);
                        assertNormClose(a.to(DType.BF16).to(DType.F32).matmul(b.to(DType.BF16).to(DType.F32)), p16.to(DType.F32), 1e-2,
                                p + " BF16 operands, " + outType + " product");
                    }
                }
            } finally {
                backend.setMatmulPrecision(old);
            }
        }
    }

    @Test
    void indexSelectGatherAndEmbedding() {
        try (Scope s = Scope.open()) {
            Tensor table = randn(r, 100, 16), ids = Tensor.of(new int[] {3, 99, 0, -1, 42}, 5);
            assertClose(table.indexSelect(0, ids), gpu(table).indexSelect(0, gpu(ids)), 0, 0, "index_select rows");
            assertClose(table.indexSelect(1, Tensor.of(new int[] {15, 2}, 2)), gpu(table).indexSelect(1, Tensor.of(new int[] {15, 2}, 2)), 0, 0, "index_select columns, host index");
            Tensor tokens = Tensor.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3);
            assertClose(Indexing.embedding(table, tokens), Indexing.embedding(gpu(table), gpu(tokens)), 0, 0, "embedding");
            Tensor logits = randn(r, 4, 10), labels = Tensor.of(new int[] {1, 9, 0, 4}, 4, 1);
            assertClose(logits.gather(1, labels), gpu(logits).gather(1, gpu(labels)), 0, 0, "gather");
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> gpu(table).indexSelect(0, gpu(Tensor.of(new int[] {100}, 1))));
            assertEquals(true, e.getMessage().contains("index_select on cuda"), e.getMessage());
        }
    }

    @Test
    void scopesGiveDeviceMemoryBack() {
        CachingAllocator alloc = backend.allocator();
        long before = alloc.inUseBytes();
        try (Scope s = Scope.open()) {
            Tensor x = gpu(randn(r, 256, 1024));
            Tensor y = x.mul(x).add(1).softmax(-1);
            assertEquals(true, alloc.inUseBytes() > before + 3L * 256 * 1024 * 4);
            assertEquals(List.of(256, 1024), List.of(y.dim(0), y.dim(1)));
        }
        assertEquals(before, alloc.inUseBytes(), "every device block of the scope went back to the cache");
        long mallocs = alloc.mallocs();
        try (Scope s = Scope.open()) {
            Tensor x = gpu(randn(r, 256, 1024));
            x.mul(x).add(1).softmax(-1);
        }
        assertEquals(mallocs, alloc.mallocs(), "the second identical step is served from the cache");
    }
}
