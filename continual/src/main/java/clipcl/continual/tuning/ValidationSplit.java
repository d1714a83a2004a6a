package clipcl.continual.tuning;

import clipcl.continual.data.Benchmark;
import clipcl.continual.data.LabeledImages;

/**
 * A validation split carved from a training split, never from a test split. Fixed rule, no random
 * draw, so every run and machine carves the same split: within each class, in item order, the k-th
 * item of the class (k = 0, 1, ...) goes to validation when {@code k % 5 == 4}, to the fitting part
 * otherwise (80/20, stratified by class; the same form as the digits' train/test rule).
 *
 * @param fit        the items training may use (the training split less the validation items)
 * @param validation the held-out items, measured in place of the test split while choosing settings
 */
public record ValidationSplit(LabeledImages fit, LabeledImages validation) {
    /** One item in EVERY of each class is held out. */
    public static final int EVERY = 5;
    public static final String RULE = "within each class, in item order, the k-th item is validation when k % 5 == 4 (80/20)";

    public static ValidationSplit of(LabeledImages train) {
        int[] seen = new int[train.numClasses()];
        boolean[] held = new boolean[train.count()];
        int nv = 0;
        for (int i = 0; i < train.count(); i++) {
            int c = train.labels()[i];
            held[i] = seen[c]++ % EVERY == EVERY - 1;
            if (held[i]) nv++;
        }
        if (nv == 0) throw new IllegalArgumentException(train.name() + ": too few items to hold out a validation split (" + train.count() + ")");
        int[] fit = new int[train.count() - nv], val = new int[nv];
        int f = 0, v = 0;
        for (int i = 0; i < train.count(); i++) {
            if (held[i]) val[v++] = i;
            else fit[f++] = i;
        }
        return new ValidationSplit(train.subset(fit, train.name() + "/fit"), train.subset(val, train.name() + "/validation"));
    }

    /**
     * The benchmark a setting is chosen on: both data sets' training splits cut by the rule, the fitting
     * parts in place of the training splits and the validation parts in place of the test splits. The
     * vocabulary, captions and CLIP_0 are the benchmark's. CLIP_0 was trained on every Fashion-MNIST
     * training image, so the Fashion validation items are images it saw: zero-shot there measures how
     * much of what CLIP_0 learned a setting keeps, the same for every setting compared.
     */
    public static Benchmark benchmark(Benchmark b) {
        ValidationSplit f = of(b.fashionTrain()), d = of(b.digitsTrain());
        return new Benchmark(f.fit(), f.validation(), d.fit(), d.validation(), b.fashionCaptions(), b.digitCaptions(), b.tokenizer());
    }
}
