package clipcl.clip.weights;

import clipcl.tensor.io.BadInputException;
import clipcl.tensor.HalfFloats;
import clipcl.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;

/**
 * Reads the storages behind {@link TensorRef}s from a {@link TorchArchive} into heap tensors:
 * floating point types widened to F32, integers narrowed to I32. Storage records are streamed in
 * 1 MiB chunks straight into the destination arrays (PyTorch stores them uncompressed), so the heap
 * holds the float32 result and one chunk, never the file's bytes as well. A storage shared by
 * several views is read once and released after its last view has been copied out.
 */
final class StorageReader {
    private static final int CHUNK = 1 << 20;

    private StorageReader() { }

    static int elementSize(String storageType, String source, String key) throws IOException {
        return switch (storageType) {
            case "FloatStorage", "IntStorage" -> 4;
            case "HalfStorage", "BFloat16Storage" -> 2;
            case "DoubleStorage", "LongStorage" -> 8;
            default -> throw new BadInputException(source, null, "unsupported storage type " + storageType + " (record data/" + key + ")");
        };
    }

    static boolean isFloating(String storageType) { return !storageType.equals("LongStorage") && !storageType.equals("IntStorage"); }

    /** Reads every named tensor, in the map's order. */
    static Map<String, Tensor> readAll(TorchArchive archive, Map<String, TensorRef> refs) throws IOException {
        Map<String, Integer> users = new HashMap<>();
        for (TensorRef r : refs.values()) users.merge(r.key(), 1, Integer::sum);
        Map<String, Integer> sharers = new HashMap<>(users);
        Map<String, Object> cache = new HashMap<>();
        Map<String, String> types = new HashMap<>();
        Map<String, Tensor> out = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                TensorRef r = e.getValue();
                Object storage = cache.get(r.key());
                if (storage == null) {
                    storage = readStorage(archive, r, e.getKey());
                    cache.put(r.key(), storage);
                }
                String firstType = types.putIfAbsent(r.key(), r.storageType());
                if (firstType != null && !firstType.equals(r.storageType())) {
                    throw new BadInputException(archive.file().toString(), "tensor '" + e.getKey() + "'", "storage data/" + r.key() + " is a "
                            + r.storageType() + " here and a " + firstType + " for another tensor");
                }
                int have = storage instanceof float[] f ? f.length : ((int[]) storage).length;
                if (have != r.storageNumel()) {
                    // Two tensors sharing a storage must agree on its size; a view sized from the
                    // larger one would read past the array read for the smaller.
                    throw new BadInputException(archive.file().toString(), "tensor '" + e.getKey() + "'", "storage data/" + r.key() + " is declared with "
                            + r.storageNumel() + " elements here and " + have + " by another tensor");
                }
                boolean lastUser = users.merge(r.key(), -1, Integer::sum) == 0;
                out.put(e.getKey(), view(storage, r, sharers.get(r.key()) == 1));
                if (lastUser) cache.remove(r.key());
            }
        } catch (IOException | RuntimeException ex) {
            out.values().forEach(Tensor::close);
            throw ex;
        }
        return out;
    }

    /** The whole storage as float[] (floating types) or int[] (integer types). */
    static Object readStorage(TorchArchive archive, TensorRef r, String name) throws IOException {
        String src = archive.file().toString();
        int es = elementSize(r.storageType(), src + ": tensor '" + name + "'", r.key());
        if (r.storageNumel() > Integer.MAX_VALUE - 8) throw new BadInputException(src, null, "tensor '" + name + "' has a storage of " + r.storageNumel() + " elements, more than a Java array holds");
        int n = (int) r.storageNumel();
        long bytes = (long) n * es;
        ZipEntry entry = archive.entry("data/" + r.key());
        if (entry == null) throw new BadInputException(src, null, "missing data record " + archive.prefix() + "data/" + r.key() + " for tensor '" + name + "'");
        if (entry.getSize() >= 0 && entry.getSize() < bytes)
            throw new BadInputException(src, null, "truncated data record " + archive.prefix() + "data/" + r.key() + " for tensor '" + name + "': " + entry.getSize() + " bytes, " + bytes + " needed for " + n + " elements of " + r.storageType());
        boolean floating = isFloating(r.storageType());
        float[] f = floating ? new float[n] : null;
        int[] iv = floating ? null : new int[n];
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(bytes, 8))];
        ByteBuffer bb = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        try (InputStream in = archive.stream(entry)) {
            int done = 0;
            while (done < n) {
                int count = Math.min(n - done, chunk.length / es);
                int got = in.readNBytes(chunk, 0, count * es);
                if (got != count * es)
                    throw new BadInputException(src, null, "truncated data record " + archive.prefix() + "data/" + r.key() + " for tensor '" + name + "': ended after " + ((long) done * es + got) + " of " + bytes + " bytes");
                bb.clear();
                switch (r.storageType()) {
                    case "FloatStorage" -> bb.asFloatBuffer().get(f, done, count);
                    case "HalfStorage" -> { for (int i = 0; i < count; i++) f[done + i] = Float.float16ToFloat(bb.getShort(2 * i)); }
                    case "BFloat16Storage" -> { for (int i = 0; i < count; i++) f[done + i] = HalfFloats.bf16ToFloat(bb.getShort(2 * i)); }
                    case "DoubleStorage" -> { for (int i = 0; i < count; i++) f[done + i] = (float) bb.getDouble(8 * i); }
                    case "IntStorage" -> bb.asIntBuffer().get(iv, done, count);
                    case "LongStorage" -> {
                        for (int i = 0; i < count; i++) {
                            long v = bb.getLong(8 * i);
                            if (v != (int) v) throw new BadInputException(src, null, "int64 tensor '" + name + "' holds " + v + ", outside the int32 range it is read into");
                            iv[done + i] = (int) v;
                        }
                    }
                    default -> throw new IllegalStateException(r.storageType());
                }
                done += count;
            }
        } catch (ZipException | java.io.EOFException ex) {
            // A local header or compressed stream that ends early: the archive is damaged.
            throw new BadInputException(src, null, "damaged data record " + archive.prefix() + "data/" + r.key() + " (" + ex + ")");
        }
        return floating ? f : iv;
    }

    /** The view as its own contiguous tensor; wraps the storage array itself when nothing else shares it. */
    static Tensor view(Object storage, TensorRef r, boolean sole) {
        int[] size = r.size();
        if (sole && r.coversStorage()) {
            return storage instanceof float[] f ? Tensor.of(f, size) : Tensor.of((int[]) storage, size);
        }
        int n = Math.toIntExact(r.numel());
        int[] idx = new int[size.length];
        if (storage instanceof float[] src) {
            float[] dst = new float[n];
            for (int i = 0; i < n; i++) {
                dst[i] = src[(int) position(r, idx)];
                advance(idx, size);
            }
            return Tensor.of(dst, size);
        }
        int[] src = (int[]) storage, dst = new int[n];
        for (int i = 0; i < n; i++) {
            dst[i] = src[(int) position(r, idx)];
            advance(idx, size);
        }
        return Tensor.of(dst, size);
    }

    private static long position(TensorRef r, int[] idx) {
        long p = r.offset();
        long[] st = r.stride();
        for (int d = 0; d < idx.length; d++) p += idx[d] * st[d];
        return p;
    }

    /** Row-major odometer step. */
    private static void advance(int[] idx, int[] size) {
        for (int d = idx.length - 1; d >= 0; d--) {
            if (++idx[d] < size[d]) return;
            idx[d] = 0;
        }
    }
}
