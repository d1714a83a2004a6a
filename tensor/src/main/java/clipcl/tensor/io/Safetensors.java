package clipcl.tensor.io;

import clipcl.tensor.DType;
import clipcl.tensor.HalfFloats;
import clipcl.tensor.Tensor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian data. Reading memory-maps the file, so a
 * large checkpoint costs heap only for the tensors actually read; 16-bit floats are widened to F32
 * and I64 narrowed to I32 on read.
 */
public final class Safetensors {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private Safetensors() { }

    /** One tensor's header entry; begin/end are byte offsets relative to the data section. */
    public record Entry(String name, String dtype, int[] shape, long begin, long end) {
        public long numel() {
            long n = 1;
            for (int d : shape) n *= d;
            return n;
        }
    }

    public static Reader open(Path file) throws IOException { return new Reader(file); }

    /** A memory-mapped safetensors file. Close it to unmap. */
    public static final class Reader implements AutoCloseable {
        private final Path file;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment data;
        private final Map<String, Entry> entries = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        Reader(Path file) throws IOException {
            this.file = file;
            MemorySegment all;
            if (java.nio.file.Files.isDirectory(file)) {
                arena.close();
                throw new IOException(file + ": is a folder, not a safetensors file");
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size < 8) throw new BadInputException(file.toString(), null, "not a safetensors file (only " + size + " bytes)");
                all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            } catch (NoSuchFileException e) {
                arena.close();
                throw new IOException(file + ": no such file");
            } catch (IOException | RuntimeException e) {
                arena.close();
                throw e;
            }
            try {
                data = parseHeader(all);
            } catch (RuntimeException e) {
                arena.close();
                throw e;
            }
        }

