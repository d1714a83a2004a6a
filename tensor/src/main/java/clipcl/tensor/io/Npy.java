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
        try {
            all = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        }
        return parse(all, file.toString());
    }

    static Tensor parse(byte[] all, String name) throws IOException {
        if (all.length < 10) throw new IOException(name + ": not a .npy file (too short)");
        for (int i = 0; i < MAGIC.length; i++) if (all[i] != MAGIC[i]) throw new IOException(name + ": not a .npy file (bad magic)");
        int major = all[6];
        ByteBuffer b = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int hlen, start;
        if (major == 1) { hlen = b.getShort(8) & 0xffff; start = 10; }
        else if (major == 2 || major == 3) { hlen = b.getInt(8); start = 12; }
        else throw new IOException(name + ": unsupported .npy version " + major);
        if (start + hlen > all.length) throw new IOException(name + ": truncated .npy header");
        String header = new String(all, start, hlen, StandardCharsets.ISO_8859_1);
        String descr = field(header, "descr", "'([^']*)'", name);
        String fortran = field(header, "fortran_order", "(True|False)", name);
        String shapeText = field(header, "shape", "\\(([^)]*)\\)", name);
        if (fortran.equals("True")) throw new IOException(name + ": Fortran-order arrays are not supported");
        List<Integer> dl = new ArrayList<>();
        for (String s : shapeText.split(",")) if (!s.isBlank()) dl.add(Integer.parseInt(s.trim()));
        int[] dims = dl.stream().mapToInt(Integer::intValue).toArray();
        long n = 1;
        for (int d : dims) n *= d;
        int dataStart = start + hlen;
        b.position(dataStart);
        int elem = switch (descr) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "<f2" -> 2;
            case "|u1", "|i1", "|b1" -> 1;
            default -> throw new IOException(name + ": unsupported dtype '" + descr + "' (need <f4, <f8, <f2, <i4, <i8, u1)");
        };
        if (all.length - dataStart < n * elem) throw new IOException(name + ": truncated data: shape " + dl + " needs " + n * elem + " bytes, file has " + (all.length - dataStart));
        int count = (int) n;
        switch (descr) {
            case "<f4" -> { float[] v = new float[count]; for (int i = 0; i < count; i++) v[i] = b.getFloat(); return Tensor.of(v, dims); }
            case "<f8" -> { double[] v = new double[count]; for (int i = 0; i < count; i++) v[i] = b.getDouble(); return Tensor.of(v, dims); }
            case "<f2" -> { float[] v = new float[count]; for (int i = 0; i < count; i++) v[i] = Float.float16ToFloat(b.getShort()); return Tensor.of(v, dims); }
            case "<i4" -> { int[] v = new int[count]; for (int i = 0; i < count; i++) v[i] = b.getInt(); return Tensor.of(v, dims); }
            case "<i8" -> { int[] v = new int[count]; for (int i = 0; i < count; i++) v[i] = Math.toIntExact(b.getLong()); return Tensor.of(v, dims); }
            default -> {
                int[] v = new int[count];
                for (int i = 0; i < count; i++) v[i] = descr.equals("|i1") ? b.get() : b.get() & 0xff;
                return Tensor.of(v, dims);
            }
        }
    }

    private static String field(String header, String key, String valuePattern, String name) throws IOException {
        Matcher m = Pattern.compile("'" + key + "'\\s*:\\s*" + valuePattern).matcher(header);
        if (!m.find()) throw new IOException(name + ": .npy header has no '" + key + "': " + header.trim());
        return m.group(1);
    }
}
