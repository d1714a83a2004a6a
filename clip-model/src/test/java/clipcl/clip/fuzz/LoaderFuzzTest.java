package clipcl.clip.fuzz;

import clipcl.autograd.checkpoint.Checkpoint;
import clipcl.autograd.checkpoint.TrainState;
import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.Linear;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.ParamGroups;
import clipcl.autograd.optim.Schedule;
import clipcl.clip.config.ClipConfig;
import clipcl.clip.data.Idx;
import clipcl.clip.data.KarpathySplit;
import clipcl.clip.image.ImageDecoder;
import clipcl.clip.tokenizer.ClipTokenizer;
import clipcl.clip.tokenizer.TinyVocab;
import clipcl.clip.weights.FuzzAccess;
import clipcl.clip.weights.StateDict;
import clipcl.clip.weights.WeightLoader;
import clipcl.tensor.Rng;
import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.InputMutator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import net.jqwik.api.Example;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutation fuzzing of the clip-model loaders. Each property feeds mutants of valid seeds (the test
 * fixtures, or small inputs built here) to one loader and fails if anything but a
 * {@link BadInputException} (or, for file loaders, the IOException of a real I/O failure) escapes.
 * {@code -Djqwik.tries.default=N} sets the mutants per target.
 */
class LoaderFuzzTest {
    private static final Path RES = Path.of("src/test/resources");
    private static Path dir;
    private static List<byte[]> configSeeds, karpathySeeds, idxSeeds, imageSeeds, pickleSeeds, torchZipSeeds, torchScriptSeeds, textSeeds;
    private static ClipTokenizer tokenizer;
    private static List<byte[]> trainerSeeds, modelFileSeeds;
    private static byte[] optimizerFile;

    @BeforeContainer
    static void seeds() throws IOException {
        dir = Files.createTempDirectory("fuzz-clip");
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
        tokenizer = TinyVocab.tokenizer(dir);
        Path ck = dir.resolve("ckpt-seed");
        Linear m = new Linear(4, 3, Init.f32(1));
        Checkpoint.save(ck, m, new AdamW(ParamGroups.openClip(m.namedParameters(), 0.1), 0),
                new TrainState(3, Map.of("data", new Rng(5)), new Schedule.CosineWarmup(1e-3, 2, 10), Map.of("task", 1L)));
        trainerSeeds = List.of(Files.readAllBytes(ck.resolve(Checkpoint.TRAINER)));
        modelFileSeeds = List.of(Files.readAllBytes(ck.resolve(Checkpoint.MODEL)));
        optimizerFile = Files.readAllBytes(ck.resolve(Checkpoint.OPTIMIZER));
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static byte[] idx(int[] dims, int data) {
        var b = java.nio.ByteBuffer.allocate(4 + 4 * dims.length + data);
        b.putInt(0x0800 | dims.length);
        for (int d : dims) b.putInt(d);
        for (int i = 0; i < data; i++) b.put((byte) i);
        return b.array();
    }

    interface Target {
        void run(byte[] input) throws Exception;
    }

    /** The one assertion: a mutant loads, or is refused with the typed exception naming its source. */
    static void check(long seed, List<byte[]> seeds, boolean ioAllowed, Target t) {
        byte[] input = InputMutator.mutate(seeds, seed);
        try {
            t.run(input);
        } catch (BadInputException expected) {
            if (expected.source() == null) throw new AssertionError("seed " + seed + ": refusal without a source", expected);
        } catch (IOException e) {
            if (!ioAllowed) throw new AssertionError("seed " + seed + ": IOException escaped: " + e.getMessage(), e);
        } catch (Throwable e) {
            throw new AssertionError("seed " + seed + ": " + e.getClass().getName() + " escaped: " + e.getMessage(), e);
        }
    }

    private static Path file(String name, byte[] b) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, b);
        return p;
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
        check(seed, configSeeds, false, b -> ClipConfig.fromJson(clipcl.tensor.io.TextFiles.decodeUtf8(b, "fuzz.json"), "fuzz.json"));
    }

    @Property
    void karpathySplit(@ForAll("mutationSeeds") long seed) {
        check(seed, karpathySeeds, false, b -> KarpathySplit.read(file("dataset.json", b), dir.resolve("images"), seed % 2 == 0 ? "test" : "train"));
    }

    @Property
    void idx(@ForAll("mutationSeeds") long seed) {
        check(seed, idxSeeds, false, b -> Idx.read(new ByteArrayInputStream(b), "fuzz-idx"));
    }

    @Property
    void image(@ForAll("mutationSeeds") long seed) {
        check(seed, imageSeeds, false, b -> ImageDecoder.decode(b, "fuzz.img"));
    }

    @Property
    void pickle(@ForAll("mutationSeeds") long seed) {
        check(seed, pickleSeeds, false, b -> FuzzAccess.unpickle(b));
    }

    @Property
    void torchZip(@ForAll("mutationSeeds") long seed) {
        check(seed, torchZipSeeds, false, b -> {
            try (StateDict sd = WeightLoader.load(file("w.pt", b))) {
                sd.toString();
            }
        });
    }

    @Property
    void torchScript(@ForAll("mutationSeeds") long seed) {
        check(seed, torchScriptSeeds, false, b -> {
            try (StateDict sd = WeightLoader.load(file("s.pt", b))) {
                sd.toString();
            }
        });
    }

    /** A checkpoint with a mutated trainer.json or model file: refused by name, or loaded. */
    @Property
    void checkpoint(@ForAll("mutationSeeds") long seed) {
        boolean trainer = (seed & 1) == 0;
        check(seed, trainer ? trainerSeeds : modelFileSeeds, true, b -> {
            Path ck = Files.createDirectories(dir.resolve("ckpt"));
            Files.write(ck.resolve(Checkpoint.TRAINER), trainer ? trainerSeeds.get(0) : modelFileSeeds.get(0));
            Files.write(ck.resolve(trainer ? Checkpoint.TRAINER : Checkpoint.MODEL), b);
            if (trainer) Files.write(ck.resolve(Checkpoint.MODEL), modelFileSeeds.get(0));
            else Files.write(ck.resolve(Checkpoint.TRAINER), trainerSeeds.get(0));
            Files.write(ck.resolve(Checkpoint.OPTIMIZER), optimizerFile);
            Linear m = new Linear(4, 3, Init.f32(2));
            try {
                Checkpoint.load(ck, m, new AdamW(ParamGroups.openClip(m.namedParameters(), 0.1), 0));
            } catch (IOException e) {
                // The checkpoint's own refusals (another step, another format version, a model that
                // does not fit) are IOExceptions; they must name the file.
                if (e.getMessage() == null || !e.getMessage().startsWith(ck.toString())) throw new AssertionError("unnamed: " + e.getMessage(), e);
            }
        });
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
        check(seed, textSeeds, false, b -> tokenizer.tokenize(new String(b, StandardCharsets.UTF_8), 77, true));
    }
}
