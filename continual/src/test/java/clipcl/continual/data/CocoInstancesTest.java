package clipcl.continual.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.io.BadInputException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** COCO instances files to object crops: box rounding and clamping, skipped boxes, class order, errors naming file and field. */
class CocoInstancesTest {
    static final int RED = 0xdc1e1e, BLUE = 0x1e28c8;

    @TempDir
    Path dir;

    /** A 40x30 PNG, blue, with a red rectangle [x0, x1) x [y0, y1). */
    static void png(Path file, int w, int h, int x0, int y0, int x1, int y1) throws IOException {
        BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) im.setRGB(x, y, x >= x0 && x < x1 && y >= y0 && y < y1 ? RED : BLUE);
        Files.createDirectories(file.getParent());
        ImageIO.write(im, "png", file.toFile());
    }

    private Path json(String images, String annotations, String categories) throws IOException {
        Path f = dir.resolve("instances_train.json");
        Files.writeString(f, "{\"images\": [" + images + "], \"annotations\": [" + annotations + "], \"categories\": [" + categories + "]}");
        return f;
    }

    private static String ann(int id, int image, int cat, String bbox) {
        return "{\"id\": " + id + ", \"image_id\": " + image + ", \"category_id\": " + cat + ", \"bbox\": " + bbox + ", \"iscrowd\": 0}";
    }

    static final String IMAGE = "{\"id\": 1, \"file_name\": \"a.png\", \"width\": 40, \"height\": 30}";
    static final String CATS = "{\"id\": 7, \"name\": \"cat\"}, {\"id\": 3, \"name\": \"dog\"}, {\"id\": 5, \"name\": \"bird\"}";

    @Test
    void boxesAreRoundedClampedAndLabelledInCategoryIdOrder() throws IOException {
        png(dir.resolve("img/a.png"), 40, 30, 10, 5, 25, 20);
        Path f = json(IMAGE, String.join(",",
                ann(1, 1, 7, "[-5.4, 2.5, 20, 10]"),                 // x0 -5 clamps to 0; y0 round(2.5) = 2, y1 round(12.5) = 12 (half to even)
                ann(2, 1, 3, "[30, 20, 50, 50]"),                    // past the right and bottom edges: clamped to 40 x 30
                ann(3, 1, 5, "[10, 5, 15, 15]"),                     // exactly the red rectangle
                ann(4, 1, 5, "[10, 10, 1.2, 5]"),                    // 1 px wide: below a minimum side of 2
                "{\"id\": 5, \"image_id\": 1, \"category_id\": 3, \"bbox\": [0, 0, 10, 10], \"iscrowd\": 1}"), CATS);
        CocoInstances.Crops c = CocoInstances.read(f, dir.resolve("img"), 2, false);
        assertEquals(List.of("dog", "bird", "cat"), c.classNames());
        assertEquals(List.of(3L, 5L, 7L), c.categoryIds());
        assertArrayEquals(new int[] {2, 0, 1}, c.labels());
        assertEquals(1, c.skippedSmall());
        assertEquals(1, c.skippedCrowd());
        List<int[]> boxes = new ArrayList<>();
        for (ImageRegions.Region r : c.regions()) boxes.add(new int[] {r.left(), r.top(), r.right(), r.bottom()});
        assertArrayEquals(new int[] {0, 2, 15, 12}, boxes.get(0));
        assertArrayEquals(new int[] {30, 20, 40, 30}, boxes.get(1));
        assertArrayEquals(new int[] {10, 5, 25, 20}, boxes.get(2));
        // the crowd box and the thin one come back when asked for
        CocoInstances.Crops all = CocoInstances.read(f, dir.resolve("img"), 1, true);
        assertEquals(5, all.regions().size());
        assertEquals(0, all.skippedSmall() + all.skippedCrowd());

        LabeledImages set = c.images();
        assertEquals(3, set.count());
        assertEquals(c.classNames(), set.classNames());
        // the crop of the red rectangle is red all over after CLIP's resize and centre crop; the clamped corner crop is blue
        ImageRegions src = (ImageRegions) set.source();
        byte[] red = src.pixels(2, 16), corner = src.pixels(1, 16);
        assertEquals(16 * 16 * 3, red.length);
        for (int i = 0; i < 16 * 16; i++) {
            assertArrayEquals(new int[] {0xdc, 0x1e, 0x1e}, rgb(red, i), "pixel " + i);
            assertArrayEquals(new int[] {0x1e, 0x28, 0xc8}, rgb(corner, i), "pixel " + i);
        }
        // the model's input: [3, 3, 16, 16] normalised with OpenAI's statistics
        float[] x = new ImageTensors(16, true).of(set, new int[] {2, 1, 0}, new clipcl.tensor.Rng(1)).toFloatArray();
        assertEquals(3 * 3 * 16 * 16, x.length);
        assertEquals((0xdc / 255f - 0.48145466f) / 0.26862954f, x[0], 1e-5f);
    }

    private static int[] rgb(byte[] px, int i) { return new int[] {px[3 * i] & 0xff, px[3 * i + 1] & 0xff, px[3 * i + 2] & 0xff}; }

    @Test
    void errorsNameTheFileAndTheField() throws IOException {
        png(dir.resolve("img/a.png"), 40, 30, 0, 0, 1, 1);
        Path img = dir.resolve("img");
        String outside = bad(json(IMAGE, ann(1, 1, 3, "[41, 2, 5, 5]"), CATS), img);
        assertTrue(outside.contains("instances_train.json") && outside.contains("annotations[0].bbox") && outside.contains("outside its image a.png (40x30)"), outside);
        String negative = bad(json(IMAGE, ann(1, 1, 3, "[1, 2, -5, 5]"), CATS), img);
        assertTrue(negative.contains("annotations[0].bbox") && negative.contains("positive"), negative);
        String three = bad(json(IMAGE, ann(1, 1, 3, "[1, 2, 5]"), CATS), img);
        assertTrue(three.contains("annotations[0].bbox") && three.contains("[x, y, width, height]"), three);
        String cat = bad(json(IMAGE, ann(1, 1, 4, "[1, 2, 5, 5]"), CATS), img);
        assertTrue(cat.contains("annotations[0].category_id") && cat.contains("no category with id 4"), cat);
        String image = bad(json(IMAGE, ann(1, 9, 3, "[1, 2, 5, 5]"), CATS), img);
        assertTrue(image.contains("annotations[0].image_id") && image.contains("no image with id 9"), image);
        String width = bad(json("{\"id\": 1, \"file_name\": \"a.png\", \"height\": 30}", "", CATS), img);
        assertTrue(width.contains("images[0].width"), width);
        String escape = bad(json("{\"id\": 1, \"file_name\": \"../../etc/passwd\", \"width\": 4, \"height\": 3}", "", CATS), img);
        assertTrue(escape.contains("images[0].file_name") && escape.contains("outside the image folder"), escape);
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"images\": [" + IMAGE + "], \"annotations\": [");
        String parse = assertThrows(BadInputException.class, () -> CocoInstances.read(broken, img, 1, false)).getMessage();
        assertTrue(parse.startsWith(broken.toString()), parse);
        Files.writeString(broken, "{\"images\": []}");
        String noCats = assertThrows(BadInputException.class, () -> CocoInstances.read(broken, img, 1, false)).getMessage();
        assertTrue(noCats.contains("broken.json: categories"), noCats);

        String missing = assertThrows(IOException.class, () -> CocoInstances.read(json(IMAGE.replace("a.png", "gone.png"), ann(1, 1, 3, "[1, 2, 5, 5]"), CATS), img, 1, false))
                .getMessage();
        assertTrue(missing.contains("instances_train.json") && missing.contains("gone.png") && missing.contains("missing"), missing);
        // an image whose file is not the size its annotation says is noticed when it is read
        CocoInstances.Crops wrong = CocoInstances.read(json(IMAGE.replace("\"width\": 40", "\"width\": 50"), ann(1, 1, 3, "[1, 2, 5, 5]"), CATS), img, 1, false);
        String size = assertThrows(BadInputException.class, () -> ((ImageRegions) wrong.images().source()).pixels(0, 8)).getMessage();
        assertTrue(size.contains("a.png") && size.contains("40x30") && size.contains("50x30"), size);
    }

    private String bad(Path json, Path img) {
        return assertThrows(BadInputException.class, () -> CocoInstances.read(json, img, 1, false)).getMessage();
    }

    @Test
    void paperASessionOrderIsTableI() {
        assertEquals(80, new java.util.HashSet<>(PaperAOrder.TABLE_I).size());
        List<String> shuffled = new ArrayList<>(PaperAOrder.TABLE_I);
        Collections.reverse(shuffled);
        int[] o = PaperAOrder.order(shuffled);
        assertEquals(79, o[0]);                                     // person first, wherever it is
        assertEquals("toothbrush", shuffled.get(o[79]));
        assertEquals(PaperAOrder.TABLE_I.subList(0, 10), PaperAOrder.names(shuffled, o).subList(0, 10));
        assertArrayEquals(new int[] {0, 1, 2}, PaperAOrder.order(List.of("dog", "bird", "cat")));   // other data: category-id order
    }
}
