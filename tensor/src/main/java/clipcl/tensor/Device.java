package clipcl.tensor;

/** Where a tensor's memory lives. {@code index} is the GPU ordinal; 0 for the CPU. */
public record Device(Kind kind, int index) {
    public enum Kind { CPU, CUDA }

    public static final Device CPU = new Device(Kind.CPU, 0);

    public static Device cuda(int index) { return new Device(Kind.CUDA, index); }

    /** Parses "cpu", "cuda" or "cuda:N" (the PyTorch spellings). */
    public static Device parse(String s) {
        String t = s.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.equals("cpu")) return CPU;
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
    public String toString() { return kind == Kind.CPU ? "cpu" : "cuda:" + index; }
}
