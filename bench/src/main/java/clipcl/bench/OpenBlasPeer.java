package clipcl.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * OpenBLAS's cblas_sgemm called in-process through the FFM API, so that our SGEMM and the peer can
 * be timed call by call in one JVM: on a machine shared with other work, alternating the two is
 * the only fair comparison. Benchmark-only; nothing in the library depends on it.
 *
 * <p>OpenBLAS reads OPENBLAS_CORETYPE when it is loaded; this machine's environment sets it to
 * Haswell (AVX2), which hides its AVX-512 kernels, so it is unset (or replaced) in the C
 * environment before the library is opened.
 */
public final class OpenBlasPeer implements AutoCloseable {
    /** Where Debian's libopenblas0-pthread puts the library, then the generic names. */
    private static final List<String> CANDIDATES = List.of(
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
            "/usr/lib64/libopenblas.so.0");
    private static final int ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112;

    private final Arena arena = Arena.ofShared();
    private final MethodHandle sgemm, setThreads, coreName;
    private final String path;

    private OpenBlasPeer(String path, String coretype) throws Throwable {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        try (Arena tmp = Arena.ofConfined()) {
            if (coretype == null || coretype.isEmpty()) {
                MethodHandle unsetenv = linker.downcallHandle(libc.find("unsetenv").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
                int rc = (int) unsetenv.invokeExact(tmp.allocateFrom("OPENBLAS_CORETYPE"));
                if (rc != 0) throw new IllegalStateException("unsetenv(OPENBLAS_CORETYPE) failed");
            } else {
                MethodHandle setenv = linker.downcallHandle(libc.find("setenv").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                                ValueLayout.JAVA_INT));
                int rc = (int) setenv.invokeExact(tmp.allocateFrom("OPENBLAS_CORETYPE"), tmp.allocateFrom(coretype), 1);
                if (rc != 0) throw new IllegalStateException("setenv(OPENBLAS_CORETYPE) failed");
            }
        }
        SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(path), arena);
        this.path = path;
        sgemm = linker.downcallHandle(lib.find("cblas_sgemm").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_FLOAT,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_FLOAT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        setThreads = linker.downcallHandle(lib.find("openblas_set_num_threads").orElseThrow(),
                FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT));
        coreName = linker.downcallHandle(lib.find("openblas_get_corename").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS));
    }

    /**
     * Opens OpenBLAS from {@code explicitPath} or the usual places; empty when none is installed
     * (Debian: apt-get install libopenblas0-pthread). {@code coretype} null/empty unsets
     * OPENBLAS_CORETYPE (autodetect), otherwise forces it (e.g. "SkylakeX").
     */
    public static Optional<OpenBlasPeer> open(String explicitPath, String coretype) {
        List<String> paths = explicitPath != null ? List.of(explicitPath) : CANDIDATES;
        for (String p : paths) {
            if (!Files.isReadable(Path.of(p))) continue;
            try {
                return Optional.of(new OpenBlasPeer(p, coretype));
            } catch (Throwable e) {
                throw new IllegalStateException("cannot load OpenBLAS from " + p + ": " + e, e);
            }
        }
        return Optional.empty();
    }

    public String path() { return path; }

    /** The kernel family OpenBLAS picked for this CPU (e.g. "Cooperlake", "Haswell"). */
    public String coreName() {
        try {
            MemorySegment s = (MemorySegment) coreName.invokeExact();
            return s.reinterpret(256).getString(0);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    public void setThreads(int threads) {
        try {
            setThreads.invokeExact(threads);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Off-heap float buffer for the peer's operands (the peer cannot read Java arrays). */
    public MemorySegment floats(float[] values) {
        MemorySegment s = arena.allocate(ValueLayout.JAVA_FLOAT, values.length);
        MemorySegment.copy(values, 0, s, ValueLayout.JAVA_FLOAT, 0, values.length);
        return s;
    }

    /** Row-major C[m,n] = A[m,k] * op(B), B given as [k,n] or, with transB, as [n,k]. */
    public void sgemm(int m, int n, int k, MemorySegment a, MemorySegment b, boolean transB, MemorySegment c) {
        try {
            sgemm.invokeExact(ROW_MAJOR, NO_TRANS, transB ? TRANS : NO_TRANS, m, n, k, 1f,
                    a, k, b, transB ? k : n, 0f, c, n);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() { arena.close(); }
}
