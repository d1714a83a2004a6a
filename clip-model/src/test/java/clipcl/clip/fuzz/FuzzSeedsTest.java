package clipcl.clip.fuzz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every seed of the Jazzer corpora is a valid input that its loader accepts: a seed the loader
 * refused would leave the fuzzer mutating an error path. (Kept findings, crash-*, are exempt.)
 */
class FuzzSeedsTest {
    static final Path CORPORA = Path.of("src/test/resources/clipcl/clip/fuzz/LoaderJazzerTestInputs");

    @TestFactory
    Stream<DynamicTest> everySeedLoads() throws IOException {
        assertTrue(Files.isDirectory(CORPORA), CORPORA + " is missing");
        List<Path> seeds;
        try (Stream<Path> s = Files.walk(CORPORA)) {
            seeds = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("crash-")).sorted().toList();
        }
        for (String target : FuzzTargets.LOADERS.keySet()) {
            assertFalse(seeds.stream().noneMatch(p -> p.getParent().getFileName().toString().equals(target)), "no seeds for " + target);
        }
        return seeds.stream().map(p -> DynamicTest.dynamicTest(CORPORA.relativize(p).toString(), () -> {
            FuzzTargets.Target loader = FuzzTargets.LOADERS.get(p.getParent().getFileName().toString());
            byte[] input = Files.readAllBytes(p);
            assertDoesNotThrow(() -> loader.run(input));
        }));
    }
}
