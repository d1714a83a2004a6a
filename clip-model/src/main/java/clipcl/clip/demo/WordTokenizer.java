package clipcl.clip.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's word-level tokenizer: a closed vocabulary of the words of its caption templates and
 * class names, so the demo needs no BPE vocabulary file. Ids follow CLIP's conventions: 0 pads,
 * start-of-text is the second-highest id and end-of-text the highest, so the text tower pools at
 * argmax(ids) exactly as OpenAI's does.
 */
public final class WordTokenizer {
    private final Map<String, Integer> ids = new LinkedHashMap<>();
    private final int contextLength;

    public WordTokenizer(List<String> corpus, int contextLength) {
        this.contextLength = contextLength;
        ids.put("<pad>", 0);
        ids.put("<unk>", 1);
        for (String text : corpus) for (String w : words(text)) ids.putIfAbsent(w, ids.size());
    }

    /** The context length that fits the longest text of corpus: its words plus start and end of text. */
    public static int contextFor(List<String> corpus) {
        int max = 0;
        for (String s : corpus) max = Math.max(max, words(s).size());
        return max + 2;
    }

    public int vocabSize() { return ids.size() + 2; }

    public int sot() { return ids.size(); }

    public int eot() { return ids.size() + 1; }

    public int contextLength() { return contextLength; }

    /** Lowercased words and punctuation marks. */
    static List<String> words(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (char c : text.toLowerCase(Locale.ROOT).toCharArray()) {
            if (Character.isLetterOrDigit(c)) {
                cur.append(c);
            } else {
                if (!cur.isEmpty()) { out.add(cur.toString()); cur.setLength(0); }
                if (!Character.isWhitespace(c)) out.add(String.valueOf(c));
            }
        }
        if (!cur.isEmpty()) out.add(cur.toString());
        return out;
    }

    /** [SOT, words..., EOT, 0...] of length contextLength; an error names a text that does not fit. */
    public int[] encode(String text) {
        List<String> w = words(text);
        if (w.size() + 2 > contextLength) {
            throw new IllegalArgumentException("text '" + text + "' has " + (w.size() + 2) + " tokens, more than the context length " + contextLength);
        }
        int[] out = new int[contextLength];
        out[0] = sot();
        for (int i = 0; i < w.size(); i++) out[i + 1] = ids.getOrDefault(w.get(i), 1);
        out[w.size() + 1] = eot();
        return out;
    }

    /** [texts.size() * contextLength] row-major ids. */
    public int[] encodeAll(List<String> texts) {
        int[] out = new int[texts.size() * contextLength];
        for (int i = 0; i < texts.size(); i++) System.arraycopy(encode(texts.get(i)), 0, out, i * contextLength, contextLength);
        return out;
    }
}
