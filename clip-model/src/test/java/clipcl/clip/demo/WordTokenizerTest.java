package clipcl.clip.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WordTokenizerTest {
    @Test
    void tokenizerPoolsAtEndOfText() {
        WordTokenizer tok = new WordTokenizer(FashionCaptions.corpus(), WordTokenizer.contextFor(FashionCaptions.corpus()));
        int[] ids = tok.encode("a photo of a t-shirt.");
        int max = 0, at = -1;
        for (int i = 0; i < ids.length; i++) if (ids[i] > max) { max = ids[i]; at = i; }
        assertEquals(tok.eot(), max);
        assertEquals(9, at); // SOT a photo of a t - shirt . EOT
        assertEquals(tok.sot(), ids[0]);
    }
}
