package clipcl.autograd.nn;

import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;

/**
 * Where new parameters come from: a seeded generator (draws are consumed in construction order, so
 * the same seed builds the same model), the parameter dtype (F32; F64 for gradient checks) and the
 * device the parameters are made on. Random draws are made on the host and copied to the device, so
 * a seed builds the same weights on every device. The helpers follow PyTorch's default initialisations.
 */
public record Init(Rng rng, DType dtype, Device device) {
    public Init(Rng rng, DType dtype) { this(rng, dtype, Device.CPU); }

    public static Init f32(long seed) { return new Init(new Rng(seed), DType.F32); }

    public static Init f64(long seed) { return new Init(new Rng(seed), DType.F64); }

    /** The same generator and dtype, making parameters on device. */
    public Init on(Device d) { return new Init(rng, dtype, d); }

    public Tensor uniform(double bound, int... shape) { return place(rng.uniform(dtype, -bound, bound, shape)); }

    public Tensor normal(double std, int... shape) { return place(rng.normal(dtype, 0, std, shape)); }

    public Tensor zeros(int... shape) { return Tensor.zeros(dtype, device, shape); }

    public Tensor ones(int... shape) { return Tensor.ones(dtype, device, shape); }

    /** value as a tensor of this dtype and device. */
    public Tensor full(double value, int... shape) { return Tensor.full(value, dtype, device, shape); }

    /** nn.Linear's weight: kaiming_uniform(a = sqrt 5), i.e. U(-1/sqrt(fan_in), 1/sqrt(fan_in)); bias alike. */
    public Tensor linearDefault(int fanIn, int... shape) { return uniform(1.0 / Math.sqrt(fanIn), shape); }

    /** xavier_uniform: U(-b, b) with b = sqrt(6 / (fan_in + fan_out)) for a [fan_out, fan_in] weight. */
    public Tensor xavierUniform(int fanOut, int fanIn) { return uniform(Math.sqrt(6.0 / (fanIn + fanOut)), fanOut, fanIn); }

    private Tensor place(Tensor host) {
        if (device.isCpu()) return host;
        Tensor t = host.to(device);
        host.close();
        return t;
    }
}
