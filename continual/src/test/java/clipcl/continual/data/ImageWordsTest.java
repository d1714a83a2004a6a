package clipcl.continual.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.clip.demo.WordTokenizer;
import clipcl.continual.Fixtures;
import clipcl.tensor.Rng;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageWordsTest {
    /** One 28x28 image: value v (0..255) on the pixels where ink says so. */
    static LabeledImages image(int v, java.util.function.BiPredicate<Integer, Integer> ink) {
        byte[] px = new byte[28 * 28];
        for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) if (ink.test(x, y)) px[y * 28 + x] = (byte) v;
        return new LabeledImages("one", px, new int[] {0}, 1, 28, List.of("thing"));
    }

    @Test
    void propertiesOfDrawnShapesAreTheirDefinitions() {
        // a 6 wide, 12 high rectangle at value 204 (0.8): 72 ink pixels, no lean, width / height 0.5
        double[] r = ImageWords.properties(image(204, (x, y) -> x >= 4 && x < 10 && y >= 3 && y < 15), 0);
        assertArrayEquals(new double[] {72 / 784.0, 0.8, 0, 0.5}, r, 1e-12);
        // a faint rectangle (value 0.2) is no ink: size 0, tone 0, shape 1 by definition; its lean is still measured (none)
        assertArrayEquals(new double[] {0, 0, 0, 1}, ImageWords.properties(image(51, (x, y) -> x >= 4 && x < 10 && y >= 3 && y < 15), 0), 1e-12);
        // a stroke from bottom-left to top-right ("/": x grows as y falls) leans right, its mirror ("\\") left, by the same amount
        double right = ImageWords.properties(image(255, (x, y) -> Math.abs(x - (27 - y)) <= 1), 0)[2];
        double left = ImageWords.properties(image(255, (x, y) -> Math.abs(x - y) <= 1), 0)[2];
        assertTrue(right > 0.9, "/ leans right: " + right);
        assertEquals(-right, left, 1e-12);
        // the slant is -mu_xy / mu_yy: for the line x = 27 - y exactly (one pixel wide) it is 1
        assertEquals(1.0, ImageWords.properties(image(255, (x, y) -> x == 27 - y), 0)[2], 1e-12);
    }

    @Test
    void theCutsSplitTwoSetsWeightedAlikeIntoThirds() {
        // a: values 0..5 (6 items), b: 100..102 (3 items): each b item weighs twice an a item
        double[] a = {0, 1, 2, 3, 4, 5}, b = {100, 101, 102};
        // cumulative weight: a items 1/12 each (0.5 in all), b items 1/6 each: 1/3 is reached at a's 4th value (3), 2/3 at b's first (100)
        assertEquals(3.0, ImageWords.quantile(a, b, 1.0 / 3));
        assertEquals(100.0, ImageWords.quantile(a, b, 2.0 / 3));
        assertEquals(102.0, ImageWords.quantile(a, b, 1.0));
    }

    /** n images of sheared rectangles of random size (up to max px a side), value and lean. */
    static LabeledImages shapes(String name, int n, int max, long seed) {
        Rng r = new Rng(seed);
        byte[] px = new byte[n * 784];
        for (int i = 0; i < n; i++) {
            int w = 3 + r.nextInt(max - 2), h = 3 + r.nextInt(max - 2), v = 80 + r.nextInt(176);
            double shear = (r.nextInt(101) - 50) / 100.0;
            for (int y = 0; y < h; y++) {
                int x0 = (int) Math.round(14 - w / 2.0 + shear * (h / 2.0 - y));
                for (int x = Math.max(0, x0); x < Math.min(28, x0 + w); x++) px[i * 784 + (14 - h / 2 + y) * 28 + x] = (byte) v;
            }
        }
        return new LabeledImages(name, px, new int[n], n, 28, List.of("shape"));
    }

    @Test
    void fittedOnTwoSetsEachWordHasAboutAThirdOfTheirImages() {
        LabeledImages big = shapes("big", 300, 20, 1), small = shapes("small", 300, 12, 2);
        ImageWords w = ImageWords.fit(big, small);
        int[][] count = new int[4][3];
        for (LabeledImages set : List.of(big, small)) {
            for (int i = 0; i < set.count(); i++) {
                String[] words = w.describe(set, i).split(" ");
                assertEquals(4, words.length);
                for (int p = 0; p < 4; p++) count[p][ImageWords.WORDS.get(p).indexOf(words[p])]++;
            }
        }
        int n = 600;
        for (int p = 0; p < 4; p++) {
            for (int k = 0; k < 3; k++) assertTrue(count[p][k] >= n / 6, ImageWords.PROPERTIES.get(p) + " " + java.util.Arrays.toString(count[p]));
        }
        assertThrows(IllegalArgumentException.class, () -> new ImageWords(List.of(List.of(1.0, 0.0), List.of(0.0, 1.0), List.of(0.0, 1.0), List.of(0.0, 1.0))));
    }

    @Test
    void perImageCaptionsDrawTheTemplateAsClassCaptionsDo() {
        Benchmark b = Fixtures.benchmark();
        Benchmark pi = b.withImageWords();
        LabeledImages d = pi.digitsTrain();
        Rng r1 = new Rng(5), r2 = new Rng(5);
        Set<String> distinct = new HashSet<>();
        for (int i = 0; i < d.count(); i++) {
            String plain = b.digitCaptions().caption(d, i, r1), described = pi.digitCaptions().caption(d, i, r2);
            assertEquals(b.digitCaptions().caption(d.classNames().get(d.labels()[i]), new Rng(9)), b.digitCaptions().caption(d, i, new Rng(9)));
            // the same template, the image's words before the class name
            String words = pi.digitCaptions().words().describe(d, i);
            assertEquals(plain.replace(d.classNames().get(d.labels()[i]), words + " " + d.classNames().get(d.labels()[i])), described);
            distinct.add(words + d.labels()[i]);
        }
        assertTrue(distinct.size() > 10, "captions vary within a class: " + distinct.size() + " distinct over " + d.count() + " items");
        // prompts stay the classes'; both sets share the words; the vocabulary holds every caption's words
        assertEquals(b.digitCaptions().prompt("digit one"), pi.digitCaptions().prompt("digit one"));
        assertEquals(pi.fashionCaptions().words(), pi.digitCaptions().words());
        // zero-shot prompts are ensembled over every description, as the captions speak; class captions keep the one prompt
        List<String> ev = pi.digitCaptions().evalTemplates();
        assertEquals(81, ev.size());
        assertEquals(81, new HashSet<>(ev).size());
        assertEquals("a photo of the little pale leftward narrow {}.", ev.get(0));
        assertEquals("a photo of the big dark rightward wide {}.", ev.get(80));
        assertEquals(List.of("a photo of the {}."), b.digitCaptions().evalTemplates());
        WordTokenizer tok = pi.tokenizer();
        List<String> caps = new ArrayList<>();
        for (int i = 0; i < d.count(); i++) caps.add(pi.digitCaptions().caption(d, i, r1));
        for (int i = 0; i < pi.fashionTest().count(); i++) caps.add(pi.fashionCaptions().caption(pi.fashionTest(), i, r1));
        int[] ids = tok.encodeAll(caps);   // a caption longer than the context would throw
        for (int id : ids) assertNotEquals(1, id, "no caption word is unknown");
        assertTrue(tok.vocabSize() > b.tokenizer().vocabSize());
        assertEquals(b.tokenizer().contextLength() + 4, tok.contextLength());   // four words more at most
    }
}
