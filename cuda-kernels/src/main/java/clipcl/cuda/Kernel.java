package clipcl.cuda;

import java.util.List;

/**
 * Every kernel the Java side launches: its family (the .cu file and fatbin) and its parameter
 * kinds, in order. {@link KernelModule#launch} checks each argument against this, and
 * KernelSignatureTest checks this against the {@code extern "C" __global__} declarations in
 * src/main/cuda, so a drift between the two fails a test even where no GPU exists.
 */
public enum Kernel {
    FILL_STRIDED("elementwise", "fill_strided", "LAYOUT STRIDES PTR INT INT DOUBLE"),
    COPY_STRIDED("elementwise", "copy_strided", "LAYOUT STRIDES PTR INT STRIDES PTR INT INT"),
    CONVERT_CONTIGUOUS("elementwise", "convert_contiguous", "PTR INT PTR INT INT"),
    CONVERT_F32_BF16("elementwise", "convert_f32_bf16", "PTR PTR INT"),
    UNARY_F("elementwise", "unary_f", "INT LAYOUT STRIDES PTR INT PTR INT INT"),
    UNARY_D("elementwise", "unary_d", "INT LAYOUT STRIDES PTR INT PTR INT INT"),
    BINARY_F("elementwise", "binary_f", "INT LAYOUT STRIDES PTR INT STRIDES PTR INT PTR INT INT"),
    BINARY_D("elementwise", "binary_d", "INT LAYOUT STRIDES PTR INT STRIDES PTR INT PTR INT INT"),
    WHERE_STRIDED("elementwise", "where_strided", "LAYOUT STRIDES PTR INT STRIDES PTR INT STRIDES PTR INT PTR INT INT"),
    REDUCE_BLOCK("reduce", "reduce_block", "INT LAYOUT STRIDES PTR INT INT INT PTR INT INT"),
    REDUCE_THREAD("reduce", "reduce_thread", "INT LAYOUT STRIDES PTR INT INT INT PTR INT INT"),
    SOFTMAX_FORWARD_WARP("softmax", "softmax_forward_warp", "PTR PTR INT INT INT"),
    SOFTMAX_FORWARD_BLOCK("softmax", "softmax_forward_block", "PTR PTR INT INT INT"),
    SOFTMAX_BACKWARD_WARP("softmax", "softmax_backward_warp", "PTR PTR PTR INT INT INT"),
    SOFTMAX_BACKWARD_BLOCK("softmax", "softmax_backward_block", "PTR PTR PTR INT INT INT"),
    LAYERNORM_FORWARD("layernorm", "layernorm_forward", "PTR PTR PTR PTR PTR PTR INT INT FLOAT"),
    LAYERNORM_BACKWARD_DX("layernorm", "layernorm_backward_dx", "PTR PTR PTR PTR PTR PTR INT INT"),
    LAYERNORM_BACKWARD_DWDB_PARTIAL("layernorm", "layernorm_backward_dwdb_partial", "PTR PTR PTR PTR PTR PTR INT INT INT"),
    LAYERNORM_BACKWARD_DWDB_FINISH("layernorm", "layernorm_backward_dwdb_finish", "PTR PTR PTR PTR INT INT"),
    QUICK_GELU_FORWARD("gelu", "quick_gelu_forward", "PTR PTR INT"),
    QUICK_GELU_BACKWARD("gelu", "quick_gelu_backward", "PTR PTR PTR INT"),
    CROSS_ENTROPY_FORWARD("crossentropy", "cross_entropy_forward", "PTR PTR PTR PTR INT INT PTR"),
    CROSS_ENTROPY_BACKWARD("crossentropy", "cross_entropy_backward", "PTR PTR PTR PTR PTR INT INT"),
    SOFTMAX_KL_FORWARD("softmax_kl", "softmax_kl_forward", "PTR PTR PTR INT INT FLOAT"),
    SOFTMAX_KL_BACKWARD("softmax_kl", "softmax_kl_backward", "PTR PTR PTR PTR INT INT FLOAT"),
    ADAMW_STEP("adamw", "adamw_step", "PTR PTR PTR PTR PTR INT ADAMW"),
    ATTENTION_FORWARD("attention", "attention_forward", "PTR PTR PTR PTR PTR PTR INT INT INT INT INT INT INT INT INT INT INT INT INT FLOAT"),
    ATTENTION_BACKWARD_DQ("attention", "attention_backward_dq", "PTR PTR PTR PTR PTR PTR INT INT INT INT INT INT INT INT INT INT INT INT INT FLOAT"),
    ATTENTION_BACKWARD_DKDV("attention", "attention_backward_dkdv", "PTR PTR PTR PTR PTR PTR INT INT INT INT INT INT INT INT INT INT"),
    INDEX_SELECT("indexing", "index_select", "LAYOUT STRIDES PTR INT INT INT PTR PTR INT INT PTR"),
    GATHER_STRIDED("indexing", "gather_strided", "LAYOUT STRIDES PTR INT INT INT STRIDES PTR PTR INT INT PTR"),
    SCATTER_ADD_F32("indexing", "scatter_add_f32", "LAYOUT STRIDES PTR STRIDES PTR INT PTR STRIDES INT INT INT PTR");

    /** What a parameter is on the C side; {@link #ints} is the int count of the by-value structs. */
    public enum Param {
        INT, FLOAT, DOUBLE, PTR, LAYOUT, STRIDES, ADAMW;

        /** Length of the int[] (LAYOUT, STRIDES) or float[] (ADAMW) that carries the struct. */
        int structLength() {
            return switch (this) {
                case LAYOUT, STRIDES -> 1 + Layouts.MAX_RANK;
                case ADAMW -> 8;
                default -> 0;
            };
        }
    }

    public final String family;
    public final String symbol;
    public final List<Param> params;

    Kernel(String family, String symbol, String params) {
        this.family = family;
        this.symbol = symbol;
        this.params = java.util.Arrays.stream(params.split(" ")).map(Param::valueOf).toList();
    }
}
