package clipcl.continual.train;

import clipcl.tensor.Device;
import clipcl.tensor.Tensor;

/** Host-made tensors (batches, token ids, masks) put on the model's device. */
public final class Placement {
    private Placement() { }

    /** host itself when it already is on device; otherwise a copy there, and host is closed. */
    public static Tensor onDevice(Tensor host, Device device) {
        if (host.device().equals(device)) return host;
        Tensor t = host.to(device);
        host.close();
        return t;
    }

    /** t itself when it is on the CPU; otherwise a host copy, and t is closed (scores are computed on the host). */
    public static Tensor onHost(Tensor t) { return onDevice(t, Device.CPU); }
}
