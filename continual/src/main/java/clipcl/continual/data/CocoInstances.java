package clipcl.continual.data;

import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * COCO's {@code instances_*.json} turned into object crops: one item per annotation, the image cropped
 * by its bounding box {@code [x, y, w, h]} and labelled by its category's name (paper A's updated task).
 * Classes are the file's categories in category-id order.
 *
 * <p>A box becomes pixels as Pillow's {@code Image.crop} makes them: each edge rounded half to even
 * ({@code x0 = round(x), x1 = round(x + w)}, the same for y), then clamped to the image. A box lying
 * wholly outside its image, or with a negative or zero size, is an error naming the file and the
 * annotation; a box whose clamped width or height is below {@code minSide} pixels is skipped and
 * counted. Crowd annotations ({@code iscrowd: 1}, a box around a group of objects) are skipped unless
 * kept: the paper's 596,974 training crops match COCO 2014 train's annotations without its crowd ones
 * more closely than with them.
 */
public final class CocoInstances {
    /**
     * What a file gave.
     *
     * @param classNames     category names in category-id order (labels index this list)
     * @param categoryIds    the COCO id of each class
     * @param regions        the crops, in the file's annotation order
     * @param labels         each crop's class
     * @param skippedSmall   boxes below the minimum side
     * @param skippedCrowd   crowd annotations left out
     */
    public record Crops(String name, List<String> classNames, List<Long> categoryIds, List<ImageRegions.Region> regions, int[] labels,
                        int skippedSmall, int skippedCrowd) {
        public LabeledImages images() { return LabeledImages.fromSource(name, labels, classNames, new ImageRegions(regions)); }

        /** The crops of the given image files only (e.g. the images of Karpathy's test split), named name. */
        public Crops ofImages(java.util.Set<Path> files, String name) {
            List<ImageRegions.Region> r = new ArrayList<>();
            List<Integer> l = new ArrayList<>();
            for (int i = 0; i < regions.size(); i++) {
                if (files.contains(regions.get(i).file())) {
                    r.add(regions.get(i));
                    l.add(labels[i]);
                }
            }
            if (r.isEmpty()) throw new IllegalArgumentException(this.name + ": none of its crops lie in the " + files.size() + " images of " + name);
            return new Crops(this.name + " (" + name + ")", classNames, categoryIds, r, l.stream().mapToInt(Integer::intValue).toArray(), skippedSmall, skippedCrowd);
        }
    }

    private CocoInstances() { }

    private record Image(Path file, int width, int height) { }

    /**
     * Reads json, whose images lie in imageDir (their {@code file_name} below it). Every image a kept
     * crop needs must exist; a missing one is an error naming it.
     */
    public static Crops read(Path json, Path imageDir, int minSide, boolean keepCrowd) throws IOException {
        if (minSide < 1) throw new IllegalArgumentException("minimum crop side must be >= 1 pixel, got " + minSide);
        if (!Files.isRegularFile(json)) throw new IOException(json + ": no such file");
        String src = json.toString();
        Map<String, Object> root = Json.readObject(json);
        Path dir = imageDir.toAbsolutePath().normalize();

        TreeMap<Long, String> cats = new TreeMap<>();
        List<?> catList = list(root, "categories", src);
        for (int i = 0; i < catList.size(); i++) {
            String f = "categories[" + i + "]";
            Map<?, ?> c = object(catList.get(i), f, src);
            long id = integer(c, "id", f, src);
            String name = string(c, "name", f, src);
            if (cats.containsKey(id)) throw new BadInputException(src, f + ".id", "category id " + id + " appears twice");
            if (cats.containsValue(name)) throw new BadInputException(src, f + ".name", "category name '" + name + "' appears twice");
            cats.put(id, name);
        }
        if (cats.isEmpty()) throw new BadInputException(src, "categories", "no categories");
        List<Long> catIds = new ArrayList<>(cats.keySet());
        List<String> names = new ArrayList<>(cats.values());
        Map<Long, Integer> label = new HashMap<>();
        for (int i = 0; i < catIds.size(); i++) label.put(catIds.get(i), i);

        Map<Long, Image> images = new HashMap<>();
        List<?> imgList = list(root, "images", src);
        for (int i = 0; i < imgList.size(); i++) {
            String f = "images[" + i + "]";
            Map<?, ?> m = object(imgList.get(i), f, src);
            long id = integer(m, "id", f, src);
            String file = string(m, "file_name", f, src);
            int w = (int) positive(m, "width", f, src), h = (int) positive(m, "height", f, src);
            if (images.put(id, new Image(inside(dir, file, src, f + ".file_name"), w, h)) != null) {
                throw new BadInputException(src, f + ".id", "image id " + id + " appears twice");
            }
        }

        List<ImageRegions.Region> regions = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int small = 0, crowd = 0;
        List<?> annList = list(root, "annotations", src);
        for (int i = 0; i < annList.size(); i++) {
            String f = "annotations[" + i + "]";
            Map<?, ?> a = object(annList.get(i), f, src);
            long imageId = integer(a, "image_id", f, src), catId = integer(a, "category_id", f, src);
            Image im = images.get(imageId);
            if (im == null) throw new BadInputException(src, f + ".image_id", "no image with id " + imageId + " in \"images\"");
            Integer lab = label.get(catId);
            if (lab == null) throw new BadInputException(src, f + ".category_id", "no category with id " + catId + " in \"categories\"");
            Object cr = a.get("iscrowd");
            if (cr != null && !(cr instanceof Long l && (l == 0 || l == 1))) throw new BadInputException(src, f + ".iscrowd", "must be 0 or 1, found " + cr);
            if (cr != null && (Long) cr == 1 && !keepCrowd) {
                crowd++;
                continue;
            }
            double[] b = bbox(a, f, src);
            String what = src + " " + f + " (image " + im.file().getFileName() + ", bbox " + java.util.Arrays.toString(b) + ")";
            int x0 = (int) Math.rint(b[0]), y0 = (int) Math.rint(b[1]), x1 = (int) Math.rint(b[0] + b[2]), y1 = (int) Math.rint(b[1] + b[3]);
            if (x0 >= im.width() || y0 >= im.height() || x1 <= 0 || y1 <= 0) {
                throw new BadInputException(src, f + ".bbox", "box " + java.util.Arrays.toString(b) + " lies outside its image "
                        + im.file().getFileName() + " (" + im.width() + "x" + im.height() + ")");
            }
            x0 = Math.max(0, x0);
            y0 = Math.max(0, y0);
            x1 = Math.min(im.width(), x1);
            y1 = Math.min(im.height(), y1);
            if (x1 - x0 < minSide || y1 - y0 < minSide) {
                small++;
                continue;
            }
            regions.add(new ImageRegions.Region(im.file(), x0, y0, x1, y1, im.width(), im.height(), what));
            labels.add(lab);
        }
        if (regions.isEmpty()) throw new BadInputException(src, "annotations", "no crops left (" + small + " below " + minSide + " px, " + crowd + " crowd)");
        int missing = 0;
        Path firstMissing = null;
        java.util.Set<Path> checked = new java.util.HashSet<>();
        for (ImageRegions.Region r : regions) {
            if (checked.add(r.file()) && !Files.isRegularFile(r.file())) {
                missing++;
                if (firstMissing == null) firstMissing = r.file();
            }
        }
        if (missing > 0) throw new IOException(src + ": " + missing + " image file(s) of its annotations are missing in " + dir + ", e.g. " + firstMissing);
        String name = json.getFileName().toString().replaceFirst("\\.json$", "");
        return new Crops(name, names, catIds, regions, labels.stream().mapToInt(Integer::intValue).toArray(), small, crowd);
    }

