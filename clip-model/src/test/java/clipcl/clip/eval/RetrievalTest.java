package clipcl.clip.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import clipcl.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetrievalTest {
    // Three images on the axes; captions 0,1 -> image 0, caption 2 -> image 1, caption 3 -> image 2.
    private final Tensor images = Tensor.of(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3);

    @Test
    void perfectMatchesGiveFullRecall() {
        Tensor texts = Tensor.of(new float[] {2, 0, 0, 1, 0.1f, 0, 0, 3, 0, 0, 0, 1}, 4, 3);
        Retrieval.Result r = Retrieval.evaluate(images, texts, new int[] {0, 0, 1, 2});
        assertEquals(100.0, r.get("i2t_R@1"), 1e-9);
        assertEquals(100.0, r.get("t2i_R@1"), 1e-9);
        assertEquals(1.0, r.get("t2i_mean_rank"), 1e-9);
    }

    @Test
    void handComputedRanks() {
        // caption 2 (of image 1) points at image 2 instead: image 1's only caption ranks second for it.
        Tensor texts = Tensor.of(new float[] {1, 0, 0, 1, 0, 0, 0, 0.5f, 1, 0, 0, 1}, 4, 3);
        Retrieval.Result r = Retrieval.evaluate(images, texts, new int[] {0, 0, 1, 2});
        // i2t: image 0 rank 0, image 1: caption 2 scores 0.447 for image 1; others 0 -> rank 0; image 2: caption 3 = 1, caption 2 = 0.894 -> rank 0
        assertEquals(100.0, r.get("i2t_R@1"), 1e-9);
        // t2i: caption 2 prefers image 2 (0.894 > 0.447) -> rank 1: 3 of 4 at R@1
        assertEquals(75.0, r.get("t2i_R@1"), 1e-9);
        assertEquals(100.0, r.get("t2i_R@5"), 1e-9);
        assertEquals(1.25, r.get("t2i_mean_rank"), 1e-9);
    }

    @Test
    void foldsAverageIndependentBlocks() {
        Tensor img = Tensor.of(new float[] {1, 0, 0, 1, 1, 0, 0, 1}, 4, 2);
        Tensor txt = Tensor.of(new float[] {1, 0, 0, 1, 1, 0, 0, 1}, 4, 2);
        // Over all 4, duplicates tie; ties favour the truth so recall stays perfect, per fold too.
        assertEquals(100.0, Retrieval.evaluateFolds(img, txt, new int[] {0, 1, 2, 3}, 2).get("i2t_R@1"), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> Retrieval.evaluateFolds(img, txt, new int[] {0, 1, 2, 3}, 3));
    }

    @Test
    void nanScoresAreNeverFound() {
        // a diverged model: every similarity NaN; "nothing scores above the truth" must not read as a hit
        Tensor nanImages = Tensor.of(new float[] {Float.NaN, 0, 0, 0, 1, 0, 0, 0, 1}, 3, 3);
        Tensor texts = Tensor.of(new float[] {1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, 4, 3);
        Retrieval.Result r = Retrieval.evaluate(nanImages, texts, new int[] {0, 0, 1, 2});
        assertEquals(200.0 / 3, r.get("i2t_R@1"), 1e-9);                   // image 0 lost, images 1 and 2 found
        assertEquals(50.0, r.get("t2i_R@1"), 1e-9);                         // captions 0 and 1 lost
        Tensor allNan = Tensor.of(new float[] {Float.NaN, Float.NaN, Float.NaN, Float.NaN}, 2, 2);
        assertEquals(0.0, Retrieval.evaluate(allNan, allNan, new int[] {0, 1}).get("i2t_R@1"), 1e-9);   // ranked last, behind every caption
        // classification: a NaN truth misses; a finite truth beside NaN columns still ranks first
        Tensor scores = Tensor.of(new float[] {Float.NaN, Float.NaN, 0.5f, Float.NaN}, 2, 2);
        assertEquals(0.5, Ranking.topKAccuracy(scores, new int[] {0, 0}, 1), 1e-9);
        assertEquals(0.0, Ranking.topKAccuracy(scores, new int[] {0, 1}, 1), 1e-9);
    }

    @Test
    void zeroShotEnsemblesTemplates() {
        // A fake text encoder: the class word decides the direction, the template adds a shared offset.
        ZeroShotClassifier z = ZeroShotClassifier.build(prompts -> {
            float[] v = new float[prompts.size() * 2];
            for (int i = 0; i < prompts.size(); i++) {
                boolean cat = prompts.get(i).contains("cat");
                boolean photo = prompts.get(i).startsWith("a photo");
                v[2 * i] = (cat ? 1 : 0) + (photo ? 0.1f : 0);
                v[2 * i + 1] = (cat ? 0 : 1) + (photo ? 0 : 0.1f);
            }
            return Tensor.of(v, prompts.size(), 2);
        }, List.of("cat", "dog"), List.of("a photo of a {}.", "a drawing of a {}."));
        double[] w = z.weights().toDoubleArray();
        assertEquals(1.0, w[0] * w[0] + w[1] * w[1], 1e-6);
        Tensor imgs = Tensor.of(new float[] {0.9f, 0.2f, 0.1f, 0.8f, 0.7f, 0.6f}, 3, 2);
        assertEquals(2.0 / 3, z.topK(imgs, new int[] {0, 1, 1}, 1), 1e-9);
        assertEquals(1.0, z.topK(imgs, new int[] {0, 1, 1}, 2), 1e-9);
    }
}
