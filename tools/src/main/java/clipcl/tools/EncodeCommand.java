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
import java.util.Set;

/** `clipcl encode`: image and text features (and logits) as .npy, as OpenAI's encode_image / encode_text. */
public final class EncodeCommand implements Command {
    @Override
    public String name() { return "encode"; }

    @Override
    public String summary() { return "image/text features and logits of a CLIP model as .npy"; }

    @Override
    public String usage() {
        return """
            usage: clipcl encode --weights W [--model NAME | --model-config CFG.json] [--vocab V]
                                 [--images-npy X.npy] [--images IMG...] [--texts T.jsonl] [--truncate]
                                 --output-dir D

            Writes D/image_features.npy [N,E] and D/text_features.npy [M,E] (float32, unnormalised, as
            OpenAI's encode_image / encode_text return them) and, when both are given,
            D/logits_per_image.npy [N,M] = exp(logit_scale) * cosine similarity.
              --images-npy X   preprocessed images, float32 [N,3,S,S] (or one [3,S,S])
              --images IMG...  image files (JPEG/PNG), preprocessed as OpenAI does (bicubic resize, center crop)
              --texts T        JSON lines, each a string; tokenized with --vocab (context from the model)
              --truncate       cut texts longer than the context (keeping the end token) instead of failing
            """ + ModelArgs.USAGE;
    }

    @Override
    public int run(String[] args) throws Exception {
        Set<String> values = new java.util.HashSet<>(ModelArgs.VALUES);
        values.addAll(Set.of("images-npy", "texts", "output-dir"));
        Args a = Args.parse(args, Set.of("images", "truncate"), values);
        Path out = Path.of(a.require("output-dir"));
        List<Path> imageFiles = new ArrayList<>();
        for (String p : a.positional()) imageFiles.add(Path.of(p));
        if (!imageFiles.isEmpty() && !a.flag("images")) throw new UsageException("image files need --images before them");
        if (a.flag("images") && imageFiles.isEmpty()) throw new UsageException("--images needs at least one image file");
        boolean anyImages = a.get("images-npy", null) != null || !imageFiles.isEmpty();
        boolean anyTexts = a.get("texts", null) != null;
        if (!anyImages && !anyTexts) throw new UsageException("nothing to encode: give --images-npy, --images or --texts");
        if (anyTexts && a.get("vocab", null) == null) throw new UsageException("--texts needs --vocab");
        int batch = ModelArgs.batch(a);
        if (Files.exists(out) && !Files.isDirectory(out)) throw new IOException(out + ": exists and is not a folder (--output-dir)");

        Clip model = ModelArgs.loadModel(a, System.err);
        int size = model.config().vision().imageSize();
        Tensor img = null, txt = null;
        if (anyImages) {
            List<Tensor> parts = new ArrayList<>();
            if (a.get("images-npy", null) != null) {
                Path f = Path.of(a.get("images-npy", null));
                Tensor x = Npy.readFinite(f);
                if (x.rank() == 3) x = x.unsqueeze(0);
                if (x.rank() != 4 || x.dim(1) != 3 || x.dim(2) != size || x.dim(3) != size) {
                    throw new IllegalArgumentException(f + ": images must be [N,3," + size + "," + size + "] for this model, got " + x.shape());
                }
                parts.add(x.to(clipcl.tensor.DType.F32));
            }
            if (!imageFiles.isEmpty()) parts.add(Preprocess.batch(imageFiles, size));
            Tensor all = parts.size() == 1 ? parts.get(0) : Tensor.concat(parts, 0);
            img = model.encodeImages(all, batch);                 // on the model's device
        }
        if (anyTexts) {
            List<String> texts = JsonLines.readStrings(Path.of(a.get("texts", null)));
            ClipTokenizer tok = ModelArgs.loadTokenizer(a);
            int ctx = model.config().text().contextLength();
            Tensor ids = tok.tokenizeTensor(texts, ctx, a.flag("truncate"));
            txt = model.encodeTexts(ids, batch);
        }
        Tensor logits = img != null && txt != null ? ModelArgs.host(model.logits(Var.constant(img), Var.constant(txt)).data()) : null;
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
