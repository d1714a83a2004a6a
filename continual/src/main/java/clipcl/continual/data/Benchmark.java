package clipcl.continual.data;

import clipcl.clip.demo.WordTokenizer;
import clipcl.continual.train.Tokens;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The data of a study. The embedded benchmark: Fashion-MNIST (the old ability, CLIP_0's training data)
 * and MNIST digits (the new task), their caption templates, and one word tokenizer whose vocabulary
 * covers both data sets' captions and prompts from the start (as CLIP's BPE covers words it never
 * trained on), so the text tower's shape never changes between phases.
 *
 * <p>User data ({@link #userData}) fills the same roles: the {@code fashion*} parts hold the zero-shot
 * set (the old ability; no training split, so {@code fashionTrain} is null), the {@code digits*} parts
 * the updated task (e.g. COCO object crops), both captioned by one prompt template, and
 * {@code tokenizer} is null: the text goes through {@code tokens} (OpenAI's BPE).
 *
 * <p>Image-caption data (paper B's Karpathy-format streams, {@link KarpathyStream}) fills them too: each
 * image its own "class" whose name is its caption, a template "{}" that gives the caption back, and
 * the test sets' own captions ({@code fashionTestCaptions}, {@code digitsTestCaptions}: Karpathy's five
 * an image), which retrieval then scores instead of template captions.
 *
 * @param tokens the tokenizer every text goes through (the word tokenizer's for the embedded benchmark)
 * @param fashionTestCaptions the old test set's captions per image, or null (template captions)
 * @param digitsTestCaptions  the new test set's captions per image, or null (template captions)
 * @param captioned           a further image-caption test set scored by retrieval after every session, or null
 *                            (paper A's COCO Karpathy 5K test images with their five captions each, TR@1 / IR@1)
 */
public record Benchmark(LabeledImages fashionTrain, LabeledImages fashionTest, LabeledImages digitsTrain, LabeledImages digitsTest,
                        CaptionTemplates fashionCaptions, CaptionTemplates digitCaptions, WordTokenizer tokenizer, Tokens tokens,
                        List<List<String>> fashionTestCaptions, List<List<String>> digitsTestCaptions, Captioned captioned) {

    /** Images with their own captions (several an image), for retrieval. */
    public record Captioned(LabeledImages images, List<List<String>> captions) {
        public Captioned {
            if (captions.size() != images.count()) throw new IllegalArgumentException(images.name() + ": " + captions.size() + " caption lists for " + images.count() + " images");
            for (int i = 0; i < captions.size(); i++) {
                if (captions.get(i).isEmpty()) throw new IllegalArgumentException(images.name() + ": image " + i + " has no caption");
            }
        }
    }

    /** Without a further captioned test set. */
    public Benchmark(LabeledImages fashionTrain, LabeledImages fashionTest, LabeledImages digitsTrain, LabeledImages digitsTest,
                     CaptionTemplates fashionCaptions, CaptionTemplates digitCaptions, WordTokenizer tokenizer, Tokens tokens,
                     List<List<String>> fashionTestCaptions, List<List<String>> digitsTestCaptions) {
        this(fashionTrain, fashionTest, digitsTrain, digitsTest, fashionCaptions, digitCaptions, tokenizer, tokens, fashionTestCaptions, digitsTestCaptions, null);
    }

    /** This benchmark with a captioned test set scored by retrieval. */
    public Benchmark withCaptioned(Captioned c) {
        return new Benchmark(fashionTrain, fashionTest, digitsTrain, digitsTest, fashionCaptions, digitCaptions, tokenizer, tokens, fashionTestCaptions, digitsTestCaptions, c);
    }

    public Benchmark {
        if (fashionTestCaptions != null && fashionTestCaptions.size() != fashionTest.count()) {
            throw new IllegalArgumentException(fashionTest.name() + ": " + fashionTestCaptions.size() + " caption lists for " + fashionTest.count() + " images");
        }
        if (digitsTestCaptions != null && digitsTestCaptions.size() != digitsTest.count()) {
            throw new IllegalArgumentException(digitsTest.name() + ": " + digitsTestCaptions.size() + " caption lists for " + digitsTest.count() + " images");
        }
    }

    /** Class-labelled data: retrieval on template captions. */
    public Benchmark(LabeledImages fashionTrain, LabeledImages fashionTest, LabeledImages digitsTrain, LabeledImages digitsTest,
                     CaptionTemplates fashionCaptions, CaptionTemplates digitCaptions, WordTokenizer tokenizer, Tokens tokens) {
        this(fashionTrain, fashionTest, digitsTrain, digitsTest, fashionCaptions, digitCaptions, tokenizer, tokens, null, null);
    }

    /** The embedded benchmark's form: texts through its word tokenizer. */
    public Benchmark(LabeledImages fashionTrain, LabeledImages fashionTest, LabeledImages digitsTrain, LabeledImages digitsTest,
                     CaptionTemplates fashionCaptions, CaptionTemplates digitCaptions, WordTokenizer tokenizer) {
        this(fashionTrain, fashionTest, digitsTrain, digitsTest, fashionCaptions, digitCaptions, tokenizer, Tokens.of(tokenizer));
    }

    public static Benchmark load(Path fashionDir, Path digitsCache) throws IOException {
        MnistDigits.Splits d = MnistDigits.load(digitsCache);
        return of(Fashion.train(fashionDir), Fashion.test(fashionDir), d.train(), d.test());
    }

    public static Benchmark of(LabeledImages fashionTrain, LabeledImages fashionTest, LabeledImages digitsTrain, LabeledImages digitsTest) {
        CaptionTemplates f = CaptionTemplates.fashion(), g = CaptionTemplates.digits();
        return new Benchmark(fashionTrain, fashionTest, digitsTrain, digitsTest, f, g, tokenizer(f, g, fashionTrain.classNames(), digitsTrain.classNames()));
    }

    /**
     * User data: the updated task's training and test sets, the zero-shot test set, one prompt
     * template for both (training captions and zero-shot prompts alike, as paper A trains on its
     * prompt), and the model's tokenizer.
     */
    public static Benchmark userData(LabeledImages updatedTrain, LabeledImages updatedTest, LabeledImages zeroShotTest, String prompt, Tokens tokens) {
        if (!updatedTrain.classNames().equals(updatedTest.classNames())) {
            throw new IllegalArgumentException(updatedTrain.name() + " and " + updatedTest.name() + " have different classes: "
                    + updatedTrain.classNames().size() + " vs " + updatedTest.classNames().size());
        }
        CaptionTemplates t = new CaptionTemplates(List.of(prompt), prompt);
        return new Benchmark(null, zeroShotTest, updatedTrain, updatedTest, t, t, null, tokens);
    }

    /**
     * The embedded benchmark with captions that vary per image: every training and retrieval caption
     * of both sets gets the words that describe its image ({@link ImageWords}, cut on both training
     * sets alike, so old and new data share them) before the class name, and the vocabulary grows by
     * them; prompts stay the classes'.
     */
    public Benchmark withImageWords() {
        if (!embedded() || fashionTrain == null) throw new IllegalArgumentException("image words describe the embedded benchmark's images (Fashion-MNIST -> digits) only");
        ImageWords w = ImageWords.fit(fashionTrain, digitsTrain);
        CaptionTemplates f = fashionCaptions.withWords(w), g = digitCaptions.withWords(w);
        return new Benchmark(fashionTrain, fashionTest, digitsTrain, digitsTest, f, g, tokenizer(f, g, fashionTrain.classNames(), digitsTrain.classNames()));
    }

    /** Whether this is the embedded Fashion-MNIST -> digits benchmark (its word tokenizer), not user data. */
    public boolean embedded() { return tokenizer != null; }

    /** Vocabulary: Fashion's words first (in the demo's order), then the digits' new words. */
    static WordTokenizer tokenizer(CaptionTemplates f, CaptionTemplates g, List<String> fashionClasses, List<String> digitClasses) {
        List<String> corpus = new ArrayList<>(f.corpus(fashionClasses));
        corpus.addAll(g.corpus(digitClasses));
        return new WordTokenizer(corpus, WordTokenizer.contextFor(corpus));
    }
}
