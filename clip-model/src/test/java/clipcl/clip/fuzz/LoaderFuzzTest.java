package clipcl.clip.fuzz;

import clipcl.tensor.io.InputMutator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;
import net.jqwik.api.Example;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutation fuzzing of the clip-model loaders with jqwik and {@link InputMutator}: each property feeds
 * mutants of valid seeds (the test fixtures, or small inputs built here) to one loader of
 * {@link FuzzTargets} and fails if anything but a {@link clipcl.tensor.io.BadInputException} escapes.
 * {@code -Djqwik.tries.default=N} sets the mutants per target. The coverage-guided counterpart is
 * {@link LoaderJazzerTest}.
 */
class LoaderFuzzTest {
    private static final Path RES = Path.of("src/test/resources");
    private static List<byte[]> configSeeds, karpathySeeds, idxSeeds, imageSeeds, pickleSeeds, torchZipSeeds, torchScriptSeeds, textSeeds;
    private static List<byte[]> trainerSeeds, modelFileSeeds;

    @BeforeContainer
    static void seeds() throws IOException {
        configSeeds = List.of(Files.readAllBytes(RES.resolve("golden/config.json")),
                "{\"embed_dim\": 64, \"quick_gelu\": false, \"vision_cfg\": {\"image_size\": 32, \"layers\": 1, \"width\": 64, \"patch_size\": 8, \"mlp_ratio\": 4.0}, \"text_cfg\": {\"context_length\": 8, \"heads\": 2, \"width\": 64}}"
                        .getBytes(StandardCharsets.UTF_8));
        karpathySeeds = List.of(("{\"images\": [{\"split\": \"test\", \"filepath\": \"val2014\", \"filename\": \"a.jpg\", \"sentences\": [{\"raw\": \"a dog.\"}, {\"raw\": \"two\"}]},"
                + " {\"split\": \"restval\", \"filename\": \"b.jpg\", \"sentences\": [{\"raw\": \"x\"}]}], \"dataset\": \"coco\"}").getBytes(StandardCharsets.UTF_8));
        idxSeeds = List.of(idx(new int[] {3, 2, 2}, 12), idx(new int[] {5}, 5));
        imageSeeds = new ArrayList<>();
        for (String n : new String[] {"rgb_small_20x13.png", "pal_short_30x20.png", "gray2_40x25.png", "rgba16_36x36.png", "rgb_interlaced_57x41.png",
                "jpeg_small_21x17.jpg", "jpeg_440_45x37.jpg", "jpeg_cmyk_40x30.jpg", "jpeg_progressive_90x120.jpg", "jpeg_icc_64x48.jpg"}) {
            imageSeeds.add(Files.readAllBytes(RES.resolve("image").resolve(n)));
        }
        torchZipSeeds = List.of(Files.readAllBytes(RES.resolve("weights/views.pt")), Files.readAllBytes(RES.resolve("weights/uint8.pt")));
        torchScriptSeeds = List.of(Files.readAllBytes(RES.resolve("weights/scripted.pt")));
        pickleSeeds = new ArrayList<>();
        for (String n : new String[] {"views.pt", "uint8.pt", "scripted.pt"}) {
            try (ZipFile z = new ZipFile(RES.resolve("weights").resolve(n).toFile())) {
                var e = z.stream().filter(x -> x.getName().endsWith("/data.pkl")).findFirst().orElseThrow();
                pickleSeeds.add(z.getInputStream(e).readAllBytes());
            }
        }
        textSeeds = List.of("a photo of a cat.".getBytes(StandardCharsets.UTF_8), "caf\u00e9 &amp; <|endoftext|> 123 \ud83d\ude00 aaaa".getBytes(StandardCharsets.UTF_8));
        trainerSeeds = List.of(FuzzTargets.checkpointSeed('T'));
        modelFileSeeds = List.of(FuzzTargets.checkpointSeed('M'));
    }

    static byte[] idx(int[] dims, int data) {
        var b = java.nio.ByteBuffer.allocate(4 + 4 * dims.length + data);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) b.putInt(d);
        for (int i = 0; i < data; i++) b.put((byte) i);
        return b.array();
    }

    /** The one assertion, {@link FuzzTargets#fuzz}, on the mutant of the given seed. */
    static void check(long seed, List<byte[]> seeds, String target) {
        byte[] input = InputMutator.mutate(seeds, seed);
        try {
            FuzzTargets.fuzz(target, input);
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e.getCause() == null ? e : e.getCause());
        }
    }

    /**
     * The normal suite walks mutation seeds 0..499 exhaustively (jqwik enumerates a range no larger
     * than its tries): the same 500 mutants every run, so a test run cannot fail by chance. Long runs
     * ({@code mvn -Pfuzz}, which sets jqwik.tries.default) draw seeds at random.
     */
    @Provide
    Arbitrary<Long> mutationSeeds() {
        return System.getProperty("jqwik.tries.default") == null ? Arbitraries.longs().between(0, 499) : Arbitraries.longs();
    }

    @Property
    void modelConfig(@ForAll("mutationSeeds") long seed) {
        check(seed, configSeeds, "modelConfig");
    }

    @Property
    void karpathySplit(@ForAll("mutationSeeds") long seed) {
        check(seed, karpathySeeds, "karpathySplit");
    }

    @Property
    void idx(@ForAll("mutationSeeds") long seed) {
        check(seed, idxSeeds, "idx");
    }

    @Property
    void image(@ForAll("mutationSeeds") long seed) {
        check(seed, imageSeeds, "image");
    }

    @Property
    void pickle(@ForAll("mutationSeeds") long seed) {
        check(seed, pickleSeeds, "pickle");
    }

    @Property
    void torchZip(@ForAll("mutationSeeds") long seed) {
        check(seed, torchZipSeeds, "torchZip");
    }

    @Property
    void torchScript(@ForAll("mutationSeeds") long seed) {
        check(seed, torchScriptSeeds, "torchScript");
    }

    /**
     * A checkpoint with a mutated trainer.json (even seeds) or model file (odd seeds): refused by
     * name, or loaded. The first byte tells {@link FuzzTargets} which part the rest replaces.
     */
    @Property
    void checkpoint(@ForAll("mutationSeeds") long seed) {
        boolean trainer = (seed & 1) == 0;
        byte[] part = InputMutator.mutate(trainer ? trainerSeeds : modelFileSeeds, seed);
        byte[] input = new byte[part.length + 1];
        input[0] = (byte) (trainer ? 'T' : 'M');
        System.arraycopy(part, 0, input, 1, part.length);
        try {
            FuzzTargets.fuzz("checkpoint", input);
        } catch (AssertionError e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e.getCause() == null ? e : e.getCause());
        }
    }

    // Regressions: seeds that once let a raw exception escape, replayed on every run.

    /** Two tensors declaring one storage with different sizes: ArrayIndexOutOfBoundsException. */
    @Example
    void torchScriptSharedStorageOfTwoSizes() { torchScript(8120360641906997373L); }

    /** A zip whose local header ends before its data: a bare EOFException. */
    @Example
    void torchZipLocalHeaderPastTheEnd() { torchZip(1099731L); }

    /** An optimizer "steps" entry that is a number instead of an object: ClassCastException. */
    @Example
    void checkpointOptimizerStepsOfAnotherType() { checkpoint(8219141049636758456L); }

    @Property
    void tokenizerText(@ForAll("mutationSeeds") long seed) {
        check(seed, textSeeds, "tokenizerText");
    }
}
