package clipcl.tensor;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad input fails with a message that names the op and the shapes (or dtypes) involved. */
class ErrorPathsTest {
    static final Tensor A = Tensor.of(new float[6], 2, 3);
    static final Tensor B = Tensor.of(new float[4], 4);
    static final Tensor IDX = Tensor.of(new int[] {0, 1}, 2);

    /** Asserts f throws type and that the message contains every part. */
    static void fails(Class<? extends Throwable> type, Executable f, String... parts) {
        Throwable e = assertThrows(type, f);
        for (String p : parts) assertTrue(e.getMessage() != null && e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
    }

    static void bad(Executable f, String... parts) { fails(IllegalArgumentException.class, f, parts); }

    /** A storage on a GPU that does not exist here: enough to reach the device checks. */
    static Tensor onCuda(int... shape) {
        Storage s = new Storage(DType.F32, Shape.of(shape).numel()) {
            @Override public Device device() { return Device.cuda(0); }
            @Override protected void free() { }
        };
        return Tensor.wrap(s, Shape.of(shape), Shape.of(shape).contiguousStrides(), 0);
    }

    @Test
    void elementwise() {
        bad(() -> A.add(B), "add", "[2, 3]", "[4]");
        bad(() -> A.mul(Tensor.of(new float[4], 2, 2, 1).expand(2, 2, 2)), "mul", "[2, 3]", "[2, 2, 2]");
        bad(() -> Tensor.where(A, A, B), "where", "[2, 3]", "[4]");
        bad(() -> A.maskedFill(Tensor.of(new float[4], 4), 0), "masked_fill", "[4]", "[2, 3]");
        bad(() -> A.maskedFill(Tensor.of(new float[12], 2, 2, 3), 0), "masked_fill", "[2, 2, 3]", "[2, 3]");
        bad(() -> IDX.exp(), "exp", "I32", "[2]");
        bad(() -> IDX.sigmoid(), "sigmoid", "I32");
    }

    @Test
    void reductions() {
        bad(() -> A.sum(2, false), "sum", "dimension 2", "[2, 3]");
        bad(() -> A.sum(new int[] {1, -1}, false), "sum", "repeated");
        bad(() -> A.max(-3, false), "max", "dimension -3", "[2, 3]");
        bad(() -> Tensor.of(new float[0], 2, 0).max(1, false), "max", "empty", "[2, 0]");
        bad(() -> Tensor.of(new float[0], 0).argmax(0, false), "argmax", "empty", "[0]");
        bad(() -> IDX.mean(), "mean", "I32", "[2]");
        bad(() -> IDX.var(0, false), "var", "I32");
    }

    @Test
    void normalisation() {
        bad(() -> A.softmax(2), "softmax", "dimension 2", "[2, 3]");
        bad(() -> A.logSoftmax(-3), "log_softmax", "dimension -3");
        bad(() -> Tensor.scalar(1, DType.F32).softmax(0), "softmax", "scalar");
        bad(() -> IDX.softmax(0), "softmax", "I32");
        bad(() -> A.layerNorm(B, null, 1e-5), "layer_norm", "[4]", "[2, 3]");
        bad(() -> A.layerNorm(null, Tensor.of(new float[6], 2, 3), 1e-5), "layer_norm", "[2, 3]");
        bad(() -> IDX.layerNorm(null, null, 1e-5), "layer_norm", "I32");
        bad(() -> IDX.l2Normalize(0, 1e-12), "normalize", "I32");
    }

    @Test
    void linalgAndConv() {
        bad(() -> A.matmul(Tensor.of(new float[20], 4, 5)), "matmul", "[2, 3]", "[4, 5]", "inner");
        bad(() -> Tensor.of(new float[12], 2, 2, 3).matmul(Tensor.of(new float[18], 3, 3, 2)), "matmul", "batch", "[2, 2, 3]", "[3, 3, 2]");
        bad(() -> A.matmul(Tensor.scalar(1, DType.F32)), "matmul", "[2, 3]");
        bad(() -> IDX.matmul(IDX), "matmul", "I32", "floating");
        Tensor img = Tensor.of(new float[48], 1, 3, 4, 4);
        bad(() -> Conv.patchConv2d(A, A, null), "conv2d", "[2, 3]", "4-D");
        bad(() -> Conv.patchConv2d(img, Tensor.of(new float[8], 2, 1, 2, 2), null), "conv2d", "channels", "[1, 3, 4, 4]", "[2, 1, 2, 2]");
        bad(() -> Conv.patchConv2d(img, Tensor.of(new float[72], 2, 3, 3, 4), null), "conv2d", "square");
        bad(() -> Conv.patchConv2d(img, Tensor.of(new float[24], 2, 3, 2, 2), Tensor.of(new float[3], 3)), "conv2d", "bias", "[3]");
        bad(() -> Conv.patchConv2d(img, Tensor.of(new float[150], 2, 3, 5, 5), null), "conv2d", "smaller");
    }

    @Test
    void indexing() {
        bad(() -> A.indexSelect(0, Tensor.of(new float[] {0}, 1)), "index_select", "I32", "F32");
        bad(() -> A.indexSelect(2, IDX), "index_select", "dimension 2", "[2, 3]");
        bad(() -> A.indexSelect(0, Tensor.of(new int[4], 2, 2)), "index_select", "1-D", "[2, 2]");
        fails(IndexOutOfBoundsException.class, () -> A.indexSelect(0, Tensor.of(new int[] {2}, 1)), "index_select", "index 2", "size 2");
        fails(IndexOutOfBoundsException.class, () -> A.indexSelect(1, Tensor.of(new int[] {-4}, 1)), "index_select", "index -4", "size 3");
        fails(IndexOutOfBoundsException.class, () -> A.gather(1, Tensor.of(new int[] {0, 3}, 2, 1)), "gather", "index 3", "size 3");
        bad(() -> A.gather(1, IDX), "gather", "rank", "[2]", "[2, 3]");
        bad(() -> A.gather(1, Tensor.of(new int[3], 3, 1)), "gather", "[3, 1]", "[2, 3]");
        bad(() -> Indexing.embedding(B, IDX), "embedding", "2-D", "[4]");
        bad(() -> Indexing.embedding(A, Tensor.of(new float[1], 1)), "embedding", "I32");
        fails(IndexOutOfBoundsException.class, () -> Indexing.embedding(A, Tensor.of(new int[] {5}, 1)), "index_select", "index 5");
    }

    @Test
    void joins() {
        bad(() -> Tensor.concat(List.of(), 0), "concat", "no tensors");
        bad(() -> Tensor.concat(List.of(A, B), 0), "concat", "ranks", "[2, 3]", "[4]");
        bad(() -> Tensor.concat(List.of(A, Tensor.of(new float[4], 2, 2)), 0), "concat", "[2, 3]", "[2, 2]");
        bad(() -> Tensor.concat(List.of(A, A), 2), "concat", "dimension 2", "[2, 3]");
        bad(() -> Tensor.stack(List.of(A, Tensor.of(new float[3], 3)), 0), "stack", "[2, 3]", "[3]");
        bad(() -> Tensor.stack(List.of(A), 3), "stack", "dimension 3");
        bad(() -> A.split(0, 1), "split", "positive");
        bad(() -> Joins.split(A, new int[] {1, 1}, 1), "split", "[1, 1]", "3");
    }

    @Test
    void views() {
        bad(() -> A.reshape(4, 2), "reshape", "[2, 3]", "[4, 2]");
        bad(() -> A.reshape(-1, -1), "reshape", "more than one -1");
        bad(() -> A.reshape(4, -1), "reshape", "[4, -1]");
        bad(() -> A.mT().view(6), "view", "[3, 2]", "reshape");
        bad(() -> A.permute(0), "permute", "[0]", "[2, 3]");
        bad(() -> A.permute(0, 0), "permute", "repeated");
        bad(() -> A.narrow(1, 2, 2), "narrow", "[2, 4)", "[2, 3]");
        bad(() -> A.select(0, 2), "select", "index 2", "[2, 3]");
        bad(() -> A.expand(4, 3), "expand", "[2, 3]", "[4, 3]");
        bad(() -> A.expand(3), "expand", "[3]", "fewer");
        bad(() -> A.squeeze(0), "squeeze", "[2, 3]", "size 2");
        bad(() -> A.unsqueeze(3), "unsqueeze", "dimension 3", "[2, 3]");
        bad(() -> A.mT().mT().transpose(0, 2), "dimension 2", "[2, 3]");
        bad(() -> B.mT(), "mT", "[4]");
        bad(() -> A.item(), "item", "[2, 3]");
        bad(() -> Tensor.of(new float[5], 2, 3), "length 5", "[2, 3]");
        bad(() -> Tensor.empty(DType.F32, -1), "negative", "[-1]");
        fails(IndexOutOfBoundsException.class, () -> A.get(2, 0), "[2, 0]", "[2, 3]");
    }

    @Test
    void deviceMismatch() {
        Tensor g = onCuda(2, 3);
        bad(() -> A.add(g), "add", "cpu", "cuda:0");
        bad(() -> A.matmul(onCuda(3, 2)), "matmul", "cpu", "cuda:0");
        bad(() -> Tensor.where(A, g, A), "where", "devices");
        bad(() -> Tensor.concat(List.of(A, g), 0), "concat", "devices");
        bad(() -> A.layerNorm(onCuda(3), null, 1e-5), "layer_norm", "devices");
        fails(IllegalStateException.class, () -> g.get(0, 0), "cuda:0", "CPU");
        fails(IllegalStateException.class, () -> g.exp(), "cuda");
    }

    @Test
    void useAfterClose() {
        Tensor t = Tensor.of(new float[6], 2, 3);
        Tensor view = t.mT();
        t.close();
        String closed = "used after close";
        fails(IllegalStateException.class, () -> t.add(A), "add", "[2, 3]", closed);
        fails(IllegalStateException.class, () -> t.exp(), "exp", "[2, 3]", closed);
        fails(IllegalStateException.class, () -> t.sum(0, false), "sum", closed);
        fails(IllegalStateException.class, () -> t.max(0, false), "max", closed);
        fails(IllegalStateException.class, () -> t.softmax(0), "softmax", closed);
        fails(IllegalStateException.class, () -> t.layerNorm(null, null, 1e-5), "layer_norm", closed);
        fails(IllegalStateException.class, () -> t.matmul(A.mT()), "matmul", closed);
        fails(IllegalStateException.class, () -> t.indexSelect(0, IDX), "index_select", closed);
        fails(IllegalStateException.class, () -> Tensor.concat(List.of(A, t), 0), "concat", closed);
        fails(IllegalStateException.class, () -> t.reshape(6), "reshape", closed);
        fails(IllegalStateException.class, () -> t.narrow(0, 0, 1), "narrow", closed);
        fails(IllegalStateException.class, () -> t.contiguous(), "contiguous", closed);
        fails(IllegalStateException.class, () -> t.to(DType.F64), "to(F64)", closed);
        fails(IllegalStateException.class, () -> t.get(0, 0), closed);
        // the view keeps the storage alive: it still works after its base was closed
        view.toFloatArray();
        view.close();
        fails(IllegalStateException.class, () -> view.toFloatArray(), closed);
    }
}
