package clipcl.autograd.nn;

import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;

/**
 * Where new parameters come from: a seeded generator (draws are consumed in construction order, so
 * the same seed builds the same model) and the parameter dtype (F32; F64 for gradient checks).
 * The helpers follow PyTorch's default initialisations.
 */
public record Init(Rng rng, DType dtype) {
    public static Init f32(long seed) { return new Init(new Rng(seed), DType.F32); }

    public static Init f64(long seed) { return new Init(new Rng(seed), DType.F64); }

    public Tensor uniform(double bound, int... shape) { return rng.uniform(dtype, -bound, bound, shape); }

    public Tensor normal(double std, int... shape) { return rng.normal(dtype, 0, std, shape); }

    public Tensor zeros(int... shape) { return Tensor.zeros(dtype, shape); }

    public Tensor ones(int... shape) { return Tensor.ones(dtype, shape); }

    /** nn.Linear's weight: kaiming_uniform(a = sqrt 5), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)); bias alike. */
    public Tensor linearDefault(int fanIn, int... shape) { return uniform(1.0 / Math.sqrt(fanIn), shape); }

    /** xavier_uniform: U(-b, b) with b = sqrt(6 / (fan_in + fan_out)) for a [fan_out, fan_in] weight. */
    public Tensor xavierUniform(int fanOut, int fanIn) { return uniform(Math.sqrt(6.0 / (fanIn + fanOut)), fanOut, fanIn); }
}
