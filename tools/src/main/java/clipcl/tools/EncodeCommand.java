package clipcl.tools;

import clipcl.autograd.Var;
import clipcl.clip.image.Preprocess;
import clipcl.clip.model.Clip;
import clipcl.clip.tokenizer.ClipTokenizer;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `clipcl encode`: image and text features (and logits) as .npy, as OpenAI's encode_image / encode_text. */
@Command(name = "encode", mixinStandardHelpOptions = true,
        description = {"image/text features and logits of a CLIP model as .npy", "",
            "Writes D/image_features.npy [N,E] and D/text_features.npy [M,E] (float32, unnormalised, as OpenAI's encode_image / "
                + "encode_text return them) and, when both are given, D/logits_per_image.npy [N,M] = exp(logit_scale) * cosine similarity.", ""},
        footer = {"", "Example:", "  clipcl encode --weights ViT-B-32.pt --vocab V --images cat.jpg dog.png --texts t.jsonl --output-dir D"})
public final class EncodeCommand implements Callable<Integer> {
    @Mixin
    ModelArgs model = new ModelArgs();

    @Option(names = "--images-npy", paramLabel = "X", description = "preprocessed images, float32 [N,3,S,S] (or one [3,S,S])")
    Path imagesNpy;

    @Option(names = "--images", description = "the IMG files that follow (JPEG/PNG), preprocessed as OpenAI does (bicubic resize, center crop)")
    boolean images;

    @Parameters(paramLabel = "IMG", description = "image files, with --images")
    List<Path> imageFiles = new ArrayList<>();

    @Option(names = "--texts", paramLabel = "T", description = "JSON lines, each a string; tokenized with --vocab (context from the model)")
    Path texts;

    @Option(names = "--truncate", description = "cut texts longer than the context (keeping the end token) instead of failing")
    boolean truncate;

    @Option(names = "--output-dir", paramLabel = "D", required = true, description = "the folder of the .npy files (created when missing)")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!imageFiles.isEmpty() && !images) throw new UsageException("image files need --images before them");
        if (images && imageFiles.isEmpty()) throw new UsageException("--images needs at least one image file");
        boolean anyImages = imagesNpy != null || !imageFiles.isEmpty();
        boolean anyTexts = texts != null;
        if (!anyImages && !anyTexts) throw new UsageException("nothing to encode: give --images-npy, --images or --texts");
        if (anyTexts && !model.hasVocab()) throw new UsageException("--texts needs --vocab");
        int batch = model.batch();
        if (Files.exists(out) && !Files.isDirectory(out)) throw new IOException(out + ": exists and is not a folder (--output-dir)");

        Clip clip = model.loadModel(System.err);
        int size = clip.config().vision().imageSize();
        Tensor img = null, txt = null;
        if (anyImages) {
            List<Tensor> parts = new ArrayList<>();
            if (imagesNpy != null) {
                Path f = imagesNpy;
                Tensor x = Npy.readFinite(f);
                if (x.rank() == 3) x = x.unsqueeze(0);
                if (x.rank() != 4 || x.dim(1) != 3 || x.dim(2) != size || x.dim(3) != size) {
                    throw new IllegalArgumentException(f + ": images must be [N,3," + size + "," + size + "] for this model, got " + x.shape());
                }
                parts.add(x.to(clipcl.tensor.DType.F32));
            }
            if (!imageFiles.isEmpty()) parts.add(Preprocess.batch(imageFiles, size));
            Tensor all = parts.size() == 1 ? parts.get(0) : Tensor.concat(parts, 0);
            img = clip.encodeImages(all, batch);                 // on the model's device
        }
        if (anyTexts) {
            List<String> lines = JsonLines.readStrings(texts);
            ClipTokenizer tok = model.loadTokenizer();
            int ctx = clip.config().text().contextLength();
            Tensor ids = tok.tokenizeTensor(lines, ctx, truncate);
            txt = clip.encodeTexts(ids, batch);
        }
        Tensor logits = img != null && txt != null ? ModelArgs.host(clip.logits(Var.constant(img), Var.constant(txt)).data()) : null;
        if (img != null) img = ModelArgs.host(img);
        if (txt != null) txt = ModelArgs.host(txt);
        // Nothing is written until everything is computed, and arrays of an earlier run are removed,
        // so the folder never pairs one run's image features with another's logits.
        Files.createDirectories(out);
        for (String stale : new String[] {"image_features.npy", "text_features.npy", "logits_per_image.npy"}) Files.deleteIfExists(out.resolve(stale));
        if (img != null) Npy.write(out.resolve("image_features.npy"), img);
        if (txt != null) Npy.write(out.resolve("text_features.npy"), txt);
        if (logits != null) Npy.write(out.resolve("logits_per_image.npy"), logits);
        System.err.printf("wrote %s%s%s to %s%n", img != null ? "image_features " + img.shape() : "",
                txt != null ? (img != null ? ", " : "") + "text_features " + txt.shape() : "",
                img != null && txt != null ? ", logits_per_image" : "", out);
        return 0;
    }
}
