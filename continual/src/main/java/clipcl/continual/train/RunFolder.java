package clipcl.continual.train;

import clipcl.autograd.checkpoint.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A run's folder. It is never overwritten or restarted silently: a folder that holds a checkpoint
 * (or anything else) is refused unless the run is resumed. Resuming a folder without a checkpoint
 * (killed before its first one, or a several-seed folder whose seeds keep their own) continues from
 * the beginning, except where a finished run's metrics.json sits with no checkpoint beside it.
 */
public record RunFolder(Path dir, boolean resuming) {
    public static final String CHECKPOINT = "checkpoint";

    /** Opens dir for a new run (resume false) or to continue one (resume true). */
    public static RunFolder open(Path dir, boolean resume) throws IOException {
        Path ckpt = dir.resolve(CHECKPOINT);
        boolean hasCheckpoint = Checkpoint.exists(ckpt);
        if (hasCheckpoint && !resume) {
            throw new IOException(dir + " holds the checkpoint of an earlier run (" + ckpt.resolve(Checkpoint.TRAINER)
                    + "); pass --resume to continue it, or choose another --output-dir");
        }
        if (!hasCheckpoint && !empty(dir)) {
            if (!resume) throw new IOException(dir + " is not empty; choose another --output-dir (runs are never overwritten), or pass --resume to continue the run there");
            if (Files.exists(dir.resolve("metrics.json"))) {
                // a finished single-seed run keeps its checkpoint; without one there is nothing to continue
                throw new IOException(dir + " holds metrics.json but no checkpoint to resume; choose another --output-dir");
            }
        }
        Files.createDirectories(dir);
        return new RunFolder(dir, hasCheckpoint);
    }

    public Path checkpoint() { return dir.resolve(CHECKPOINT); }

    public Path resolve(String name) { return dir.resolve(name); }

    static boolean empty(Path dir) throws IOException {
        if (!Files.exists(dir)) return true;
        if (!Files.isDirectory(dir)) throw new IOException(dir + " exists and is not a folder");
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }
}
