package clipcl.continual.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.continual.Fixtures;
import clipcl.continual.data.Benchmark;
import clipcl.continual.data.ImageTensors;
import clipcl.continual.data.LabeledImages;
import clipcl.continual.data.SessionPlan;
import clipcl.continual.protocol.Protocol;
import clipcl.continual.protocol.Study;
import clipcl.continual.report.RunResult;
import clipcl.continual.train.RunFolder;
import clipcl.continual.train.SessionListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CLIP_jt trains on D0 (CLIP_0's Fashion-MNIST data) together with every phase of D by default, on D alone with d0=false. */
class ClipJtTest {
    static final Benchmark B = Fixtures.benchmark();

    @Test
    void d0IsAppendedToTheJointSessionAndTheDigitsKeepTheirIndices() {
        ClipJt jt = (ClipJt) Methods.byName("clip-jt");
        assertTrue(jt.withD0(), "the paper's definition is the default");
        LabeledImages data = jt.trainingData(B);
        int nd = B.digitsTrain().count(), nf = B.fashionTrain().count();
        assertEquals(nd + nf, data.count());
        assertEquals(20, data.numClasses());
        for (int i = 0; i < nd; i++) assertEquals(B.digitsTrain().labels()[i], data.labels()[i]);
        for (int i = 0; i < nf; i++) {
            assertEquals(B.fashionTrain().classNames().get(B.fashionTrain().labels()[i]), data.classNames().get(data.labels()[nd + i]));
            assertEquals(B.fashionTrain().pixel(i, 300), data.pixel(nd + i, 300));
        }
        SessionPlan stream = SessionPlan.stream(B.digitsTrain(), 5, 3);
        SessionPlan p = jt.plan(stream);
        assertEquals(1, p.sessions().size());
        int[] items = p.sessions().get(0).items();
        assertEquals(nd + nf, items.length);
        int[] expected = new int[nd + nf];
        for (int i = 0; i < expected.length; i++) expected[i] = i;
        int[] sorted = items.clone();
        Arrays.sort(sorted);
        assertArrayEquals(expected, sorted, "every digit item and every Fashion item once");
        assertEquals(stream.tasks().size(), p.tasks().size(), "the tasks stay the digits'");
        assertArrayEquals(stream.tasks().get(0), p.tasks().get(0));

        ClipJt without = (ClipJt) Methods.byName("clip-jt:d0=false");
        assertEquals(B.digitsTrain(), without.trainingData(B));
        assertArrayEquals(stream.joint().sessions().get(0).items(), without.plan(stream).sessions().get(0).items());
        assertThrows(IllegalArgumentException.class, () -> Methods.byName("clip-jt:d0=yes"));
    }

    @Test
    void aStudyTrainsOnBothDataSetsUnderEitherObjective(@TempDir Path dir) throws IOException {
        for (Protocol p : new Protocol[] {Protocol.STREAM, Protocol.MST}) {
            RunResult with = new Study(PaperBStudyTest.config("clip-jt", p, 0), B, Fixtures.tinyClip(B), new ImageTensors(28, false), SessionListener.NONE)
                    .run(RunFolder.open(dir.resolve("d0" + p.id()), false));
            RunResult without = new Study(PaperBStudyTest.config("clip-jt:d0=false", p, 0), B, Fixtures.tinyClip(B), new ImageTensors(28, false), SessionListener.NONE)
                    .run(RunFolder.open(dir.resolve("no" + p.id()), false));
            // batch 6, one epoch: 60 digits = 10 steps; with the 60 Fashion items, 20
            assertEquals(10, without.losses().size(), p.id());
            assertEquals(20, with.losses().size(), p.id());
            assertEquals(1, with.sessions().size());
            assertFalse(with.finalMetrics().equals(without.finalMetrics()), p.id());
        }
    }
}
