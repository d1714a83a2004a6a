package clipcl.autograd.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a checkpointing run with SIGKILL at random moments (while it trains, while it writes a
 * checkpoint, while it moves one into place) and resumes it each time: the run must end with the
 * same metrics.json as a run that was never interrupted. -Dclipcl.killResume.kills=N sets the
 * number of kills (20 by default).
 */
class KillResumeTest {
    private static final int STEPS = 40;

    private static Process start(Path dir) throws IOException {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(javaBin));
        // The same module and preview flags as this JVM (the Vector API module, native access).
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.contains("jdwp") && !a.startsWith("-javaagent")) cmd.add(a);
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dclipcl.threads=1", KillableRun.class.getName(), dir.toString(), Integer.toString(STEPS)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile()).start();
    }

    private static void finish(Path dir) throws Exception {
        Process p = start(dir);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "run did not finish");
        assertEquals(0, p.exitValue(), () -> "run failed: " + log(dir));
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolveSibling(dir.getFileName() + ".log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The step of the checkpoint in a run folder, -1 before the first. */
    private static long step(Path dir) {
        Path tj = dir.resolve("checkpoint").resolve(Checkpoint.TRAINER);
        try {
            return Files.exists(tj) ? (Long) clipcl.tensor.io.Json.readObject(tj).get("step") : -1;
        } catch (IOException | RuntimeException e) {
            return -1; // replaced while being read: ask again
        }
    }

    @Test
    void everyResumeAfterASigkillEndsWithIdenticalMetrics(@TempDir Path tmp) throws Exception {
        int kills = Integer.getInteger("clipcl.killResume.kills", 20);
        Path straight = Files.createDirectories(tmp.resolve("straight")), killed = Files.createDirectories(tmp.resolve("killed"));
        long t0 = System.nanoTime();
        finish(straight);
        long runMillis = (System.nanoTime() - t0) / 1_000_000;
        String want = Files.readString(straight.resolve("metrics.json"));

        Random r = new Random(20_240_611L);
        List<String> states = new ArrayList<>();
        int done = 0;
        long stepMillis = Math.max(1, runMillis / STEPS);
        while (done < kills) {
            // Let the run make one or two steps of progress, then kill it at a random moment of the next.
            long target = step(killed) + 1 + r.nextInt(2);
            Process p = start(killed);
            while (p.isAlive() && step(killed) < target) Thread.sleep(5);
            if (!p.isAlive()) break; // finished: nothing left to interrupt
            Thread.sleep(r.nextLong(stepMillis));
            p.destroyForcibly(); // SIGKILL
            p.waitFor();
            done++;
            Path ck = killed.resolve("checkpoint");
            states.add(Files.isDirectory(StagedSave.staging(ck)) ? (Files.exists(StagedSave.staging(ck).resolve(StagedSave.COMPLETE)) ? "moving" : "writing") : "between saves");
        }
        finish(killed);
        assertEquals(want, Files.readString(killed.resolve("metrics.json")), "after " + done + " kills (" + states + ")");
        assertEquals(kills, done, "only " + done + " kills landed before the run ended: " + states);
        System.out.println("KillResumeTest: " + done + " kills; state at each kill: " + states);
    }
}