    private static double[] bbox(Map<?, ?> a, String f, String src) {
        if (!(a.get("bbox") instanceof List<?> l) || l.size() != 4) {
            throw new BadInputException(src, f + ".bbox", "expected [x, y, width, height], found " + (a.get("bbox") == null ? "nothing" : a.get("bbox")));
        }
        double[] b = new double[4];
        for (int k = 0; k < 4; k++) {
            if (!(l.get(k) instanceof Number n) || !Double.isFinite(n.doubleValue())) throw new BadInputException(src, f + ".bbox[" + k + "]", "not a finite number: " + l.get(k));
            b[k] = n.doubleValue();
        }
        if (!(b[2] > 0) || !(b[3] > 0)) throw new BadInputException(src, f + ".bbox", "width and height must be positive, got " + java.util.Arrays.toString(b));
        return b;
    }

    private static List<?> list(Map<String, Object> root, String key, String src) {
        if (!(root.get(key) instanceof List<?> l)) throw new BadInputException(src, key, "missing or not a list (is this a COCO instances file?)");
        return l;
    }

    private static Map<?, ?> object(Object o, String f, String src) {
        if (!(o instanceof Map<?, ?> m)) throw new BadInputException(src, f, "is not an object but " + Json.kind(o));
        return m;
    }

    private static long integer(Map<?, ?> m, String key, String f, String src) {
        if (!(m.get(key) instanceof Long v)) throw new BadInputException(src, f + "." + key, "missing or not an integer" + (m.get(key) == null ? "" : ": " + m.get(key)));
        return v;
    }

    private static long positive(Map<?, ?> m, String key, String f, String src) {
        long v = integer(m, key, f, src);
        if (v <= 0 || v > Integer.MAX_VALUE) throw new BadInputException(src, f + "." + key, "must be a positive pixel count, got " + v);
        return v;
    }

    private static String string(Map<?, ?> m, String key, String f, String src) {
        if (!(m.get(key) instanceof String s) || s.isEmpty()) throw new BadInputException(src, f + "." + key, "missing or not a non-empty string");
        return s;
    }

    /** The file below dir; a name that is absolute or climbs out of dir is refused (a file must not make the reader open arbitrary files). */
    private static Path inside(Path dir, String name, String src, String field) {
        if (name.indexOf('\0') >= 0) throw new BadInputException(src, field, "NUL in file name");
        Path p;
        try {
            p = dir.resolve(name).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new BadInputException(src, field, "invalid path: " + e.getMessage());
        }
        if (!p.startsWith(dir) || p.equals(dir)) throw new BadInputException(src, field, "image path " + name + " points outside the image folder " + dir);
        return p;
    }
}
