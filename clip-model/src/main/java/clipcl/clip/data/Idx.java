package clipcl.clip.data;

import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.InputLimits;
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

    /**
     * Reads an IDX file. The header is checked before any data is read: dimensions must be
     * non-negative and hold at most {@link InputLimits#IDX_MAX_ELEMENTS} elements in all, and the
     * file must hold exactly that many bytes after it, so neither a lying count nor a gzip bomb can
     * make it allocate more than the header honestly promises.
     */
    public static Array read(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new IOException(file + ": is a folder, not an IDX file");
        try (InputStream in = open(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": no such file");
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new BadInputException(file.toString(), null, "corrupt gzip data: " + e.getMessage());
        }
    }

    /** Reads IDX data from a stream; source names it in errors. */
    public static Array read(InputStream in, String source) throws IOException {
        byte[] head = in.readNBytes(4);
        if (head.length < 4) throw new BadInputException(source, null, "not an IDX file (too short)");
        int magic = ByteBuffer.wrap(head).getInt();
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != 0x08) {
            throw new BadInputException(source, "magic", "not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int rank = magic & 0xff;
        if (rank < 1 || rank > 4) throw new BadInputException(source, "rank", rank + " dimensions (1 to 4 are read)");
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) throw new BadInputException(source, "dims", "truncated header: " + rank + " dimensions announced");
        ByteBuffer b = ByteBuffer.wrap(dimBytes);
        int[] dims = new int[rank];
        long n = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = b.getInt();
            if (dims[i] < 0) throw new BadInputException(source, "dims[" + i + "]", "negative count " + dims[i]);
            n *= dims[i];
            if (n > InputLimits.IDX_MAX_ELEMENTS) throw new BadInputException(source, "dims", java.util.Arrays.toString(dims) + " hold more than the limit of " + InputLimits.IDX_MAX_ELEMENTS + " elements");
        }
        byte[] data = in.readNBytes((int) n);
        if (data.length < n) throw new BadInputException(source, "data", "truncated IDX data: header promises " + n + " bytes, file has " + data.length);
        if (in.read() != -1) throw new BadInputException(source, "data", "more bytes than the " + n + " the header's dims " + java.util.Arrays.toString(dims) + " promise");
        return new Array(dims, data);
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) return new GZIPInputStream(in, 1 << 16);
        return in;
    }
}
