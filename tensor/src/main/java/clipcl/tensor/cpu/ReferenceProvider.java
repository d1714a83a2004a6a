package clipcl.tensor.cpu;

import clipcl.tensor.Backend;
import clipcl.tensor.BackendProvider;
import clipcl.tensor.Device;
import clipcl.tensor.ReferenceBackend;

/** ServiceLoader entry of the float64 scalar {@link ReferenceBackend} ("reference", rank 0). */
public final class ReferenceProvider implements BackendProvider {
    @Override
    public String name() { return "reference"; }

    @Override
    public Device.Kind device() { return Device.Kind.CPU; }

    @Override
    public int rank() { return 0; }

    @Override
    public boolean available() { return true; }

    @Override
    public Backend create(Device device) { return new ReferenceBackend(); }
}
