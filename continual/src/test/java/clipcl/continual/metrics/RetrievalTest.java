package clipcl.continual.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RetrievalTest {
    private static final double EPS = 1e-12;
    // 3 images, 4 texts; texts 0 and 1 belong to image 0.
    private static final int[] OWNER = {0, 0, 1, 2};
    private static final double[][] SIM = {
            {0.9, 0.1, 0.5, 0.2},
            {0.8, 0.3, 0.4, 0.6},
            {0.1, 0.7, 0.2, 0.7}};

    @Test
    void imageToTextRanksTheBestOwnText() {
        // image 0: own best 0.9, nothing higher; image 1: own 0.4 < 0.8, 0.6; image 2: own 0.7 ties 0.7 (counts as a hit).
        int[] r = Retrieval.imageToTextRanks(SIM, OWNER);
        assertArrayEquals(new int[] {0, 2, 0}, r);
        assertEquals(2.0 / 3, Retrieval.recallAt(r, 1), EPS);
        assertEquals(2.0 / 3, Retrieval.recallAt(r, 2), EPS);
        assertEquals(1.0, Retrieval.recallAt(r, 3), EPS);
    }

    @Test
    void textToImageRanksTheOwnImage() {
        int[] r = Retrieval.textToImageRanks(SIM, OWNER);
        assertArrayEquals(new int[] {0, 2, 1, 0}, r);
        assertEquals(0.5, Retrieval.recallAt(r, 1), EPS);
        assertEquals(0.75, Retrieval.recallAt(r, 2), EPS);
        assertEquals(1.75, Retrieval.meanRank(r), EPS);
        assertEquals(1.5, Retrieval.medianRank(r), EPS);
        assertEquals(3.0, Retrieval.medianRank(new int[] {5, 2, 0}), EPS);
    }

    @Test
    void topKAccuracy() {
        double[][] logits = {{3, 1, 2}, {0, 1, 5}, {1, 1, 0}};
        int[] labels = {0, 1, 1};
        // item 0 rank 0; item 1 rank 1; item 2 ties with class 0 -> rank 0.
        assertEquals(2.0 / 3, Retrieval.topK(logits, labels, 1), EPS);
        assertEquals(1.0, Retrieval.topK(logits, labels, 2), EPS);
    }

    @Test
    void badShapesAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> Retrieval.textToImageRanks(SIM, new int[] {0, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> Retrieval.textToImageRanks(SIM, new int[] {0, 0, 1, 3}));
        assertThrows(IllegalArgumentException.class, () -> Retrieval.imageToTextRanks(SIM, new int[] {0, 0, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> Retrieval.rows(new float[5], 2, 3));
        assertArrayEquals(new double[] {4, 5, 6}, Retrieval.rows(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)[1], EPS);
    }
}
