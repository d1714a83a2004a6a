package clipcl.continual.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clipcl.clip.eval.Ranking;
import clipcl.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** UT accuracy (Evaluator.accuracy) against the zero-shot ranks, on ties, subsets and NaN. */
class EvaluatorAccuracyTest {
    @Test
    void tiesCountForTheTruthAsTheZeroShotRanksDo() {
        // four test images, each its own class; classes 0 and 1 share a caption (identical text features: tied scores)
        float[] sim = {
            0.9f, 0.9f, 0.1f, 0.0f,   // image 0: tied between its caption and image 1's identical one
            0.8f, 0.8f, 0.2f, 0.1f,   // image 1: the same tie, its own class the higher index
            0.1f, 0.0f, 0.3f, 0.5f,   // image 2: class 3 above its own
            0.0f, 0.1f, 0.2f, 0.6f};  // image 3: right
        int[] labels = {0, 1, 2, 3};
        double zs = Ranking.topKAccuracy(Tensor.of(sim, 4, 4), labels, 1);
        assertEquals(0.75, zs, 1e-12);
        assertEquals(zs, Evaluator.accuracy(sim, 4, labels, null, null), 1e-12);
        // over items of classes {1, 2} only, among every class: image 1 right, image 2 wrong
        assertEquals(0.5, Evaluator.accuracy(sim, 4, labels, new int[] {1, 2}, null), 1e-12);
        // task-aware: among classes {2} alone image 2 is right
        assertEquals(1.0, Evaluator.accuracy(sim, 4, labels, new int[] {2}, new int[] {2}), 1e-12);
        // a truth outside the allowed classes is never right
        assertEquals(0.0, Evaluator.accuracy(sim, 4, labels, new int[] {3}, new int[] {2}), 1e-12);
    }

    @Test
    void nanScoresAreWrongAndNoItemsIsNaN() {
        float nan = Float.NaN;
        float[] sim = {nan, nan, nan, nan};
        assertEquals(0.0, Evaluator.accuracy(sim, 2, new int[] {0, 1}, null, null), 1e-12);
        assertEquals(Double.NaN, Evaluator.accuracy(sim, 2, new int[] {0, 1}, new int[] {}, null));
    }
}
