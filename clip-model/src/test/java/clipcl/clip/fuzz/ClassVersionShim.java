package clipcl.clip.fuzz;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * Lets Jazzer 0.24 instrument this project's classes for coverage. Its bundled bytecode library
 * reads class files up to Java 23 (version 67) and skips newer ones with "Unsupported class file
 * major version 69", which would leave the fuzzer blind. This transformer relabels the project's
 * class files (release 25, no preview features, no bytecode newer than 23's) as version 67 before
 * Jazzer sees them: transformers that cannot retransform run before Jazzer's, which can. The JVM
 * runs a version-67 class unchanged. Installed only when fuzzing (JAZZER_FUZZ): regression runs
 * need no coverage.
 */
final class ClassVersionShim implements ClassFileTransformer {
    private static final int READABLE = 67;
    private static boolean installed;

    private ClassVersionShim() { }

    static synchronized void installWhenFuzzing() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if (installed || fuzz == null || fuzz.isEmpty() || fuzz.equals("0") || fuzz.equalsIgnoreCase("false")) return;
        try {
            // The same Instrumentation Jazzer's agent installer obtains (and reuses when already attached).
            Instrumentation inst = (Instrumentation) Class.forName("com.code_intelligence.jazzer.third_party.net.bytebuddy.agent.ByteBuddyAgent")
                    .getMethod("install").invoke(null);
            inst.addTransformer(new ClassVersionShim(), false);
            installed = true;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot attach the class-version shim for Jazzer", e);
        }
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] b) {
        if (name == null || !name.startsWith("clipcl/") || b.length < 8) return null;
        int minor = (b[4] & 0xff) << 8 | (b[5] & 0xff), major = (b[6] & 0xff) << 8 | (b[7] & 0xff);
        if (major <= READABLE || minor != 0) return null;
        byte[] c = b.clone();
        c[6] = 0;
        c[7] = (byte) READABLE;
        return c;
    }
}
