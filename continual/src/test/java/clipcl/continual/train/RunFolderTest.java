package clipcl.continual.train;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
    @Test
    void aFolderWithACheckpointIsRefusedWithoutResume(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        assertFalse(RunFolder.open(run, false).resuming()); // new folder: fine
        Files.createDirectories(run.resolve("checkpoint"));
        Files.writeString(run.resolve("checkpoint/trainer.json"), "{}");
        IOException e = assertThrows(IOException.class, () -> RunFolder.open(run, false));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        assertTrue(RunFolder.open(run, true).resuming());
    }

    @Test
    void anythingElseInTheFolderIsNeverOverwritten(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        Files.writeString(run.resolve("notes.txt"), "mine");
        assertThrows(IOException.class, () -> RunFolder.open(run, false));
        assertFalse(RunFolder.open(run, true).resuming()); // killed before the first checkpoint: starts over
        Files.writeString(run.resolve("metrics.json"), "{}");
        assertThrows(IOException.class, () -> RunFolder.open(run, true)); // a finished run without a checkpoint
        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        assertThrows(IOException.class, () -> RunFolder.open(file, false));
    }
}
