package clipcl.tools;

import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.ModelConfigs;
import clipcl.clip.model.Clip;
import clipcl.clip.tokenizer.ClipTokenizer;
import clipcl.clip.weights.StateDict;
import clipcl.clip.weights.WeightLoader;
import clipcl.tensor.Device;
import clipcl.tensor.Tensor;
import java.nio.file.Path;
import java.util.Iterator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every command that runs a CLIP shares: --weights, --model / --model-config, --vocab, --batch, --device. */
public final class ModelArgs {
    @Option(names = "--weights", paramLabel = "W", required = true, description = {
        "OpenAI TorchScript archive (ViT-B-32.pt), torch.save state dict (open_clip .pt/.bin) or safetensors (OpenAI/open_clip or Hugging Face names)"})
    Path weights;

    @Option(names = "--model", paramLabel = "NAME", completionCandidates = ModelNames.class,
            description = "built-in config: ${COMPLETION-CANDIDATES}")
    String model;

    @Option(names = "--model-config", paramLabel = "CFG", description = "an open_clip model-config JSON (default: inferred from the weight shapes)")
    Path modelConfig;

    @Option(names = "--vocab", paramLabel = "V", description = "bpe_simple_vocab_16e6.txt.gz, or Hugging Face vocab.json (with --merges merges.txt)")
    Path vocab;

    @Option(names = "--merges", paramLabel = "M", description = "Hugging Face merges.txt, with --vocab vocab.json")
    Path merges;

    @Option(names = "--batch", paramLabel = "N", description = "images or texts per forward pass (default ${DEFAULT-VALUE})")
    int batch = 32;

    @Mixin
    DeviceOption device = new DeviceOption();

    /** The names of the built-in configs, for --model's help. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() { return ModelConfigs.names().iterator(); }
    }

    Clip loadModel(java.io.PrintStream log) throws Exception {
        Device d = device.device();                             // a bad or unavailable device fails before any reading
        if (modelConfig != null && model != null) {
            throw new UsageException("give --model or --model-config, not both (--model " + model + " would be ignored)");
        }
        try (StateDict sd = WeightLoader.load(weights)) {
            ClipConfig cfg;
            if (modelConfig != null) cfg = ClipConfig.fromFile(modelConfig);
            else if (model != null) cfg = ModelConfigs.byName(model);
            else cfg = ModelConfigs.infer(sd.tensors());
            if (log != null) {
                log.printf("loaded %s (%s, %d tensors): image %dpx, embed_dim %d%n", weights, sd.format().description(), sd.size(),
                        cfg.vision().imageSize(), cfg.embedDim());
            }
            try {
                Clip clip = Clip.fromStateDict(cfg, sd.tensors());
                if (!d.isCpu()) {
                    clip.to(d);
                    if (log != null) log.printf("model on %s%n", d);
                }
                return clip;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(weights + " does not fit the model config: " + e.getMessage(), e);
            }
        }
    }

    boolean hasVocab() { return vocab != null; }

    ClipTokenizer loadTokenizer() {
        if (vocab == null) throw new UsageException("missing --vocab");
        return merges == null ? ClipTokenizer.load(vocab) : ClipTokenizer.load(vocab, merges);
    }

    /** t on the host (results are written and evaluated there); t itself when it is. */
    static Tensor host(Tensor t) {
        if (t.device().isCpu()) return t;
        Tensor h = t.to(Device.CPU);
        t.close();
        return h;
    }

    int batch() {
        if (batch <= 0) throw new UsageException("--batch must be positive");
        return batch;
    }
}
