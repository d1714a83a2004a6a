package clipcl.cuda;

/** A failed CUDA, driver, cuBLAS or kernel call: the message names the call and the status. */
public final class CudaException extends RuntimeException {
    private final String call;
    private final int status;

    public CudaException(String call, int status, String detail) {
        super(call + " failed: status " + status + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")"));
        this.call = call;
        this.status = status;
    }

    /** The API call that failed, for example {@code cudaMalloc(1048576 bytes)}. */
    public String call() { return call; }

    public int status() { return status; }
}
