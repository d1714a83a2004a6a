package clipcl.tensor;

/**
 * Switches for the fused inference kernels, so each can be measured against the composed path it
 * replaces in one process (A/B) and ruled out when a result is in doubt. Both on unless
 * {@code -Dclipcl.fuse=none} (or a comma list naming the ones to keep: attention, gelu).
 */
public final class Fusion {
    private static volatile boolean attention = keeps("attention");
    private static volatile boolean gelu = keeps("gelu");

    private Fusion() { }

    private static boolean keeps(String name) {
        String p = System.getProperty("clipcl.fuse", "all").trim();
        if (p.equals("all")) return true;
        for (String s : p.split(",")) if (s.trim().equals(name)) return true;
        return false;
    }

    /** Self-attention for inference in one kernel per (batch, head), heads merged in place. */
    public static boolean attention() { return attention; }

    /** c_fc's bias and QuickGELU applied to each tile of the product as it is finished (inference). */
    public static boolean gelu() { return gelu; }

    public static void setAttention(boolean on) { attention = on; }

    public static void setGelu(boolean on) { gelu = on; }
}
