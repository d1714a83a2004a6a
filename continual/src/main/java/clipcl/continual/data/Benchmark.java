package clipcl.continual.data;

import clipcl.clip.demo.WordTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The embedded benchmark: Fashion-MNIST (the old ability, CLIP_0's training data) and MNIST digits
 * (the new task), their caption templates, and one word tokenizer whose vocabulary covers both data
 * sets' captions and prompts from the start (as CLIP's BPE covers words it never trained on), so the
 * text tower's shape never changes between phases.
 */
public record Benchmark(LabeledImages fashionTrain, LabeledImages fashionTest, LabeledImages digitsTrain, LabeledImages digitsTest,
                        CaptionTemplates fashionCaptions, CaptionTemplates digitCaptions, WordTokenizer tokenizer) {

    public static Benchmark load(Path fashionDir, Path digitsCache) throws IOException {
        MnistDigits.Splits d = MnistDigits.load(digitsCache);
        return of(Fashion.train(fashionDir), Fashion.test(fashionDir), d.train(), d.test());
    }

    public static Benchmark of(LabeledImages fashionTrain, LabeledImages fashionTest, LabeledImages digitsTrain, LabeledImages digitsTest) {
        CaptionTemplates f = CaptionTemplates.fashion(), g = CaptionTemplates.digits();
        return new Benchmark(fashionTrain, fashionTest, digitsTrain, digitsTest, f, g, tokenizer(f, g, fashionTrain.classNames(), digitsTrain.classNames()));
    }

    /** Vocabulary: Fashion's words first (in the demo's order), then the digits' new words. */
    static WordTokenizer tokenizer(CaptionTemplates f, CaptionTemplates g, List<String> fashionClasses, List<String> digitClasses) {
        List<String> corpus = new ArrayList<>(f.corpus(fashionClasses));
        corpus.addAll(g.corpus(digitClasses));
        return new WordTokenizer(corpus, WordTokenizer.contextFor(corpus));
    }
}
