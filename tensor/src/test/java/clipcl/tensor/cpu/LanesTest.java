package clipcl.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import clipcl.tensor.Rng;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class LanesTest {
    @Test
    void fixedOrderSumIsBitIdenticalToItsScalarTreeColdAndWarm() {
        int n = FloatVector.SPECIES_PREFERRED.length();
        Rng rng = new Rng(11);
        float[] lanes = new float[n];
        // Many calls: the first run interpreted, later ones compiled; every one must equal the reference bit for bit.
        for (int rep = 0; rep < 20_000; rep++) {
            for (int i = 0; i < n; i++) lanes[i] = (float) ((rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(8) - 3));
            float got = Lanes.sum(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, lanes, 0));
            assertEquals(Float.floatToIntBits(Lanes.sumReference(lanes)), Float.floatToIntBits(got), "rep " + rep);
        }
    }
}
