package clipcl.tensor;

/** bfloat16 conversions (IEEE half has Float.float16ToFloat / floatToFloat16 in the JDK). */
public final class HalfFloats {
    private HalfFloats() { }

    public static float bf16ToFloat(short bits) { return Float.intBitsToFloat((bits & 0xffff) << 16); }

    /** Round to nearest even, as PyTorch does; NaN stays NaN. */
    public static short floatToBf16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7fffffff) > 0x7f800000) return (short) ((x >>> 16) | 0x40);
        int rounding = 0x7fff + ((x >>> 16) & 1);
        return (short) ((x + rounding) >>> 16);
    }
}
