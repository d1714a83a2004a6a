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

class ImageFolderTest {
    @TempDir
    Path dir;

    @Test
    void classNamesMustBeUtf8AndMatchTheFolders() throws IOException {
        Files.write(Files.createDirectories(dir.resolve("root/cat")).resolve("a.png"), new byte[] {1});
        Files.write(Files.createDirectories(dir.resolve("root/dog")).resolve("b.jpg"), new byte[] {1});
        Path names = Files.writeString(dir.resolve("names.txt"), "tabby cat\npuppy\n");
        assertEquals(List.of("tabby cat", "puppy"), ImageFolder.scan(dir.resolve("root"), names).classNames());
        Files.write(names, new byte[] {'c', 'a', 't', '\n', (byte) 0xff, '\n'});
        BadInputException e = assertThrows(BadInputException.class, () -> ImageFolder.scan(dir.resolve("root"), names));
        assertEquals(names.toString(), e.source());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }
}
