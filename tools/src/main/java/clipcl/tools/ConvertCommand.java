package clipcl.tools;

import clipcl.clip.weights.StateDict;
import clipcl.clip.weights.WeightLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `clipcl convert`: any weight file clipcl reads -> float32 safetensors with OpenAI's names. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = {"weights (TorchScript, torch.save, safetensors, HF names) -> safetensors", "",
            "Reads CLIP weights and writes them as float32 safetensors with OpenAI's tensor names (visual.conv1.weight, "
                + "transformer.resblocks.0.attn.in_proj_weight, logit_scale, ...).", ""},
        footer = {"", "The buffers input_resolution, context_length, vocab_size and position_ids are dropped."})
public final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--weights", paramLabel = "IN", required = true, description = {
        "one of: OpenAI's TorchScript archive as released (ViT-B-32.pt, fp16 weights widened); a torch.save zip state dict "
            + "(open_clip .pt / .bin, also {'state_dict': ...} checkpoints with 'module.' prefixes; Hugging Face pytorch_model.bin); "
            + "safetensors with OpenAI/open_clip or Hugging Face CLIPModel names. The format and naming are detected; no Python is needed"})
    Path in;

    @Option(names = "--output", paramLabel = "OUT", required = true, description = "the safetensors file to write (replaced atomically)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!out.getFileName().toString().endsWith(".safetensors")) throw new UsageException("--output must name a .safetensors file, got '" + out + "'");
        if (Files.exists(in) && Files.exists(out) && Files.isSameFile(in, out)) throw new UsageException("--output is the input file " + in);
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) throw new UsageException("the folder of --output does not exist: " + parent);
        long t0 = System.nanoTime();
        try (StateDict sd = WeightLoader.load(in)) {
            sd.saveSafetensors(out);
            System.out.printf("%s: %s%s, %d tensors, %,d parameters -> %s (%.1f s)%n", in, sd.format().description(),
                sd.naming() == StateDict.Naming.HUGGING_FACE ? " with Hugging Face names" : "", sd.size(), sd.numel(), out,
                (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }
}