        /** Reads and checks the header; returns the data section. */
        private MemorySegment parseHeader(MemorySegment all) {
            String src = file.toString();
            long hlen = all.get(I64, 0);
            if (hlen <= 0 || hlen > all.byteSize() - 8) {
                throw new BadInputException(src, "header length", hlen + " for a file of " + all.byteSize() + " bytes (not a safetensors file, or truncated)");
            }
            if (hlen > InputLimits.SAFETENSORS_MAX_HEADER_BYTES) {
                throw new BadInputException(src, "header length", hlen + " bytes, more than the limit of " + InputLimits.SAFETENSORS_MAX_HEADER_BYTES);
            }
            byte[] hb = all.asSlice(8, hlen).toArray(ValueLayout.JAVA_BYTE);
            MemorySegment body = all.asSlice(8 + hlen);
            String text = TextFiles.decodeUtf8(hb, src + " (header)");
            Map<String, Object> header = Json.parseObject(text, src + " (header)");
            for (Map.Entry<String, Object> e : header.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    if (!(e.getValue() instanceof Map<?, ?> m)) throw new BadInputException(src, "__metadata__", "must be an object of strings, found " + Json.kind(e.getValue()));
                    for (Map.Entry<?, ?> me : m.entrySet()) {
                        if (!(me.getValue() instanceof String v)) throw new BadInputException(src, "__metadata__." + me.getKey(), "must be a string, found " + Json.kind(me.getValue()));
                        metadata.put(String.valueOf(me.getKey()), v);
                    }
                    continue;
                }
                entries.put(e.getKey(), entry(e.getKey(), e.getValue()));
            }
            checkLayout(body.byteSize());
            return body;
        }

        /**
         * The tensors must tile the data section exactly, as the reference implementation demands:
         * no overlap (two names sharing bytes), no gap and nothing after the last tensor.
         */
        private void checkLayout(long dataBytes) {
            List<Entry> byOffset = new ArrayList<>(entries.values());
            byOffset.sort(java.util.Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long at = 0;
            String prev = null;
            for (Entry en : byOffset) {
                if (en.begin() < at) throw new BadInputException(file.toString(), "tensor '" + en.name() + "'", "data_offsets [" + en.begin() + ", " + en.end() + "] overlap tensor '" + prev + "' (ending at " + at + ")");
                if (en.begin() > at) throw new BadInputException(file.toString(), "tensor '" + en.name() + "'", "data_offsets start at " + en.begin() + ", leaving a gap after byte " + at + (prev == null ? "" : " (end of '" + prev + "')"));
                at = en.end();
                prev = en.name();
            }
            if (at != dataBytes) {
                if (at > dataBytes) throw new BadInputException(file.toString(), "tensor '" + prev + "'", "truncated: ends at byte " + at + " of a data section of " + dataBytes);
                throw new BadInputException(file.toString(), "data", dataBytes - at + " trailing bytes after the last tensor (data section of " + dataBytes + " bytes, tensors cover " + at + ")");
            }
        }

        private Entry entry(String name, Object v) {
            String src = file.toString(), what = "tensor '" + name + "'";
            if (!(v instanceof Map<?, ?> m)) throw new BadInputException(src, what, "header entry must be an object, found " + Json.kind(v));
            for (Object k : m.keySet()) {
                if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) throw new BadInputException(src, what, "unknown header field '" + k + "'");
            }
            if (!(m.get("dtype") instanceof String dtype)) throw new BadInputException(src, what + " dtype", "must be a string, found " + Json.kind(m.get("dtype")));
            int es = elementSize(dtype, src, what);
            if (!(m.get("shape") instanceof List<?> shapeList)) throw new BadInputException(src, what + " shape", "must be an array of integers, found " + Json.kind(m.get("shape")));
            if (!(m.get("data_offsets") instanceof List<?> offs) || offs.size() != 2) throw new BadInputException(src, what + " data_offsets", "must be an array [begin, end], found " + Json.write(m.get("data_offsets")));
            int[] shape = new int[shapeList.size()];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                long d = nonNegative(shapeList.get(i), src, what + " shape[" + i + "]");
                if (d > InputLimits.TENSOR_MAX_ELEMENTS) throw new BadInputException(src, what + " shape", "dimension " + d + " above the limit of " + InputLimits.TENSOR_MAX_ELEMENTS + " elements");
                shape[i] = (int) d;
                numel *= d;
                if (numel > InputLimits.TENSOR_MAX_ELEMENTS) throw new BadInputException(src, what + " shape", java.util.Arrays.toString(shape) + " has more than the limit of " + InputLimits.TENSOR_MAX_ELEMENTS + " elements");
            }
            long begin = nonNegative(offs.get(0), src, what + " data_offsets[0]"), end = nonNegative(offs.get(1), src, what + " data_offsets[1]");
            if (end < begin) throw new BadInputException(src, what + " data_offsets", "end " + end + " before begin " + begin);
            Entry en = new Entry(name, dtype, shape, begin, end);
            long want = numel * es;
            if (end - begin != want) throw new BadInputException(src, what, "shape " + java.util.Arrays.toString(shape) + " of " + dtype + " needs " + want + " bytes, data_offsets give " + (end - begin));
            return en;
        }

        private static long nonNegative(Object o, String src, String what) {
            if (!(o instanceof Long n) || n < 0) throw new BadInputException(src, what, "must be a non-negative integer, found " + (o instanceof Number ? o : Json.kind(o)));
            return n;
        }

        public Path file() { return file; }

        public Map<String, Entry> entries() { return Collections.unmodifiableMap(entries); }

        public Map<String, String> metadata() { return Collections.unmodifiableMap(metadata); }

        public boolean contains(String name) { return entries.containsKey(name); }

        /** Reads a tensor into heap memory: F32 (also from F16/BF16), F64, or I32 (also from I64). */
        public Tensor read(String name) throws IOException {
            Entry e = entries.get(name);
            if (e == null) throw new IOException(file + ": no tensor named '" + name + "'");
            MemorySegment seg = data.asSlice(e.begin(), e.end() - e.begin());
            int n = Math.toIntExact(e.numel());
            switch (e.dtype()) {
                case "F32" -> {
                    float[] v = new float[n];
                    MemorySegment.copy(seg, F32, 0, v, 0, n);
                    return Tensor.of(v, e.shape());
                }
                case "F64" -> {
                    double[] v = new double[n];
                    MemorySegment.copy(seg, F64, 0, v, 0, n);
                    return Tensor.of(v, e.shape());
                }
                case "F16", "BF16" -> {
                    boolean bf = e.dtype().equals("BF16");
                    float[] v = new float[n];
                    for (int i = 0; i < n; i++) {
                        short s = seg.getAtIndex(I16, i);
                        v[i] = bf ? HalfFloats.bf16ToFloat(s) : Float.float16ToFloat(s);
                    }
                    return Tensor.of(v, e.shape());
                }
                case "I32" -> {
                    int[] v = new int[n];
                    MemorySegment.copy(seg, I32, 0, v, 0, n);
                    return Tensor.of(v, e.shape());
                }
                case "I64" -> {
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) {
                        long x = seg.getAtIndex(I64, i);
                        if (x != (int) x) throw new BadInputException(file.toString(), "tensor '" + name + "' element " + i, "int64 value " + x + " is outside the int32 range it is read into");
                        v[i] = (int) x;
                    }
                    return Tensor.of(v, e.shape());
                }
                default -> throw new BadInputException(file.toString(), "tensor '" + name + "'", "dtype " + e.dtype() + " is not read (F32, F64, F16, BF16, I32 and I64 are)");
            }
        }

        @Override
        public void close() { arena.close(); }
    }

    static int elementSize(String dtype, String src, String what) {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
            default -> throw new BadInputException(src, what + " dtype", "unknown safetensors dtype '" + dtype + "'");
        };
    }

    /**
     * Writes tensors (F32, F64, I32) atomically, names sorted as the reference implementation does.
     * Metadata may be null.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Map<String, Tensor> sorted = new TreeMap<>(tensors);
        Map<String, Object> header = new LinkedHashMap<>();
        // Sorted, so that the same tensors and metadata always give the same bytes (Map.of has no fixed order).
        if (metadata != null && !metadata.isEmpty()) header.put("__metadata__", new TreeMap<>(metadata));
        long off = 0;
        List<Tensor> order = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : sorted.entrySet()) {
            Tensor t = e.getValue();
            String dt = switch (t.dtype()) {
                case F32, BF16, F16 -> "F32";
                case F64 -> "F64";
                case I32 -> "I32";
            };
            long bytes = (long) t.numel() * (dt.equals("F64") ? 8 : 4);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dtype", dt);
            m.put("shape", t.dims());
            m.put("data_offsets", new long[] {off, off + bytes});
            header.put(e.getKey(), m);
            off += bytes;
            order.add(t);
        }
        byte[] hb = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int pad = (8 - hb.length % 8) % 8; // keep the data section 8-byte aligned
        byte[] hpad = new byte[hb.length + pad];
        System.arraycopy(hb, 0, hpad, 0, hb.length);
        for (int i = hb.length; i < hpad.length; i++) hpad[i] = ' ';
        AtomicFiles.write(file, ch -> {
            ByteBuffer head = ByteBuffer.allocate(8 + hpad.length).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(hpad.length).put(hpad).flip();
            while (head.hasRemaining()) ch.write(head);
            for (Tensor t : order) {
                ByteBuffer b;
                if (t.dtype() == DType.F64) {
                    double[] v = t.toDoubleArray();
                    b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                    b.asDoubleBuffer().put(v);
                } else if (t.dtype() == DType.I32) {
                    int[] v = t.toIntArray();
                    b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    b.asIntBuffer().put(v);
                } else {
                    float[] v = t.toFloatArray();
                    b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                    b.asFloatBuffer().put(v);
                }
                while (b.hasRemaining()) ch.write(b);
            }
        });
    }

    /** Reads every tensor of a file. */
    public static Map<String, Tensor> readAll(Path file) throws IOException {
        try (Reader r = open(file)) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : r.entries().keySet()) out.put(name, r.read(name));
            return out;
        }
    }
}
