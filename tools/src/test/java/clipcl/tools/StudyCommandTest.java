package clipcl.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.continual.study.GridState;
import clipcl.continual.study.StudyGrid;
import clipcl.continual.study.StudyPreset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `clipcl study` on the command line: usage errors exit 2 before any data is touched; a folder holding a study is refused. */
class StudyCommandTest {
    private static int run(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "study";
        System.arraycopy(args, 0, all, 1, args.length);
        return Cli.run(all).code();
    }

    @Test
    void helpAndTheCommandListComeFromTheAnnotations() {
        Cli.Result help = Cli.run("study", "--help");
        assertEquals(0, help.code());
        assertTrue(help.out().contains("--quick") && help.out().contains("--rerun") && help.out().contains("25 steps under OST"), help.out());
        Cli.Result list = Cli.run("--help");
        assertTrue(list.out().contains("study") && list.out().contains("the study: every method of both papers"), list.out());
    }

    @Test
    void badArgumentsExitTwo(@TempDir Path tmp) throws Exception {
        assertEquals(2, run("--no-such-flag"));
        assertEquals(2, run("--quick"));                                         // no --output-dir
        assertEquals(2, run("--resume", "--output-dir", tmp.resolve("none").toString()));
        assertEquals(2, run("--seeds", "x", "--output-dir", tmp.resolve("a").toString()));
        assertEquals(2, run("--rerun", tmp.toString(), "--quick"));
        Files.writeString(tmp.resolve("bad.json"), "{\"methods\": [\"no-such-method\"]}");
        assertEquals(2, run("--config", tmp.resolve("bad.json").toString(), "--output-dir", tmp.resolve("b").toString()));
        Files.writeString(tmp.resolve("typo.json"), "{\"protocol\": [\"ost\"]}");
        assertEquals(2, run("--config", tmp.resolve("typo.json").toString(), "--output-dir", tmp.resolve("c").toString()));
    }

    @Test
    void aFolderHoldingAStudyIsRefusedWithoutResume(@TempDir Path tmp) throws Exception {
        new GridState(StudyGrid.standard(StudyPreset.quick(), List.of(1L))).save(tmp);
        assertEquals(2, run("--quick", "--output-dir", tmp.toString()));
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        Files.writeString(other.resolve("x"), "x");
        assertEquals(2, run("--quick", "--output-dir", other.toString()));
    }

    @Test
    void seedsAreACountOrAList() {
        assertEquals(List.of(1L, 2L, 3L), StudyCommand.parseSeeds("3", List.of()));
        assertEquals(List.of(4L, 7L), StudyCommand.parseSeeds("4,7", List.of()));
        assertEquals(List.of(1L), StudyCommand.parseSeeds(null, List.of(1L)));
        assertThrows(UsageException.class, () -> StudyCommand.parseSeeds("0", List.of()));
    }
}
