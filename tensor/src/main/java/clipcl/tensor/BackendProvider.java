package clipcl.tensor;

/** A ServiceLoader entry that can make a backend; higher rank is preferred. */
public interface BackendProvider {
    String name();

    Device.Kind device();

    int rank();

    boolean available();

    Backend create(Device device);

    /** Why {@link #available} is false, for error messages ("" when available or unknown). */
    default String whyUnavailable() { return ""; }
}
