package clipcl.tools;

import clipcl.tensor.Backends;
import clipcl.tensor.Device;
import picocli.CommandLine.Option;

/** `--device D`, shared by every command that computes: where the model runs. */
public final class DeviceOption {
    @Option(names = "--device", paramLabel = "D", description = {
        "where it computes: cpu (default), cuda, cuda:N (needs the CUDA backend jar and a GPU), or test (the strict CPU-backed test device)"})
    String device = "cpu";

    /** The device; its backend is looked up now, so an unavailable device fails before any work. */
    public Device device() {
        Device d;
        try {
            d = Device.parse(device);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Backends.get(d);
        return d;
    }
}
