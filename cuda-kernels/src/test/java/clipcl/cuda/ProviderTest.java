package clipcl.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.BackendProvider;
import clipcl.tensor.Backends;
import clipcl.tensor.Device;
import java.io.InputStream;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Discovery works with or without a GPU: probing never throws, and the answer is consistent. */
class ProviderTest {
    @Test
    void providerIsFoundByServiceLoader() {
        boolean found = false;
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            if (p instanceof CudaBackendProvider) {
                found = true;
                assertEquals(Device.Kind.CUDA, p.device());
                assertEquals("cuda", p.name());
            }
        }
        assertTrue(found, "META-INF/services/clipcl.tensor.BackendProvider lists CudaBackendProvider");
    }

    @Test
    void probingNeverThrowsAndAgreesWithBackends() {
        boolean here = CudaBackendProvider.isAvailable();
        assertEquals(here, Backends.available(Device.Kind.CUDA));
        System.out.println("CUDA backend " + (here ? "available" : "unavailable: " + CudaBackendProvider.unavailableReason()));
        if (!here) {
            assertFalse(CudaBackendProvider.unavailableReason().isEmpty(), "an unavailable backend says why");
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> Backends.get(Device.cuda(0)));
            assertTrue(e.getMessage().contains("cuda"), e.getMessage());
        }
    }

    @Test
    void kernelImagesArePackagedWhenNvccRan() throws Exception {
        try (InputStream probe = KernelModule.class.getResourceAsStream(KernelModule.RESOURCE_DIR + "elementwise.fatbin")) {
            Assumptions.assumeTrue(probe != null, "kernel fatbins not built (scripts/compile-cuda.sh needs nvcc): skipping the packaging check");
        }
        for (Kernel k : Kernel.values()) {
            byte[] img = KernelModule.image(k.family);
            String text = new String(img, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(text.contains(k.symbol), k.family + ".fatbin holds the symbol " + k.symbol);
        }
    }
}
