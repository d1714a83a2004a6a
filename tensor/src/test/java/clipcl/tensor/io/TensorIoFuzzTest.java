package clipcl.tensor.io;

import clipcl.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Mutation fuzzing of the tensor-module loaders: every mutant of a valid seed must load or be
 * refused with {@link BadInputException}; any other exception or error fails the property with the
 * seed that reproduces it. The suite runs {@code jqwik.tries.default} mutants per target (a few
 * thousand); {@code -Djqwik.tries.default=1000000} makes it a long run.
 */
class TensorIoFuzzTest {
    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException { dir = Files.createTempDirectory("fuzz-io"); }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    static final List<byte[]> JSON_SEEDS = List.of(
            "{\"embed_dim\": 512, \"quick_gelu\": true, \"vision_cfg\": {\"image_size\": 224, \"layers\": 12}, \"text_cfg\": {\"width\": 512}}".getBytes(StandardCharsets.UTF_8),
            "{\"images\": [{\"filename\": \"a.jpg\", \"split\": \"test\", \"sentences\": [{\"raw\": \"a dog \\u00e9\\ud83d\\ude00\"}]}]}".getBytes(StandardCharsets.UTF_8),
            "[1, -2.5e-3, null, false, \"x\\n\", [], {}, NaN, -Infinity]".getBytes(StandardCharsets.UTF_8));

    static final List<byte[]> NPY_SEEDS = List.of(
            NpyLimitsTest.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", NpyLimitsTest.floats(1, 2, 3, 4, 5, 6)),
            NpyLimitsTest.npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new byte[8]),
            NpyLimitsTest.npy("{'descr': '<f2', 'fortran_order': False, 'shape': (), }", new byte[2]));

    static final List<byte[]> SAFETENSORS_SEEDS = List.of(
            SafetensorsLimitsTest.file("{\"__metadata__\": {\"step\": \"3\"}, \"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}, "
                    + "\"b\": {\"dtype\": \"I64\", \"shape\": [1, 1], \"data_offsets\": [8, 16]}}", 16),
            SafetensorsLimitsTest.file("{\"h\": {\"dtype\": \"BF16\", \"shape\": [3], \"data_offsets\": [0, 6]}, \"d\": {\"dtype\": \"F64\", \"shape\": [], \"data_offsets\": [6, 14]}}", 14));

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
    void json(@ForAll("mutationSeeds") long seed) {
        byte[] b = InputMutator.mutate(JSON_SEEDS, seed);
        Fuzz.expectOnlyBadInput(seed, () -> Json.parse(TextFiles.decodeUtf8(b, "fuzz.json"), "fuzz.json"));
    }

    @Property
    void npy(@ForAll("mutationSeeds") long seed) {
        byte[] b = InputMutator.mutate(NPY_SEEDS, seed);
        Fuzz.expectOnlyBadInput(seed, () -> {
            try (Tensor t = Npy.parse(b, "fuzz.npy")) {
                t.numel();
            }
        });
    }

    @Property
    void safetensors(@ForAll("mutationSeeds") long seed) {
        byte[] b = InputMutator.mutate(SAFETENSORS_SEEDS, seed);
        Fuzz.expectOnlyBadInput(seed, () -> {
            Path f = dir.resolve("fuzz.safetensors");
            try {
                Files.write(f, b);
                Map<String, Tensor> all = Safetensors.readAll(f);
                all.values().forEach(Tensor::close);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
