package clipcl.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The register transpose used to pack transposed operands, against the index definition. */
class SgemmTransposeTest {
    @Test
    void transposesOneBlockBetweenStridedArrays() {
        int n = SgemmKernel.L, sStride = n + 7, dStride = 2 * n + 3, sOff = 5, dOff = 9;
        Random r = new Random(31);
        float[] src = new float[sOff + n * sStride], dst = new float[dOff + n * dStride];
        for (int i = 0; i < src.length; i++) src[i] = r.nextFloat();
        float[] before = dst.clone();
        SgemmTranspose.block(src, sOff, sStride, dst, dOff, dStride);
        for (int i = 0; i < dst.length; i++) {
            int rel = i - dOff, c = rel / dStride, row = rel % dStride;
            boolean inBlock = rel >= 0 && c < n && row < n;
            float want = inBlock ? src[sOff + row * sStride + c] : before[i];
            assertEquals(want, dst[i], "dst[" + i + "]");
        }
    }
}
