package clipcl.tools;

import clipcl.clip.image.Preprocess;
import clipcl.clip.model.Clip;
import clipcl.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Encodes many images chunk by chunk with a progress bar, so memory stays at one chunk of pixels. */
final class ImageBatches {
    private ImageBatches() { }

    static Tensor encodeFiles(Clip model, List<Path> files, int batch) throws Exception {
        int size = model.config().vision().imageSize();
        return encode(model, files.size(), batch, from -> {
            try {
                return Preprocess.batch(files.subList(from, Math.min(files.size(), from + batch)), size);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** chunk(from) gives preprocessed images [b,3,S,S] starting at item from. */
    static Tensor encode(Clip model, int n, int batch, IntFunction<Tensor> chunk) {
        List<Tensor> parts = new ArrayList<>();
        try (Progress bar = new Progress("encode images", n)) {
            for (int at = 0; at < n; at += batch) {
                Tensor px = chunk.apply(at);
                parts.add(ModelArgs.host(model.encodeImages(px, batch)));
                px.close();
                bar.step(px.dim(0));
            }
        }
        return parts.size() == 1 ? parts.get(0) : Tensor.concat(parts, 0);
    }
}
