package clipcl.tensor.strict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.Backend;
import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** The strict test device itself: it overrides the whole SPI, refuses host operands, counts transfers and leaks. */
class StrictBackendTest {
    @Test
    void overridesEveryBackendMethod() throws Exception {
        for (Method m : Backend.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) continue;
            Method own = StrictBackend.class.getMethod(m.getName(), m.getParameterTypes());
            assertEquals(StrictBackend.class, own.getDeclaringClass(), m.getName() + " must be overridden: a default would compute with the CPU through tensor ops and hide what it does");
        }
    }

    @Test
    void refusesHostOperandsAndCountsTransfers() {
        try (Scope s = Scope.open()) {
            Tensor host = Tensor.of(new float[] {1, 2, 3}, 3);
            StrictBackend.resetTransfers();
            Tensor dev = host.to(Device.TEST);
            assertEquals(1, StrictBackend.uploads());
            Tensor twice = dev.mul(2.0);
            assertEquals(Device.TEST, twice.device());
            assertEquals(1, StrictBackend.transfers(), "computing on the device moves nothing");
            assertArrayEquals(new float[] {2, 4, 6}, twice.toFloatArray());
            assertEquals(1, StrictBackend.downloads());
            assertEquals(12.0, twice.sum().item());
            assertThrows(IllegalArgumentException.class, () -> dev.add(host), "the front end refuses mixed devices");
            assertThrows(IllegalStateException.class, () -> StrictBackend.get().binary(clipcl.tensor.BinaryOp.ADD, dev, host, twice), "the backend refuses a host operand");
            assertThrows(IllegalStateException.class, () -> dev.get(0), "element access needs the host");
        }
    }

    @Test
    void addIntoAStridedViewOfTheDevice() {
        try (Scope s = Scope.open()) {
            for (Device d : new Device[] {Device.CPU, Device.TEST, StrictBackend.DEFAULTS}) {
                Tensor acc = Tensor.zeros(DType.F32, d, 3, 4);
                Tensor col = acc.narrow(1, 1, 2);                       // strided destination
                Tensor.addInto(col, Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2).to(d));
                Tensor.addInto(col, Tensor.ones(DType.F32, d, 2));      // broadcast source
                assertArrayEquals(new float[] {0, 2, 3, 0, 0, 4, 5, 0, 0, 6, 7, 0}, acc.toFloatArray(), d.toString());
            }
        }
    }

    @Test
    void unclosedDeviceMemoryIsReportedAsALeak() throws Exception {
        long before = StrictBackend.leaks();
        Tensor.zeros(DType.F32, Device.TEST, 1000);   // made outside any scope and never closed
        for (int i = 0; i < 100 && StrictBackend.leaks() == before; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(StrictBackend.leaks() > before, "the collector found the unclosed tensor's storage");
    }
}
