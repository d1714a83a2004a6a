package clipcl.tools;

import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.ModelConfigs;
import picocli.CommandLine.Option;

/** `--model NAME` of the benchmarks: a built-in config, with random weights. */
public final class BuiltInModelOption {
    @Option(names = "--model", paramLabel = "NAME", completionCandidates = ModelArgs.ModelNames.class,
            description = "built-in config (default ${DEFAULT-VALUE}): ${COMPLETION-CANDIDATES}")
    String name = "ViT-B-32";

    ClipConfig config() {
        try {
            return ModelConfigs.byName(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
