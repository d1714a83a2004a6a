package clipcl.clip.weights;

import clipcl.tensor.io.BadInputException;
import clipcl.clip.weights.PyObjects.Global;
import clipcl.clip.weights.PyObjects.PyObject;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A PyTorch zip archive, as written by {@code torch.save} (since 1.6) and {@code torch.jit.save}:
 * every record lives under one top-level folder ({@code <name>/data.pkl}, {@code <name>/data/<key>},
 * TorchScript's {@code <name>/code/...}). The pickle is read with {@link Unpickler}; tensors come
 * out as {@link TensorRef}s whose bytes {@link StorageReader} reads on demand.
 */
final class TorchArchive implements AutoCloseable {
    private static final long MAX_PICKLE_BYTES = clipcl.tensor.io.InputLimits.PICKLE_MAX_BYTES;

    private final Path file;
    private final ZipFile zip;
    private final String prefix;

    private TorchArchive(Path file, ZipFile zip, String prefix) {
        this.file = file;
        this.zip = zip;
        this.prefix = prefix;
    }

    static TorchArchive open(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file + ": no such file");
        ZipFile zip;
        try {
            zip = new ZipFile(file.toFile());
        } catch (ZipException | EOFException e) {
            // The central directory sits at the end, so a cut-off download fails here; an end record
            // whose sizes point past the file ends the reader's search with a bare EOFException.
            throw new BadInputException(file.toString(), null, "truncated or damaged zip archive (" + (e.getMessage() == null ? "unexpected end of file" : e.getMessage()) + ")");
        }
        try {
            String prefix = findPrefix(zip, file);
            TorchArchive a = new TorchArchive(file, zip, prefix);
            a.checkByteOrder();
            return a;
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** The top-level folder holding data.pkl (its name varies: the file's stem, "archive", ...). */
    private static String findPrefix(ZipFile zip, Path file) throws IOException {
        String best = null;
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String n = en.nextElement().getName();
            if (n.equals("data.pkl")) return "";
            if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                if (best == null || n.length() < best.length()) best = n;
            }
        }
        if (best == null) throw new BadInputException(file.toString(), null, "a zip archive but not a PyTorch one (no data.pkl record)");
        return best.substring(0, best.length() - "data.pkl".length());
    }

    private void checkByteOrder() throws IOException {
        if (!has("byteorder")) return;
        String order = new String(readRecord("byteorder", 64), StandardCharsets.US_ASCII).trim();
        if (!order.equals("little")) throw new BadInputException(file.toString(), null, "tensors saved in " + order + "-endian byte order are not supported");
    }

    Path file() { return file; }

    /** The archive's top-level folder, with its trailing slash. */
    String prefix() { return prefix; }

    boolean has(String record) { return zip.getEntry(prefix + record) != null; }

    ZipEntry entry(String record) { return zip.getEntry(prefix + record); }

    InputStream stream(ZipEntry e) throws IOException { return zip.getInputStream(e); }

    /** Record names (relative to the prefix) under a folder such as "code/". */
    List<String> recordsUnder(String folder) {
        List<String> out = new ArrayList<>();
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String n = en.nextElement().getName();
            if (n.startsWith(prefix + folder)) out.add(n.substring(prefix.length()));
        }
        return out;
    }

    byte[] readRecord(String record, long maxBytes) throws IOException {
        ZipEntry e = zip.getEntry(prefix + record);
        if (e == null) throw new BadInputException(file.toString(), null, "missing record " + prefix + record);
        if (e.getSize() > maxBytes) throw new BadInputException(file.toString(), null, "record " + prefix + record + " is " + e.getSize() + " bytes, more than the " + maxBytes + " expected");
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 8));
            if (e.getSize() >= 0 && b.length != e.getSize()) throw new BadInputException(file.toString(), null, "truncated record " + prefix + record + " (" + b.length + " of " + e.getSize() + " bytes)");
            return b;
        } catch (ZipException | java.io.EOFException ex) {
            throw new BadInputException(file.toString(), null, "damaged record " + prefix + record + " (" + ex + ")");
        }
    }

    /** Unpickles a record (data.pkl): tensors become {@link TensorRef}s, nothing is read yet. */
    Object unpickle(String record) throws IOException {
        byte[] b = readRecord(record, MAX_PICKLE_BYTES);
        return Unpickler.load(b, file + " (" + prefix + record + ")", new TorchHooks(file + " (" + prefix + record + ")"));
    }

    @Override
    public void close() throws IOException { zip.close(); }

    /** The storage a persistent id names: ('storage', torch.HalfStorage, key, location, numel). */
    record StorageId(String type, String key, long numel) { }

    /** Turns PyTorch's reconstruction calls into {@link TensorRef}s; every other call stays a PyObject. */
    static final class TorchHooks implements Unpickler.Hooks {
        private final String source;

        TorchHooks(String source) { this.source = source; }

        @Override
        public Object persistentLoad(Object pid) throws IOException {
            if (!(pid instanceof List<?> t) || t.size() < 5 || !"storage".equals(t.get(0)))
                throw new BadInputException(source, null, "unexpected persistent id " + PyObjects.describe(pid) + " (expected ('storage', type, key, location, numel))");
            if (!(t.get(1) instanceof Global g)) throw new BadInputException(source, null, "storage type " + PyObjects.describe(t.get(1)) + " is not a class name");
            if (!(t.get(4) instanceof Long n)) throw new BadInputException(source, null, "storage element count " + PyObjects.describe(t.get(4)) + " is not an integer");
            if (!(t.get(2) instanceof String key)) throw new BadInputException(source, null, "storage key " + PyObjects.describe(t.get(2)) + " is not a string");
            return new StorageId(g.name(), key, n);
        }

        @Override
        public Object reduce(Global fn, List<Object> args) throws IOException {
            switch (fn.qualified()) {
                case "torch._utils._rebuild_tensor", "torch._utils._rebuild_tensor_v2" -> {
                    return tensor(fn, args, null);
                }
                case "torch._utils._rebuild_tensor_v3" -> {
                    // (storage, offset, size, stride, requires_grad, hooks, dtype, metadata): the
                    // dtype argument says how to read an untyped storage.
                    Object dt = args.size() > 6 ? args.get(6) : null;
                    return tensor(fn, args, dt instanceof Global g ? storageTypeOf(g) : null);
                }
                case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                    if (args.isEmpty() || !(args.get(0) instanceof TensorRef)) throw new BadInputException(source, null, fn + " without a tensor argument");
                    return args.get(0);
                }
                case "collections.OrderedDict" -> {
                    Map<Object, Object> m = new LinkedHashMap<>();
                    if (!args.isEmpty() && args.get(0) instanceof List<?> pairs) {
                        for (Object p : pairs) {
                            if (p instanceof List<?> kv && kv.size() == 2) m.put(kv.get(0), kv.get(1));
                        }
                    }
                    return m;
                }
                default -> {
                    return new PyObject(fn, args);
                }
            }
        }

        private TensorRef tensor(Global fn, List<Object> args, String dtypeStorage) throws IOException {
            if (args.size() < 4 || !(args.get(0) instanceof StorageId s))
                throw new BadInputException(source, null, fn + " called without (storage, offset, size, stride)");
            long offset = asLong(args.get(1), fn, "offset");
            List<?> size = asList(args.get(2), fn, "size"), stride = asList(args.get(3), fn, "stride");
            if (size.size() != stride.size()) throw new BadInputException(source, null, fn + " with size " + PyObjects.describe(size) + " and stride " + PyObjects.describe(stride) + " of different ranks");
            int[] sz = new int[size.size()];
            long[] st = new long[size.size()];
            for (int i = 0; i < sz.length; i++) {
                long d = asLong(size.get(i), fn, "size");
                if (d < 0 || d > Integer.MAX_VALUE) throw new BadInputException(source, null, fn + " with size " + PyObjects.describe(size) + " out of range");
                sz[i] = (int) d;
                st[i] = asLong(stride.get(i), fn, "stride");
                if (st[i] < 0) throw new BadInputException(source, null, fn + " with negative stride " + PyObjects.describe(stride));
            }
            String type = dtypeStorage != null && s.type().equals("UntypedStorage") ? dtypeStorage : s.type();
            long numel = s.numel();
            if (dtypeStorage != null && s.type().equals("UntypedStorage")) {
                numel = s.numel() / StorageReader.elementSize(type, source, s.key());
            }
            TensorRef r = new TensorRef(s.key(), type, numel, offset, sz, st);
            if (r.extent() > numel) throw new BadInputException(source, null, "tensor view " + r + " reaches past the end of its storage of " + numel + " elements");
            return r;
        }

        private long asLong(Object o, Global fn, String what) throws IOException {
            if (o instanceof Long l) return l;
            throw new BadInputException(source, null, fn + " " + what + " is " + Unpickler.typeName(o) + ", not an integer");
        }

        private List<?> asList(Object o, Global fn, String what) throws IOException {
            if (o instanceof List<?> l) return l;
            throw new BadInputException(source, null, fn + " " + what + " is " + Unpickler.typeName(o) + ", not a tuple");
        }

        private static String storageTypeOf(Global dtype) {
            return switch (dtype.name()) {
                case "float32", "float" -> "FloatStorage";
                case "float16", "half" -> "HalfStorage";
                case "bfloat16" -> "BFloat16Storage";
                case "float64", "double" -> "DoubleStorage";
                case "int64", "long" -> "LongStorage";
                case "int32", "int" -> "IntStorage";
                default -> dtype.name() + " (dtype)";
            };
        }
    }
}
