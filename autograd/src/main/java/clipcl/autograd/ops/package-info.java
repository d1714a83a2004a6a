/**
 * The primitives of the autograd graph, one {@link clipcl.autograd.Function} subclass each, with a
 * static {@code apply} (connect the inputs, run the forward, save only what the backward of the
 * inputs that need a gradient uses) and {@code backward(gradOut)}. Fused primitives
 * (ScaledDotProductAttention, LayerNormFn, CrossEntropy, SoftmaxKl, QuickGelu, LinearFn) have
 * hand-written one-pass backward kernels (Rows, RowKernels, Pointwise) that run on CPU tensors
 * in F32 and F64 alike. Every concrete class here must appear in a gradient check
 * (OpGradientTest enumerates this package).
 */
package clipcl.autograd.ops;
