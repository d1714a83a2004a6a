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
import clipcl.clip.image.DecodedImage;
import clipcl.clip.image.ImageDecoder;
import clipcl.clip.tokenizer.ClipTokenizer;
import clipcl.clip.tokenizer.TinyVocab;
import clipcl.clip.weights.FuzzAccess;
import clipcl.clip.weights.StateDict;
import clipcl.clip.weights.WeightLoader;
import clipcl.tensor.Rng;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.InputLimits;
import clipcl.tensor.io.Json;
import clipcl.tensor.io.Npy;
import clipcl.tensor.io.Safetensors;
import clipcl.tensor.io.TextFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The loaders as fuzz targets: {@link #fuzz} feeds one input to the named loader and returns normally
 * when the input loads or is refused with {@link BadInputException} naming its source. Anything else
 * (another exception, a stack overflow, running out of memory) fails as an {@link AssertionError}
 * carrying it. Shared by
 * the jqwik properties ({@link LoaderFuzzTest}) and the Jazzer targets ({@link LoaderJazzerTest}).
 */
final class FuzzTargets {
    private FuzzTargets() { }

    /** The fuzzed files live in memory where the system has a RAM disk: a file per input is cheap there. */
    private static final Path DIR = makeDir();
    private static ClipTokenizer tokenizer;
    private static byte[] optimizerFile, modelFile, trainerFile;

    private static Path makeDir() {
        try {
            Path shm = Path.of("/dev/shm");
            Path d = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "clipcl-fuzz") : Files.createTempDirectory("clipcl-fuzz");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(d)));
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path d) {
        try (var s = Files.walk(d)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }

    interface Target {
        void run(byte[] input) throws Exception;
    }

    /**
     * The one assertion: the input loads, or is refused with the typed exception naming its source.
     * For the checkpoint target, the checkpoint's own refusals (another step, another format
     * version, a model that does not fit) are IOExceptions whose message starts with the file.
     */
    static void expectLoadOrBadInput(byte[] input, boolean namedIoAllowed, Target t) {
        try {
            t.run(input);
        } catch (BadInputException expected) {
            if (expected.source() == null || expected.source().isEmpty()) throw new AssertionError("refusal without a source", expected);
        } catch (IOException e) {
            if (!namedIoAllowed || e.getMessage() == null || !e.getMessage().startsWith(DIR.toString())) {
                throw new AssertionError("IOException escaped: " + e.getMessage(), e);
            }
        } catch (Exception | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError(e.getClass().getName() + " escaped: " + e.getMessage(), e);
        }
    }

    private static Path file(String name, byte[] b) throws IOException {
        Path p = DIR.resolve(name);
        Files.write(p, b);
        return p;
    }

    /** The loaders by target name: each loads one input and throws what the loader throws. */
    static final Map<String, Target> LOADERS = Map.ofEntries(
            Map.entry("json", in -> Json.parse(TextFiles.decodeUtf8(in, "fuzz.json"), "fuzz.json")),
            Map.entry("npy", FuzzTargets::npy),
            Map.entry("safetensors", FuzzTargets::safetensors),
            Map.entry("modelConfig", in -> ClipConfig.fromJson(TextFiles.decodeUtf8(in, "fuzz.json"), "fuzz.json")),
            Map.entry("karpathySplit", FuzzTargets::karpathySplit),
            Map.entry("idx", in -> Idx.read(new ByteArrayInputStream(in), "fuzz-idx")),
            Map.entry("image", FuzzTargets::image),
            Map.entry("pickle", FuzzAccess::unpickle),
            Map.entry("torchZip", FuzzTargets::weights),
            Map.entry("torchScript", FuzzTargets::weights),
            Map.entry("tokenizerText", in -> tokenizer().tokenize(new String(in, StandardCharsets.UTF_8), 77, true)),
            Map.entry("checkpoint", FuzzTargets::checkpoint));

    /** One fuzz input for the named target: it loads, or is refused with the typed exception. */
    static void fuzz(String target, byte[] input) {
        expectLoadOrBadInput(input, target.equals("checkpoint"), LOADERS.get(target));
    }

    private static void npy(byte[] in) {
        try (Tensor t = Npy.parse(in, "fuzz.npy")) {
            if (t.numel() > InputLimits.TENSOR_MAX_ELEMENTS) throw new AssertionError("past the element limit: " + t.numel());
        }
    }

    private static void safetensors(byte[] in) throws IOException {
        Map<String, Tensor> all = Safetensors.readAll(file("fuzz.safetensors", in));
        long elements = 0;
        for (Tensor t : all.values()) {
            elements += t.numel();
            t.close();
        }
        // Tensors tile the data section exactly: their elements cannot outnumber the file's bytes.
        if (elements > in.length) throw new AssertionError(elements + " elements from a file of " + in.length + " bytes");
    }

    private static void karpathySplit(byte[] in) throws IOException {
        // The split asked for depends on the input, so both the test and the train/restval paths are reached.
        String split = in.length % 2 == 0 ? "test" : "train";
        Path root = DIR.resolve("images").toAbsolutePath().normalize();
        for (KarpathySplit.Item item : KarpathySplit.read(file("dataset.json", in), root, split)) {
            if (!item.image().startsWith(root)) throw new AssertionError("image outside the root: " + item.image());
        }
    }

    private static void image(byte[] in) throws IOException {
        DecodedImage img = ImageDecoder.decode(in, "fuzz.img");
        if ((long) img.width() * img.height() > InputLimits.IMAGE_MAX_PIXELS) throw new AssertionError("past the pixel limit: " + img.width() + "x" + img.height());
    }

    private static void weights(byte[] in) throws IOException {
        try (StateDict sd = WeightLoader.load(file("w.pt", in))) {
            sd.toString();
        }
    }

    private static synchronized ClipTokenizer tokenizer() throws IOException {
        if (tokenizer == null) tokenizer = TinyVocab.tokenizer(Files.createDirectories(DIR.resolve("vocab")));
        return tokenizer;
    }

    /**
     * A checkpoint of a 4-to-3 linear layer with one part replaced by the input. The first byte says
     * which: 'T' (even) a mutated trainer.json; 'M' (odd) a mutated model file, with trainer.json
     * recording its CRC-32 so that the loader reads past the checksum into the tensors.
     */
    private static void checkpoint(byte[] in) throws IOException {
        if (in.length == 0) return;
        boolean trainer = (in[0] & 1) == 0;
        byte[] part = Arrays.copyOfRange(in, 1, in.length);
        Path ck = Files.createDirectories(DIR.resolve("ckpt"));
        seedCheckpoint();
        Files.write(ck.resolve(Checkpoint.OPTIMIZER), optimizerFile);
        Files.write(ck.resolve(Checkpoint.MODEL), trainer ? modelFile : part);
        Files.write(ck.resolve(Checkpoint.TRAINER), trainer ? part : trainerWithCrc(part));
        Linear m = new Linear(4, 3, Init.f32(2));
        Checkpoint.load(ck, m, new AdamW(ParamGroups.openClip(m.namedParameters(), 0.1), 0));
    }

    private static synchronized void seedCheckpoint() throws IOException {
        if (trainerFile != null) return;
        Path ck = DIR.resolve("ckpt-seed");
        Linear m = new Linear(4, 3, Init.f32(1));
        Checkpoint.save(ck, m, new AdamW(ParamGroups.openClip(m.namedParameters(), 0.1), 0),
                new TrainState(3, Map.of("data", new Rng(5)), new Schedule.CosineWarmup(1e-3, 2, 10), Map.of("task", 1L)));
        trainerFile = Files.readAllBytes(ck.resolve(Checkpoint.TRAINER));
        modelFile = Files.readAllBytes(ck.resolve(Checkpoint.MODEL));
        optimizerFile = Files.readAllBytes(ck.resolve(Checkpoint.OPTIMIZER));
    }

    /** A part of the seed checkpoint: 'T' its trainer.json, 'M' its model file. */
    static byte[] checkpointSeed(char part) throws IOException {
        seedCheckpoint();
        return (part == 'T' ? trainerFile : modelFile).clone();
    }

    /**
     * Writes the checkpoint target's seeds ('T' + trainer.json, 'M' + model.safetensors of the seed
     * checkpoint) into the folder given; make_fuzz_seeds.py writes the other targets' seeds.
     */
    public static void main(String[] args) throws IOException {
        seedCheckpoint();
        Path out = Files.createDirectories(Path.of(args[0]));
        Files.write(out.resolve("trainer_json"), concat((byte) 'T', trainerFile));
        Files.write(out.resolve("model_safetensors"), concat((byte) 'M', modelFile));
    }

    private static byte[] concat(byte first, byte[] rest) {
        byte[] b = new byte[rest.length + 1];
        b[0] = first;
        System.arraycopy(rest, 0, b, 1, rest.length);
        return b;
    }

    private static byte[] trainerWithCrc(byte[] model) {
        Map<String, Object> j = Json.parseObject(new String(trainerFile, StandardCharsets.UTF_8));
        @SuppressWarnings("unchecked")
        Map<String, Object> sums = new LinkedHashMap<>((Map<String, Object>) j.get("checksums"));
        CRC32 crc = new CRC32();
        crc.update(model);
        sums.put(Checkpoint.MODEL, crc.getValue());
        j.put("checksums", sums);
        return Json.pretty(j).getBytes(StandardCharsets.UTF_8);
    }
}
