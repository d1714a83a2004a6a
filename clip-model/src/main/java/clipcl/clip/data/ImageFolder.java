package clipcl.clip.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * torchvision's ImageFolder layout: one sub-folder per class (sorted by name gives the label
 * order), images inside. Class names for prompts come from the folder names, or from a text file
 * with one name per line in the same order.
 */
public final class ImageFolder {
    /** @param paths image files; labels[i] is the class of paths[i] */
    public record Dataset(List<Path> paths, int[] labels, List<String> classNames) { }

    private ImageFolder() { }

    public static Dataset scan(Path root, Path classNamesFile) throws IOException {
        if (!Files.isDirectory(root)) throw new IOException(root + ": not a folder (expected one sub-folder per class)");
        List<Path> classes;
        try (Stream<Path> s = Files.list(root)) {
            classes = s.filter(Files::isDirectory).sorted().toList();
        }
        if (classes.isEmpty()) throw new IOException(root + ": no class sub-folders");
        List<String> names = new ArrayList<>();
        for (Path c : classes) names.add(c.getFileName().toString().replace('_', ' '));
        if (classNamesFile != null) {
            String text = clipcl.tensor.io.TextFiles.readUtf8(classNamesFile, clipcl.tensor.io.InputLimits.JSON_MAX_BYTES);
            List<String> given = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            if (given.size() != classes.size()) {
                throw new IOException(classNamesFile + ": " + given.size() + " class names for " + classes.size() + " class folders in " + root);
            }
            names = given;
        }
        List<Path> paths = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            try (Stream<Path> s = Files.list(classes.get(c))) {
                for (Path p : s.filter(ImageFolder::isImage).sorted().toList()) {
                    paths.add(p);
                    labels.add(c);
                }
            }
        }
        if (paths.isEmpty()) throw new IOException(root + ": no .jpg/.jpeg/.png images in the class folders");
        return new Dataset(paths, labels.stream().mapToInt(Integer::intValue).toArray(), names);
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"));
    }
}
