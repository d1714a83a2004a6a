package clipcl.clip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.io.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFieldsTest {
    private static BadInputException refused(String json) {
        BadInputException e = assertThrows(BadInputException.class, () -> ClipConfig.fromJson(json, "m.json"));
        assertEquals("m.json", e.source());
        return e;
    }

    @Test
    void integersAboveIntRangeAreRefusedNotWrapped() {
        BadInputException e = refused("{\"vision_cfg\": {\"width\": 4294967328}}");
        assertEquals("vision_cfg.width", e.field());
        assertTrue(e.getMessage().contains("outside the integer range"), e.getMessage());
        assertEquals("embed_dim", refused("{\"embed_dim\": 2147483648}").field());
        assertEquals(2147483647 / 64 * 64, ClipConfig.fromJson("{\"embed_dim\": 2147483647, \"vision_cfg\": {\"width\": " + (2147483647 / 64 * 64) + "}}", "m").vision().width());
        assertEquals("text_cfg.layers", refused("{\"text_cfg\": {\"layers\": 1e300}}").field());
    }

    @Test
    void quickGeluMustBeABoolean() {
        BadInputException e = refused("{\"quick_gelu\": \"yes\"}");
        assertEquals("quick_gelu", e.field());
        assertFalse(ClipConfig.fromJson("{\"quick_gelu\": false}", "m").quickGelu());
        assertTrue(ClipConfig.fromJson("{\"quick_gelu\": true}", "m").quickGelu());
        assertFalse(ClipConfig.fromJson("{}", "m").quickGelu(), "open_clip's JSON configs mean GELU unless they say otherwise");
    }

    @Test
    void unknownFieldsAreRefusedByName() {
        assertEquals("vision_cfg.widht", refused("{\"vision_cfg\": {\"widht\": 768}}").field());
        assertEquals("embed_dimension", refused("{\"embed_dimension\": 512}").field());
        assertEquals("text_cfg.colour", refused("{\"text_cfg\": {\"colour\": 1}}").field());
    }

    @Test
    void openClipOptionsAreAcceptedOnlyAtTheirDefaults() {
        ClipConfig.fromJson("{\"vision_cfg\": {\"mlp_ratio\": 4, \"ls_init_value\": null, \"patch_dropout\": 0.0}, \"text_cfg\": {\"mlp_ratio\": 4.0}, \"custom_text\": false}", "m");
        BadInputException e = refused("{\"vision_cfg\": {\"mlp_ratio\": 2.6667}}");
        assertEquals("vision_cfg.mlp_ratio", e.field());
        assertTrue(e.getMessage().contains("4.0"), e.getMessage());
        assertEquals("text_cfg.hf_model_name", refused("{\"text_cfg\": {\"hf_model_name\": \"roberta-base\"}}").field());
    }

    @Test
    void wrongSectionTypesAndRecordChecksNameTheFile() {
        assertEquals("vision_cfg", refused("{\"vision_cfg\": [1]}").field());
        BadInputException e = refused("{\"text_cfg\": {\"width\": 100, \"heads\": 8}}");
        assertEquals("text_cfg", e.field());
        assertTrue(e.getMessage().startsWith("m.json: text_cfg: "), e.getMessage());
        refused("{\"vision_cfg\": {\"width\": -64}}");
        refused("[" .repeat(30_000));
    }

    @Test
    void configFilesMustBeUtf8(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("c.json");
        Files.write(f, new byte[] {'{', '"', (byte) 0xe9, '"', ':', '1', '}'});
        BadInputException e = assertThrows(BadInputException.class, () -> ClipConfig.fromFile(f));
        assertEquals(f.toString(), e.source());
        assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
    }
}
