package clipcl.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Python's html.unescape and ftfy's unescape_html against html_unescape.jsonl. */
class HtmlUnescapeTest {
    @Test
    void pythonHtmlUnescape() {
        for (Map<String, Object> c : Fixtures.jsonl("html_unescape.jsonl")) {
            String text = (String) c.get("text");
            assertEquals(Fixtures.show((String) c.get("python")), Fixtures.show(HtmlUnescape.python(text)), () -> "html.unescape(" + Fixtures.show(text) + ")");
        }
    }

    @Test
    void ftfyUnescapeHtml() {
        for (Map<String, Object> c : Fixtures.jsonl("html_unescape.jsonl")) {
            String text = (String) c.get("text");
            assertEquals(Fixtures.show((String) c.get("ftfy")), Fixtures.show(HtmlUnescape.ftfy(text)), () -> "unescape_html(" + Fixtures.show(text) + ")");
        }
    }
}
