package clipcl.clip.data;

import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Karpathy's split files for COCO and Flickr30K ({@code dataset_coco.json},
 * {@code dataset_flickr30k.json}): images with a split name and several raw captions each.
 * COCO entries carry a "filepath" (train2014/val2014) below the image root; Flickr's do not.
 */
public final class KarpathySplit {
    /** One image of the split with its captions. */
    public record Item(Path image, List<String> captions) { }

    private KarpathySplit() { }

    public static List<Item> read(Path json, Path imageRoot, String split) throws IOException {
        if (!Files.isRegularFile(json)) throw new IOException(json + ": no such file");
        Map<String, Object> root;
        try {
            root = Json.parseObject(Files.readString(json));
        } catch (IllegalArgumentException e) {
            throw new IOException(json + ": " + e.getMessage());
        }
        Object images = root.get("images");
        if (!(images instanceof List<?> list)) throw new IOException(json + ": no \"images\" list (not a Karpathy split file)");
        List<Item> out = new ArrayList<>();
        int index = 0;
        for (Object o : list) {
            index++;
            if (!(o instanceof Map<?, ?> m)) throw new IOException(json + ": image entry " + index + " is not an object");
            if (!split.equals(m.get("split")) && !(split.equals("train") && "restval".equals(m.get("split")))) continue;
            Object fname = m.get("filename");
            if (!(fname instanceof String f)) throw new IOException(json + ": image entry " + index + " has no filename");
            Path p = m.get("filepath") instanceof String fp ? imageRoot.resolve(fp).resolve(f) : imageRoot.resolve(f);
            List<String> caps = new ArrayList<>();
            if (m.get("sentences") instanceof List<?> sents) {
                for (Object s : sents) if (s instanceof Map<?, ?> sm && sm.get("raw") instanceof String raw) caps.add(raw.strip());
            }
            if (caps.isEmpty()) throw new IOException(json + ": image " + f + " has no captions");
            out.add(new Item(p, caps));
        }
        if (out.isEmpty()) throw new IOException(json + ": no images in split '" + split + "'");
        return out;
    }
}
