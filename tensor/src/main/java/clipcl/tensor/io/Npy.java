package clipcl.tensor.io;

import clipcl.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** NumPy's .npy format, version 1.0: little-endian f4, f8, i4, i8 (read as I32), f2 (read as F32). */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() { }

    /** Writes t (F32, F64 or I32) as a C-order .npy file, atomically. */
    public static void write(Path file, Tensor t) throws IOException {
        String descr = switch (t.dtype()) {
            case F32, BF16, F16 -> "<f4";
            case F64 -> "<f8";
            case I32 -> "<i4";
        };
        int[] dims = t.dims();
        StringBuilder shape = new StringBuilder("(");
        for (int d : dims) shape.append(d).append(", ");
        if (dims.length > 1) shape.setLength(shape.length() - 2);
        else if (dims.length == 1) shape.setLength(shape.length() - 1);
        shape.append(")");
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = MAGIC.length + 4 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        int elem = descr.equals("<f8") ? 8 : 4;
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + t.numel() * elem).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.US_ASCII));
        switch (descr) {
            case "<f4" -> { for (float v : t.toFloatArray()) buf.putFloat(v); }
            case "<f8" -> { for (double v : t.toDoubleArray()) buf.putDouble(v); }
            default -> { for (int v : t.toIntArray()) buf.putInt(v); }
        }
        AtomicFiles.write(file, buf.array());
    }

    public static Tensor read(Path file) throws IOException {
        byte[] all;
        if (Files.isDirectory(file)) throw new IOException(file + ": is a folder, not a .npy file");
        try {
            all = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        } catch (OutOfMemoryError e) {
            throw new BadInputException(file.toString(), null, "too large to read into memory");
        }
        return parse(all, file.toString());
    }

    /** Like {@link #read} but refuses NaN and infinite values, naming the first one's index. */
    public static Tensor readFinite(Path file) throws IOException {
        Tensor t = read(file);
        requireFinite(t, file.toString());
        return t;
    }

    /** Refuses a floating point tensor holding NaN or an infinity; integer tensors pass. */
    public static void requireFinite(Tensor t, String source) {
        if (t.dtype() == clipcl.tensor.DType.I32) return;
        double[] v = t.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                t.close();
                throw new BadInputException(source, "element " + i, "holds " + v[i] + "; the values must be finite");
            }
        }
    }

    /** Parses the bytes of a .npy file; every refusal is a {@link BadInputException} naming name. */
    public static Tensor parse(byte[] all, String name) {
        if (all.length < 10) throw new BadInputException(name, null, "not a .npy file (too short)");
        for (int i = 0; i < MAGIC.length; i++) if (all[i] != MAGIC[i]) throw new BadInputException(name, null, "not a .npy file (bad magic)");
        int major = all[6];
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long hlen;
        int start;
        if (major == 1) { hlen = b.getShort(8) & 0xffff; start = 10; }
        else if (major == 2 || major == 3) {
            if (all.length < 12) throw new BadInputException(name, null, "truncated .npy header");
            hlen = b.getInt(8) & 0xffffffffL;
            start = 12;
        } else throw new BadInputException(name, "version", "unsupported .npy version " + major);
        if (hlen > InputLimits.NPY_MAX_HEADER_BYTES) throw new BadInputException(name, "header", "header of " + hlen + " bytes, more than the limit of " + InputLimits.NPY_MAX_HEADER_BYTES);
        if (start + hlen > all.length) throw new BadInputException(name, "header", "truncated: " + hlen + " header bytes promised, " + (all.length - start) + " present");
        String header = new String(all, start, (int) hlen, StandardCharsets.ISO_8859_1);
        String descr = field(header, "descr", "'([^']*)'", name);
        String fortran = field(header, "fortran_order", "(True|False)", name);
        String shapeText = field(header, "shape", "\\(([^)]*)\\)", name);
        if (fortran.equals("True")) throw new BadInputException(name, "fortran_order", "Fortran-order arrays are not supported");
        List<Integer> dl = new ArrayList<>();
        long n = 1;
        String[] parts = shapeText.split(",", -1);
        for (int k = 0; k < parts.length; k++) {
            String s = parts[k].strip();
            if (s.isEmpty() && k == parts.length - 1 && k > 0) break; // the trailing comma of "(3,)"
            if (s.isEmpty() && parts.length == 1) break; // "()" : a scalar
            if (!s.matches("[0-9]{1,10}")) throw new BadInputException(name, "shape", "dimension '" + s + "' is not a non-negative integer in (" + shapeText + ")");
            long d = Long.parseLong(s);
            if (d > InputLimits.TENSOR_MAX_ELEMENTS) throw new BadInputException(name, "shape", "dimension " + d + " is above the limit of " + InputLimits.TENSOR_MAX_ELEMENTS + " elements");
            dl.add((int) d);
            n *= d;
            if (n > InputLimits.TENSOR_MAX_ELEMENTS) throw new BadInputException(name, "shape", "(" + shapeText + ") has more than the limit of " + InputLimits.TENSOR_MAX_ELEMENTS + " elements");
        }
        int[] dims = dl.stream().mapToInt(Integer::intValue).toArray();
        int dataStart = (int) (start + hlen);
        b.position(dataStart);
        int elem = switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "<f2" -> 2;
            case "|u1", "|i1", "|b1" -> 1;
            default -> throw new BadInputException(name, "descr", "unsupported dtype '" + descr + "' (need <f4, <f8, <f2, <i4, <i8, u1)");
        };
        long have = all.length - dataStart, want = n * elem;
        if (have < want) throw new BadInputException(name, "data", "truncated: shape " + dl + " needs " + want + " bytes, file has " + have);
        // Extra bytes mean the header's shape does not describe the data: refuse rather than guess.
        if (have > want) throw new BadInputException(name, "shape", dl + " of " + descr + " covers " + want + " bytes but the file holds " + have + " bytes of data");
        int count = (int) n;
        switch (descr) {
            case "<f4" -> { float[] v = new float[count]; for (int i = 0; i < count; i++) v[i] = b.getFloat(); return Tensor.of(v, dims); }
            case "<f8" -> { double[] v = new double[count]; for (int i = 0; i < count; i++) v[i] = b.getDouble(); return Tensor.of(v, dims); }
            case "<f2" -> { float[] v = new float[count]; for (int i = 0; i < count; i++) v[i] = Float.float16ToFloat(b.getShort()); return Tensor.of(v, dims); }
            case "<i4" -> { int[] v = new int[count]; for (int i = 0; i < count; i++) v[i] = b.getInt(); return Tensor.of(v, dims); }
            case "<i8" -> {
                int[] v = new int[count];
                for (int i = 0; i < count; i++) {
                    long x = b.getLong();
                    if (x != (int) x) throw new BadInputException(name, "element " + i, "int64 value " + x + " is outside the int32 range it is read into");
                    v[i] = (int) x;
                }
                return Tensor.of(v, dims);
            }
            default -> {
                int[] v = new int[count];
                for (int i = 0; i < count; i++) v[i] = descr.equals("|i1") ? b.get() : b.get() & 0xff;
                return Tensor.of(v, dims);
            }
        }
    }

    private static String field(String header, String key, String valuePattern, String name) {
        Matcher m = Pattern.compile("'" + key + "'\\s*:\\s*" + valuePattern).matcher(header);
        if (!m.find()) throw new BadInputException(name, "header", "no valid '" + key + "' in " + printable(header.strip()));
        return m.group(1);
    }

    private static String printable(String t) {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < Math.min(t.length(), 200); k++) {
            char c = t.charAt(k);
            b.append(c < 0x20 || c > 0x7e ? '?' : c);
        }
        return b.toString();
    }
}
