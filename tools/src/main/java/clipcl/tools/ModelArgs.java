package clipcl.tools;

import clipcl.clip.config.ClipConfig;
import clipcl.clip.config.ModelConfigs;
import clipcl.clip.model.Clip;
import clipcl.clip.tokenizer.ClipTokenizer;
import clipcl.clip.weights.StateDict;
import clipcl.clip.weights.WeightLoader;
import clipcl.tensor.Backends;
import clipcl.tensor.Device;
import clipcl.tensor.Tensor;
import java.nio.file.Path;
import java.util.Set;

/** The options every command that runs a CLIP shares: --weights, --model / --model-config, --vocab. */
final class ModelArgs {
    static final Set<String> VALUES = Set.of("weights", "model", "model-config", "vocab", "merges", "batch", "device");

    static final String USAGE = """
              --weights W          OpenAI TorchScript archive (ViT-B-32.pt), torch.save state dict (open_clip
                                   .pt/.bin) or safetensors (OpenAI/open_clip or Hugging Face names)
              --model NAME         built-in config: %s
              --model-config CFG   an open_clip model-config JSON (default: inferred from the weight shapes)
              --vocab V            bpe_simple_vocab_16e6.txt.gz, or Hugging Face vocab.json (with --merges merges.txt)
              --batch N            images or texts per forward pass (default 32)
              --device D           where the model computes: cpu (default), cuda, cuda:N (needs the CUDA
                                   backend jar and a GPU), or test (the strict CPU-backed test device)
            """.formatted(String.join(", ", ModelConfigs.names()));

    private ModelArgs() { }

    static Clip loadModel(Args a, java.io.PrintStream log) throws Exception {
        Device d = device(a);                                   // a bad or unavailable device fails before any reading
        Path weights = Path.of(a.require("weights"));
        if (a.get("model-config", null) != null && a.get("model", null) != null) {
            throw new UsageException("give --model or --model-config, not both (--model " + a.get("model", null) + " would be ignored)");
        }
        try (StateDict sd = WeightLoader.load(weights)) {
            ClipConfig cfg;
            if (a.get("model-config", null) != null) cfg = ClipConfig.fromFile(Path.of(a.get("model-config", null)));
            else if (a.get("model", null) != null) cfg = ModelConfigs.byName(a.get("model", null));
            else cfg = ModelConfigs.infer(sd.tensors());
            if (log != null) {
                log.printf("loaded %s (%s, %d tensors): image %dpx, embed_dim %d%n", weights, sd.format().description(), sd.size(),
                        cfg.vision().imageSize(), cfg.embedDim());
            }
            try {
                Clip model = Clip.fromStateDict(cfg, sd.tensors());
                if (!d.isCpu()) {
                    model.to(d);
                    if (log != null) log.printf("model on %s%n", d);
                }
                return model;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(weights + " does not fit the model config: " + e.getMessage(), e);
            }
        }
    }

    static ClipTokenizer loadTokenizer(Args a) {
        String v = a.require("vocab");
        String merges = a.get("merges", null);
        return merges == null ? ClipTokenizer.load(Path.of(v)) : ClipTokenizer.load(Path.of(v), Path.of(merges));
    }

    /** --device (default cpu); the backend is looked up now so an unavailable device fails before any work. */
    static Device device(Args a) {
        Device d;
        try {
            d = Device.parse(a.get("device", "cpu"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Backends.get(d);
        return d;
    }

    /** t on the host (results are written and evaluated there); t itself when it is. */
    static Tensor host(Tensor t) {
        if (t.device().isCpu()) return t;
        Tensor h = t.to(Device.CPU);
        t.close();
        return h;
    }

    static int batch(Args a) {
        int b = a.getInt("batch", 32);
        if (b <= 0) throw new UsageException("--batch must be positive");
        return b;
    }
}
