package clipcl.autograd.optim;

import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.Map;

/** Optimizer state tensors: zero-filled or copied, beside their parameter (same device, dtype). */
final class Flat {
    private Flat() { }

    /** Zeros beside t, owned by the caller (taken out of any open scope: it outlives steps). */
    static Tensor zerosLike(Tensor t) {
        if (t.dtype() != DType.F32 && t.dtype() != DType.F64) throw new IllegalArgumentException("optimizer state for dtype " + t.dtype() + " is not supported (F32 or F64 only)");
        return Scope.detach(Tensor.zerosLike(t));
    }

    /** A contiguous copy of t in dtype on device, owned by the caller. */
    static Tensor ownedCopy(Tensor t, DType dtype, Device device) {
        Tensor z = Tensor.empty(dtype, device, t.shape());
        z.copyFrom(t);
        return Scope.detach(z);
    }

    /** Moves a parameter's state to the parameter's device when the parameter moved (Module.to after steps). */
    static void follow(ParamState s, Tensor p) {
        for (Map.Entry<String, Tensor> e : s.slots.entrySet()) {
            Tensor t = e.getValue();
            if (t.device().equals(p.device())) continue;
            e.setValue(ownedCopy(t, t.dtype(), p.device()));
            t.close();
        }
    }
}
