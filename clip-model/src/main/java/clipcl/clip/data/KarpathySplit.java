package clipcl.clip.data;

import clipcl.tensor.io.BadInputException;
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
        String src = json.toString();
        Map<String, Object> root = Json.readObject(json);
        Object images = root.get("images");
        if (!(images instanceof List<?> list)) throw new BadInputException(src, "images", "no \"images\" list (not a Karpathy split file)");
        Path root0 = imageRoot.toAbsolutePath().normalize();
        List<Item> out = new ArrayList<>();
        int index = 0;
        for (Object o : list) {
            index++;
            String field = "images[" + (index - 1) + "]";
            if (!(o instanceof Map<?, ?> m)) throw new BadInputException(src, field, "is not an object");
            if (!split.equals(m.get("split")) && !(split.equals("train") && "restval".equals(m.get("split")))) continue;
            Object fname = m.get("filename");
            if (!(fname instanceof String f)) throw new BadInputException(src, field + ".filename", "missing or not a string");
            Object fpath = m.get("filepath");
            if (fpath != null && !(fpath instanceof String)) throw new BadInputException(src, field + ".filepath", "must be a string, found " + Json.kind(fpath));
            Path p = inside(root0, (String) fpath, f, src, field);
            List<String> caps = new ArrayList<>();
            if (m.get("sentences") instanceof List<?> sents) {
                for (Object s : sents) if (s instanceof Map<?, ?> sm && sm.get("raw") instanceof String raw) caps.add(raw.strip());
            }
            if (caps.isEmpty()) throw new BadInputException(src, field + ".sentences", "image " + f + " has no captions");
            out.add(new Item(p, caps));
        }
        if (out.isEmpty()) throw new BadInputException(src, "images", "no images in split '" + split + "'");
        return out;
    }

    /**
     * The image's path below the root. A name that is absolute or climbs out of the root ("../..")
     * is refused: a split file must not make the loader read arbitrary files.
     */
    static Path inside(Path root, String filepath, String filename, String src, String field) {
        for (String part : filepath == null ? new String[] {filename} : new String[] {filepath, filename}) {
            if (part.isEmpty() || part.indexOf('\0') >= 0) throw new BadInputException(src, field, "empty or NUL-containing path component '" + part.replace('\0', '?') + "'");
        }
        Path p;
        try {
            p = (filepath == null ? root.resolve(filename) : root.resolve(filepath).resolve(filename)).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new BadInputException(src, field, "invalid path: " + e.getMessage());
        }
        if (!p.startsWith(root) || p.equals(root)) {
            throw new BadInputException(src, field, "image path " + (filepath == null ? "" : filepath + "/") + filename + " points outside the image root " + root);
        }
        return p;
    }
}
