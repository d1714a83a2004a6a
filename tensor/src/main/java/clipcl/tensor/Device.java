package clipcl.tensor;

/**
 * Where a tensor's memory lives. {@code index} is the GPU ordinal; 0 for the CPU. {@link Kind#TEST}
 * is the strict test device: host memory of its own storage type that every backend but its own
 * refuses, so a test run on it proves that code above the tensor core never mixes devices.
 */
public record Device(Kind kind, int index) {
    public enum Kind { CPU, CUDA, TEST }

    public static final Device CPU = new Device(Kind.CPU, 0);

    /** The strict test device (see {@code clipcl.tensor.strict}). */
    public static final Device TEST = new Device(Kind.TEST, 0);

    public static Device cuda(int index) { return new Device(Kind.CUDA, index); }

    public boolean isCpu() { return kind == Kind.CPU; }

    /** Parses "cpu", "cuda" or "cuda:N" (the PyTorch spellings). */
    public static Device parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("cpu")) return CPU;
        if (t.equals("test") || t.equals("test:0")) return TEST;
        if (t.equals("test:1")) return new Device(Kind.TEST, 1);
        if (t.equals("cuda") || t.equals("gpu")) return cuda(0);
        if (t.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(t.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad device '" + s + "': expected cpu, cuda or cuda:N");
            }
        }
        throw new IllegalArgumentException("bad device '" + s + "': expected cpu, cuda or cuda:N");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case CPU -> "cpu";
            case CUDA -> "cuda:" + index;
            case TEST -> index == 0 ? "test" : "test:" + index;
        };
    }
}
