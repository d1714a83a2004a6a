package clipcl.tools;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** `clipcl continual` with paper B's methods: options and buffers are checked before any data is touched. */
class ContinualCommandPaperBTest {
    private static String fails(String... args) {
        return assertThrows(UsageException.class, () -> Cli.call(new ContinualCommand(), args)).getMessage();
    }

    @Test
    void methodOptionsAndBuffersAreChecked() {
        String m = fails("--method", "mod-x:beta=1", "--protocol", "stream", "--output-dir", "x");
        assertTrue(m.contains("beta") && m.contains("alpha"), m);
        m = fails("--method", "clip-ct", "--protocol", "stream", "--buffer", "100", "--output-dir", "x");
        assertTrue(m.contains("--buffer") && m.contains("mod-x"), m);
        m = fails("--method", "mod-x", "--protocol", "stream", "--buffer", "-1", "--output-dir", "x");
        assertTrue(m.contains("--buffer"), m);
        m = fails("--method", "ewc:lambda=x", "--protocol", "stream", "--output-dir", "x");
        assertTrue(m.contains("lambda"), m);
        m = fails("--method", "modx", "--protocol", "stream", "--output-dir", "x");
        assertTrue(m.contains("mod-x"), m);
    }
}
