package clipcl.clip.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzz targets (Jazzer), one per loader. In the normal suite each runs only its
 * seed corpus and kept findings, {@code src/test/resources/clipcl/clip/fuzz/LoaderJazzerTestInputs/<target>/}
 * (regression mode, fast). {@code scripts/fuzz.sh TARGET EXECUTIONS} fuzzes one target
 * (JAZZER_FUZZ=1) for a bounded number of executions; a failing input is written next to the seeds
 * and from then on replayed by every test run.
 *
 * The property of every target (in {@link FuzzTargets}): the input loads within the limits of
 * {@code InputLimits}, or is refused with {@code BadInputException} naming its source. Any other
 * exception, a stack overflow, running out of memory or a hang (libFuzzer's -timeout) is a finding.
 */
class LoaderJazzerTest {
    @BeforeAll
    static void instrumentableClassFiles() { ClassVersionShim.installWhenFuzzing(); }

    @FuzzTest
    void safetensors(byte[] input) { FuzzTargets.fuzz("safetensors", input); }

    @FuzzTest
    void karpathySplit(byte[] input) { FuzzTargets.fuzz("karpathySplit", input); }

    @FuzzTest
    void image(byte[] input) { FuzzTargets.fuzz("image", input); }

    @FuzzTest
    void torchZip(byte[] input) { FuzzTargets.fuzz("torchZip", input); }

    @FuzzTest
    void torchScript(byte[] input) { FuzzTargets.fuzz("torchScript", input); }

    @FuzzTest
    void checkpoint(byte[] input) { FuzzTargets.fuzz("checkpoint", input); }

    @FuzzTest
    void json(byte[] input) { FuzzTargets.fuzz("json", input); }

    @FuzzTest
    void npy(byte[] input) { FuzzTargets.fuzz("npy", input); }

    @FuzzTest
    void modelConfig(byte[] input) { FuzzTargets.fuzz("modelConfig", input); }

    @FuzzTest
    void idx(byte[] input) { FuzzTargets.fuzz("idx", input); }

    @FuzzTest
    void pickle(byte[] input) { FuzzTargets.fuzz("pickle", input); }

    @FuzzTest
    void tokenizerText(byte[] input) { FuzzTargets.fuzz("tokenizerText", input); }
}
