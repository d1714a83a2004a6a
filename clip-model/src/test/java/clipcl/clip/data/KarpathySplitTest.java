package clipcl.clip.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.io.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KarpathySplitTest {
    @TempDir
    Path dir;

    private Path split(String imagesJson) throws IOException {
        Path f = dir.resolve("dataset.json");
        Files.writeString(f, "{\"images\": [" + imagesJson + "]}");
        return f;
    }

    private static String image(String filepath, String filename) {
        return "{\"split\": \"test\", " + (filepath == null ? "" : "\"filepath\": \"" + filepath + "\", ")
                + "\"filename\": \"" + filename + "\", \"sentences\": [{\"raw\": \" a cat \"}]}";
    }

    @Test
    void imagesResolveBelowTheRoot() throws IOException {
        Path root = dir.resolve("imgs");
        List<KarpathySplit.Item> items = KarpathySplit.read(split(image("val2014", "a.jpg") + ", " + image(null, "b.jpg")), root, "test");
        assertEquals(root.toAbsolutePath().resolve("val2014/a.jpg"), items.get(0).image());
        assertEquals(List.of("a cat"), items.get(1).captions());
    }

    @Test
    void pathsOutsideTheImageRootAreRefused() throws IOException {
        Path root = dir.resolve("imgs");
        for (String[] fp : new String[][] {{null, "../../etc/passwd"}, {"..", "x.jpg"}, {"/etc", "passwd"}, {null, "/etc/passwd"}, {"a/../..", "x.jpg"}, {null, ".."}}) {
            Path f = split(image(fp[0], fp[1]));
            BadInputException e = assertThrows(BadInputException.class, () -> KarpathySplit.read(f, root, "test"), fp[0] + "/" + fp[1]);
            assertEquals("images[0]", e.field());
            assertTrue(e.getMessage().contains("outside the image root"), e.getMessage());
        }
    }

    @Test
    void malformedEntriesNameTheirIndex() throws IOException {
        Path root = dir.resolve("imgs");
        Path f = split(image(null, "a.jpg") + ", {\"split\": \"test\", \"filename\": 3}");
        assertEquals("images[1].filename", assertThrows(BadInputException.class, () -> KarpathySplit.read(f, root, "test")).field());
        Path g = split("{\"split\": \"test\", \"filename\": \"a.jpg\", \"filepath\": [1]}");
        assertEquals("images[0].filepath", assertThrows(BadInputException.class, () -> KarpathySplit.read(g, root, "test")).field());
        Path deep = dir.resolve("deep.json");
        Files.writeString(deep, "{\"images\": " + "[".repeat(30_000) + "]".repeat(30_000) + "}");
        assertThrows(BadInputException.class, () -> KarpathySplit.read(deep, root, "test"));
    }
}
