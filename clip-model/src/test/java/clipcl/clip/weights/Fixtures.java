package clipcl.clip.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import clipcl.tensor.DType;
import clipcl.tensor.Tensor;
import clipcl.tensor.io.Json;
import clipcl.tensor.io.Safetensors;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The files make_weight_fixtures.py wrote, and comparisons against them. */
final class Fixtures {
    private Fixtures() { }

    static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/weights/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource weights/" + name + " (run clip-model/src/test/python/make_weight_fixtures.py)", e);
        }
    }

    static Map<String, Object> manifest() throws IOException {
        return Json.parseObject(Files.readString(path("manifest.json")));
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Map<String, Object> m, String key) {
        List<String> out = new ArrayList<>();
        for (Object o : (List<Object>) m.get(key)) out.add((String) o);
        return out;
    }

    static Map<String, Tensor> expected() throws IOException { return Safetensors.readAll(path("expected.safetensors")); }

    /** Same shape, same dtype family, bit-identical values. */
    static void assertSame(String name, Tensor want, Tensor got) {
        assertArrayEquals(want.dims(), got.dims(), name + ": shape");
        if (want.dtype() == DType.I32) {
            assertEquals(DType.I32, got.dtype(), name + ": dtype");
            assertArrayEquals(want.toIntArray(), got.toIntArray(), name);
        } else {
            assertEquals(DType.F32, got.dtype(), name + ": dtype");
            assertArrayEquals(want.toFloatArray(), got.toFloatArray(), 0f, name);
        }
    }

    /** Rounded through IEEE half precision (round to nearest even, as torch's .half() does). */
    static float[] half(float[] v) {
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) o[i] = Float.float16ToFloat(Float.floatToFloat16(v[i]));
        return o;
    }

    static float[] bf16(float[] v) {
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) o[i] = clipcl.tensor.HalfFloats.bf16ToFloat(clipcl.tensor.HalfFloats.floatToBf16(v[i]));
        return o;
    }
}
