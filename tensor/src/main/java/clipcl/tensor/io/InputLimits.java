package clipcl.tensor.io;

/**
 * Every size limit that the loaders enforce, in one place. Each guards the heap or the stack
 * against an input that lies about its size or nests without end; each is far above what a real
 * CLIP checkpoint, dataset or config needs. Passing one is a {@link BadInputException} naming the
 * limit.
 */
public final class InputLimits {
    private InputLimits() { }

    /** JSON nesting depth (objects and arrays). CLIP configs nest 2 deep, Karpathy files 4. */
    public static final int JSON_MAX_DEPTH = 512;

    /** Bytes of a JSON file (Karpathy's dataset_coco.json is 144 MB). */
    public static final long JSON_MAX_BYTES = 512L << 20;

    /** Bytes of a safetensors JSON header (the reference implementation's limit, 100 MB). */
    public static final long SAFETENSORS_MAX_HEADER_BYTES = 100_000_000L;

    /** Elements in one tensor: what a Java array holds. */
    public static final long TENSOR_MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** Bytes of a .npy header (NumPy itself caps it at 10,000 when reading untrusted files). */
    public static final int NPY_MAX_HEADER_BYTES = 10_000;

    /** Bytes of a pickle record (data.pkl): CLIP's is about 100 KB. */
    public static final long PICKLE_MAX_BYTES = 1L << 30;

    /** Entries in a pickle's memo, and values on its stack. */
    public static final int PICKLE_MAX_OBJECTS = 1 << 22;

    /**
     * Pixels of one image before it is decoded: twice Pillow's Image.MAX_IMAGE_PIXELS, where Pillow
     * raises DecompressionBombError.
     */
    public static final long IMAGE_MAX_PIXELS = 2L * (1024 * 1024 * 1024 / 4 / 3);

    /** Side of a preprocessed image (--size); 3 x 4096 x 4096 floats are 192 MiB. */
    public static final int IMAGE_MAX_SIZE = 4096;

    /**
     * Characters of one text given to the tokenizer or read from a JSONL line (a caption is a few
     * hundred; byte-pair merging of one long word costs time quadratic in its length).
     */
    public static final int TEXT_MAX_LINE_CHARS = 1 << 16;

    /** Items in an IDX file's first dimension, and elements in all (a Java array). */
    public static final long IDX_MAX_ELEMENTS = Integer.MAX_VALUE - 8;
}
