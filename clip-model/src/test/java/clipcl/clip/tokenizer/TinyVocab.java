package clipcl.clip.tokenizer;

import clipcl.tensor.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A byte-level vocabulary with a few merges: enough to drive the cleaner, splitter and BPE. */
public final class TinyVocab {
    private TinyVocab() { }

    static final String[] MERGES = {"a a", "a a</w>", "aa aa</w>", "c a", "ca t</w>"};

    /** Token -> id: the byte-level alphabet, its end-of-word forms, the merges, then SOT and EOT. */
    public static Map<String, Object> vocab() {
        Map<String, Object> vocab = new LinkedHashMap<>();
        long id = 0;
        for (int b : ByteLevel.VOCAB_ORDER) vocab.put(String.valueOf(ByteLevel.BYTE_TO_CHAR[b]), id++);
        for (int b : ByteLevel.VOCAB_ORDER) vocab.put(ByteLevel.BYTE_TO_CHAR[b] + "</w>", id++);
        for (String m : MERGES) vocab.put(m.replace(" ", ""), id++);
        vocab.put("<|startoftext|>", id++);
        vocab.put("<|endoftext|>", id);
        return vocab;
    }

    /** The tokenizer of {@link #vocab()}, written as Hugging Face files into dir/vocab. */
    public static ClipTokenizer tokenizer(Path dir) throws IOException {
        Path v = Files.createDirectories(dir.resolve("vocab"));
        Files.writeString(v.resolve("vocab.json"), Json.write(vocab()));
        Files.writeString(v.resolve("merges.txt"), "#version: 0.2\n" + String.join("\n", MERGES) + "\n");
        return ClipTokenizer.load(v);
    }
}
