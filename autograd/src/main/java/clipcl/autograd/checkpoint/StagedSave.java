package clipcl.autograd.checkpoint;

import clipcl.tensor.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Replacing a checkpoint's files so that it is never lost. All new parts are written in full to a
 * staging folder inside the checkpoint folder and a COMPLETE marker is written after them; only then
 * are they renamed over the old parts, trainer.json last. Renames need no disk space, so a full disk
 * or a kill while writing leaves the previous checkpoint untouched (the half-written staging folder
 * is dropped on the next start), and a kill while renaming is finished on the next start from the
 * complete staging folder (rolled forward), so the parts never mix two steps.
 */
final class StagedSave {
    static final String STAGING = ".staging";
    static final String COMPLETE = "COMPLETE";

    private StagedSave() { }

    /** Called before each file operation of a save; tests replace it to inject a failure. */
    interface Fault {
        void before(String operation) throws IOException;
    }

    static volatile Fault fault = op -> { };

    static Path staging(Path dir) { return dir.resolve(STAGING); }

    /** A fresh, empty staging folder. */
    static Path begin(Path dir) throws IOException {
        Path s = staging(dir);
        AtomicFiles.deleteTree(s);
        return Files.createDirectories(s);
    }

    /** Marks the staged parts complete, then moves them into place, trainer last. */
    static void commit(Path dir, List<String> parts) throws IOException {
        Path s = staging(dir);
        syncDir(s);
        Files.write(s.resolve(COMPLETE), String.join("\n", parts).getBytes(java.nio.charset.StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW, StandardOpenOption.DSYNC);
        syncDir(s);
        rollForward(dir);
    }

    /**
     * Finishes or drops an interrupted save: a complete staging folder is moved into place, an
     * incomplete one deleted. Called before a checkpoint folder is read or written.
     */
    static void recover(Path dir) throws IOException {
        Path s = staging(dir);
        if (!Files.isDirectory(s)) return;
        if (Files.isRegularFile(s.resolve(COMPLETE))) rollForward(dir);
        else AtomicFiles.deleteTree(s);
    }

    private static void rollForward(Path dir) throws IOException {
        Path s = staging(dir);
        List<String> parts = Files.readAllLines(s.resolve(COMPLETE));
        for (String p : parts) {
            Path from = s.resolve(p);
            // Already moved before an interruption: its new version is in place.
            if (Files.isRegularFile(from)) {
                fault.before("move " + p);
                move(from, dir.resolve(p));
            }
        }
        syncDir(dir);
        AtomicFiles.deleteTree(s);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** CRC-32 of a file's bytes, as trainer.json records it for each part. */
    static long crc32(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[(int) Math.min(1 << 20, Math.max(1, Files.size(file)))];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) crc.update(buf, 0, n);
        }
        return crc.getValue();
    }

    /** Makes renames in dir durable (best effort: not every file system can sync a folder). */
    private static void syncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the data files themselves were synced; only the rename's durability is at stake
        }
    }
}
