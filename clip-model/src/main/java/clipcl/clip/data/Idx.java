package clipcl.clip.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The IDX format of MNIST and Fashion-MNIST (big-endian header, unsigned bytes), gzipped or not. */
public final class Idx {
    private Idx() { }

    /** A parsed IDX file of unsigned bytes: dims and data in row-major order. */
    public record Array(int[] dims, byte[] data) {
        public int count() { return dims[0]; }

        /** Elements per item (e.g. 28*28 for images, 1 for labels). */
        public int itemSize() {
            int n = 1;
            for (int i = 1; i < dims.length; i++) n *= dims[i];
            return n;
        }

        public int unsigned(int i) { return data[i] & 0xff; }
    }

    public static Array read(Path file) throws IOException {
        byte[] raw;
        try (InputStream in = open(file)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            raw = out.toByteArray();
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": corrupt gzip data: " + e.getMessage());
        }
        if (raw.length < 4) throw new IOException(file + ": not an IDX file (too short)");
        ByteBuffer b = ByteBuffer.wrap(raw);
        int magic = b.getInt();
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != 0x08) {
            throw new IOException(file + ": not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int rank = magic & 0xff;
        if (rank < 1 || rank > 4 || raw.length < 4 + 4 * rank) throw new IOException(file + ": bad IDX header (rank " + rank + ")");
        int[] dims = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = b.getInt();
            n *= dims[i];
        }
        int start = 4 + 4 * rank;
        if (raw.length - start < n) throw new IOException(file + ": truncated IDX data: header promises " + n + " bytes, file has " + (raw.length - start));
        byte[] data = java.util.Arrays.copyOfRange(raw, start, (int) (start + n));
        return new Array(dims, data);
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) return new GZIPInputStream(in, 1 << 16);
        return in;
    }
}
