package clipcl.continual.protocol;

import clipcl.continual.data.Benchmark;
import clipcl.continual.data.LabeledImages;
import clipcl.tensor.Rng;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What CLIP_0 trains on and what the study then learns, for a CLIP_0 that has seen {@code digits}
 * digit images: phase 0 trains on Fashion-MNIST's training images followed by those digits (captioned
 * by the digits' templates, as the stream captions them), and the study's digits training set is the
 * rest, so CLIP_0's data and the new data are disjoint (paper B's COCO and Flickr30K share vocabulary
 * and domain, and its CLIP_0 already retrieves many of the new pairs; a CLIP_0 that never saw a digit
 * word does not). With {@code digits} 0 this is the benchmark as it is.
 *
 * @param digits  how many digit images CLIP_0 saw (a multiple of the class count, the same number a class)
 * @param study   the benchmark the study runs on: the digits' training set without the held-out items
 * @param phase0  CLIP_0's training set: Fashion-MNIST's training images, then the held-out digits
 * @param heldOut the held-out items, as indices into the full digits training set, ascending
 */
public record Clip0Data(int digits, Benchmark study, LabeledImages phase0, int[] heldOut) {
    /** The command-line option that sets digits. */
    public static final String OPTION = "--clip0-digits";
    /** Seed of the permutation the held-out items come from. */
    static final long RULE_SEED = 20_240_917L;
    /** The held-out rule in words, recorded with the run and hashed into CLIP_0's cache key. */
    public static final String RULE = "the first N/10 items of each digit in the order of Rng(" + RULE_SEED + ").permutation(count) over the digits' training split";

    public Clip0Data {
        heldOut = heldOut.clone();
    }

    /** The data for a CLIP_0 that has seen digits of full's digit training images (0: full as it is). */
    public static Clip0Data of(Benchmark full, int digits) {
        if (digits == 0) return new Clip0Data(0, full, full.fashionTrain(), new int[0]);
        if (!full.embedded() || full.fashionTrain() == null) throw new IllegalArgumentException(OPTION + " applies to the embedded benchmark (Fashion-MNIST -> digits) only");
        LabeledImages d = full.digitsTrain();
        int classes = d.numClasses();
        check(digits, classes);
        if (!full.fashionCaptions().templates().equals(full.digitCaptions().templates())) {
            // phase 0 captions every item with one set of templates; the digits' must be the same for their captions to be the stream's
            throw new IllegalArgumentException(OPTION + ": the digits' caption templates differ from Fashion-MNIST's, so phase 0 could not caption them as the stream does");
        }
        int per = digits / classes;
        int[] count = new int[classes];
        for (int i = 0; i < d.count(); i++) count[d.labels()[i]]++;
        for (int c = 0; c < classes; c++) {
            // every class must keep items for the study too
            if (per >= count[c]) {
                throw new IllegalArgumentException(OPTION + " " + digits + " takes " + per + " images of each digit, but '" + d.classNames().get(c)
                        + "' has " + count[c] + " training images (it must keep at least one for the study)");
            }
        }
        int[] taken = new int[classes];
        boolean[] held = new boolean[d.count()];
        for (int i : new Rng(RULE_SEED).permutation(d.count())) {
            if (taken[d.labels()[i]] < per) {
                taken[d.labels()[i]]++;
                held[i] = true;
            }
        }
        int[] heldOut = indices(held, true), rest = indices(held, false);
        LabeledImages seen = d.subset(heldOut, d.name() + " (seen by CLIP_0)");
        LabeledImages studyDigits = d.subset(rest, d.name() + " (without the " + digits + " seen by CLIP_0)");
        Benchmark study = new Benchmark(full.fashionTrain(), full.fashionTest(), studyDigits, full.digitsTest(), full.fashionCaptions(), full.digitCaptions(),
                full.tokenizer(), full.tokens(), full.fashionTestCaptions(), full.digitsTestCaptions(), full.captioned());
        return new Clip0Data(digits, study, full.fashionTrain().append(seen, full.fashionTrain().name() + "+" + seen.name()), heldOut);
    }

    /** Refuses a count that is negative or not the same number of each of classes (before any data is read). */
    public static void check(int digits, int classes) {
        if (digits < 0 || digits % classes != 0) {
            throw new IllegalArgumentException(OPTION + " must be a non-negative multiple of " + classes + " (the same number of each digit), got " + digits);
        }
    }

    /** The entries of CLIP_0's cache key and run config beyond the benchmark's; none when no digit was seen (the key is the benchmark's as it was). */
    public Map<String, Object> keyEntries() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (digits > 0) {
            m.put("clip0_digits", digits);
            m.put("clip0_digits_rule", RULE);
        }
        return m;
    }

    private static int[] indices(boolean[] flags, boolean want) {
        int n = 0;
        for (boolean f : flags) if (f == want) n++;
        int[] out = new int[n];
        n = 0;
        for (int i = 0; i < flags.length; i++) if (flags[i] == want) out[n++] = i;
        return out;
    }
}
