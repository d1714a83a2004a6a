package clipcl.clip.weights;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.Tensor;
import clipcl.tensor.io.BadInputException;
import clipcl.tensor.io.Safetensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged and unsupported files fail with a message naming the file and the problem. */
class WeightErrorsTest {
    @TempDir
    Path dir;

    private static void assertFails(Path file, String... fragments) {
        Exception e = assertThrows(BadInputException.class, () -> WeightLoader.load(file).close());
        String msg = e.getMessage();
        assertTrue(msg.contains(file.toString()), "names the file: " + msg);
        for (String f : fragments) assertTrue(msg.contains(f), "mentions '" + f + "': " + msg);
    }

    /** A copy of a fixture archive with each record passed through edit (null drops it). */
    private Path rewriteZip(String fixture, String name, BiFunction<String, byte[], byte[]> edit) throws IOException {
        Path out = dir.resolve(name);
        try (ZipFile in = new ZipFile(Fixtures.path(fixture).toFile()); OutputStream os = Files.newOutputStream(out); ZipOutputStream zos = new ZipOutputStream(os)) {
            for (Enumeration<? extends ZipEntry> en = in.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                byte[] b;
                try (InputStream is = in.getInputStream(e)) {
                    b = is.readAllBytes();
                }
                b = edit.apply(e.getName(), b);
                if (b == null) continue;
                zos.putNextEntry(new ZipEntry(e.getName()));
                zos.write(b);
                zos.closeEntry();
            }
        }
        return out;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void notAZip() throws IOException {
        assertFails(write("notes.pt", "these are not weights\n".getBytes(StandardCharsets.UTF_8)), "unrecognised weight format");
        assertFails(write("empty.pt", new byte[0]), "empty file");
    }

    @Test
    void missingFile() {
        Path p = dir.resolve("nowhere.pt");
        Exception e = assertThrows(IOException.class, () -> WeightLoader.load(p));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void truncatedZip() throws IOException {
        byte[] all = Files.readAllBytes(Fixtures.path("state_dict.pt"));
        assertFails(write("cut.pt", Arrays.copyOf(all, all.length * 2 / 3)), "truncated or damaged zip archive");
    }

    @Test
    void zipWithoutDataPkl() throws IOException {
        assertFails(rewriteZip("state_dict.pt", "nopickle.pt", (n, b) -> n.endsWith("data.pkl") ? null : b), "no data.pkl");
    }

    @Test
    void missingDataRecord() throws IOException {
        assertFails(rewriteZip("state_dict.pt", "missing.pt", (n, b) -> n.equals("state_dict/data/3") ? null : b), "missing data record state_dict/data/3", "for tensor '");
    }

    @Test
    void truncatedDataRecord() throws IOException {
        assertFails(rewriteZip("state_dict.pt", "short.pt", (n, b) -> n.equals("state_dict/data/0") ? Arrays.copyOf(b, b.length - 4) : b), "truncated data record state_dict/data/0");
    }

    @Test
    void unknownOpcodeIsNamedInHex() throws IOException {
        byte[] pickle = {(byte) 0x80, 2, '}', 'i', 'x', '\n', 'y', '\n', '.'};
        Path p = rewriteZip("state_dict.pt", "inst.pt", (n, b) -> n.endsWith("data.pkl") ? pickle : b);
        assertFails(p, "unsupported pickle opcode 0x69 (INST)", "data.pkl");
        byte[] junk = {(byte) 0x80, 2, (byte) 0xff, '.'};
        assertFails(rewriteZip("state_dict.pt", "junk.pt", (n, b) -> n.endsWith("data.pkl") ? junk : b), "0xff (not a pickle opcode)");
    }

    @Test
    void truncatedPickle() throws IOException {
        assertFails(rewriteZip("state_dict.pt", "halfpickle.pt", (n, b) -> n.endsWith("data.pkl") ? Arrays.copyOf(b, b.length / 2) : b), "truncated pickle");
    }

    @Test
    void unsupportedStorageType() {
        assertFails(Fixtures.path("uint8.pt"), "unsupported storage type ByteStorage", "'mask'");
    }

    @Test
    void legacyPickleFormat() throws IOException {
        assertFails(write("legacy.pt", new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c}), "legacy", "torch.save");
    }

    @Test
    void truncatedSafetensors() throws IOException {
        byte[] all = Files.readAllBytes(Fixtures.path("openai.safetensors"));
        assertFails(write("cut_header.safetensors", Arrays.copyOf(all, 100)), "truncated safetensors");
        assertFails(write("cut_data.safetensors", Arrays.copyOf(all, all.length - 100)), "truncated");
    }

    @Test
    void huggingFaceNamesWithoutAMatchingOpenAiName() throws IOException {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("vision_model.encoder.layers.0.self_attn.q_proj.weight", Tensor.of(new float[4], 2, 2));
        m.put("vision_model.encoder.layers.0.self_attn.k_proj.weight", Tensor.of(new float[4], 2, 2));
        Path p = dir.resolve("no_v.safetensors");
        Safetensors.write(p, m, null);
        assertFails(p, "no v_proj", "visual.transformer.resblocks.0.attn.in_proj_weight");

        m.put("vision_model.encoder.layers.0.self_attn.v_proj.weight", Tensor.of(new float[4], 2, 2));
        m.put("vision_model.head.weight", Tensor.of(new float[4], 2, 2));
        Path q = dir.resolve("extra.safetensors");
        Safetensors.write(q, m, null);
        assertFails(q, "no OpenAI CLIP counterpart", "vision_model.head.weight");
    }

    @Test
    void pickleThatIsNoStateDict() throws IOException {
        byte[] list = {(byte) 0x80, 2, ']', '.'};
        assertFails(rewriteZip("state_dict.pt", "list.pt", (n, b) -> n.endsWith("data.pkl") ? list : b), "not a state dict");
        byte[] dict = {(byte) 0x80, 2, '}', 'X', 1, 0, 0, 0, 'a', 'K', 1, 's', '.'};
        assertFails(rewriteZip("state_dict.pt", "notensors.pt", (n, b) -> n.endsWith("data.pkl") ? dict : b), "no tensors");
    }
}
