package clipcl.autograd.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules for starting a run in a checkpoint folder, so that no run is silently restarted or
 * overwritten: resuming needs a complete checkpoint (a folder with some parts but no trainer.json is
 * refused, never restarted from step 0); starting afresh in a folder that holds a checkpoint is
 * refused unless overwriting was asked for.
 */
public final class RunFolder {
    private RunFolder() { }

    /**
     * Prepares dir for a run and says whether the run resumes from it.
     *
     * @param resume    continue the checkpoint in dir
     * @param overwrite start afresh even though dir holds a checkpoint (its parts are deleted now)
     * @throws IOException naming dir and what it holds when the request cannot be honoured
     */
    public static boolean begin(Path dir, boolean resume, boolean overwrite) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IOException(dir + ": exists and is not a folder");
        if (Files.isDirectory(dir)) StagedSave.recover(dir);
        List<String> parts = parts(dir);
        if (resume) {
            if (parts.contains(Checkpoint.TRAINER)) return true;
            if (!parts.isEmpty()) {
                throw new IOException(dir + ": cannot resume: " + Checkpoint.TRAINER + " is missing next to " + parts
                        + "; refusing to restart the run over them (restore the file, or start afresh with --overwrite)");
            }
            throw new IOException(dir + ": nothing to resume (no checkpoint in this folder); start the run without --resume");
        }
        if (!parts.isEmpty()) {
            if (!overwrite) {
                throw new IOException(dir + ": holds a run's checkpoint " + parts + "; pass --resume to continue it or --overwrite to replace it");
            }
            for (String p : parts) Files.deleteIfExists(dir.resolve(p));
        }
        return false;
    }

    /** The checkpoint parts present in dir. */
    static List<String> parts(Path dir) {
        List<String> out = new ArrayList<>();
        for (String p : new String[] {Checkpoint.MODEL, Checkpoint.OPTIMIZER, Checkpoint.TRAINER}) {
            if (Files.exists(dir.resolve(p))) out.add(p);
        }
        return out;
    }
}
