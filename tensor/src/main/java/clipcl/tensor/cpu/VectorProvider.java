package clipcl.tensor.cpu;

import clipcl.tensor.Backend;
import clipcl.tensor.BackendProvider;
import clipcl.tensor.Device;

/** ServiceLoader entry of {@link VectorBackend} ("vector", rank 10: preferred over the reference). */
public final class VectorProvider implements BackendProvider {
    @Override
    public String name() { return "vector"; }

    @Override
    public Device.Kind device() { return Device.Kind.CPU; }

    @Override
    public int rank() { return 10; }

    /** Needs the jdk.incubator.vector module at run time (--add-modules jdk.incubator.vector). */
    @Override
    public boolean available() { return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(); }

    @Override
    public Backend create(Device device) { return new VectorBackend(); }
}
