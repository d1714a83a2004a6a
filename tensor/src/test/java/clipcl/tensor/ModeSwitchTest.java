package clipcl.tensor;

import static clipcl.tensor.OpCheck.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.tensor.cpu.VecMath;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two start-up switches, each in a child JVM (both are read once per process):
 * -Dclipcl.scalar=true runs every vector kernel on its scalar loops, which must still agree with
 * the float64 reference; -Dclipcl.backend=reference makes the reference the CPU backend.
 */
class ModeSwitchTest {
    /** Entry point of the child JVM: args[0] is the backend name it must find. */
    public static void main(String[] args) {
        assertEquals(args[0], Backends.cpu().name(), "CPU backend");
        if (args[0].equals("vector")) {
            assertTrue(VecMath.SCALAR, "clipcl.scalar not seen");
            for (int[] sh : new int[][] {s(5, 37), s(3, 1, 40)}) {
                OpCheck.op("gelu", t -> t[0].gelu()).shapes(sh).range(-8, 8).tol(1e-6, 1e-7).check();
                OpCheck.op("exp", t -> t[0].exp()).shapes(sh).range(-20, 20).tol(1e-6, 0).check();
                OpCheck.op("log", t -> t[0].log()).shapes(sh).range(1e-3, 50).tol(1e-6, 1e-7).check();
                OpCheck.op("tanh", t -> t[0].tanh()).shapes(sh).range(-6, 6).tol(1e-6, 1e-7).check();
                OpCheck.op("add", t -> t[0].add(t[1])).shapes(sh, s(sh[sh.length - 1])).check();
                OpCheck.op("lt", t -> t[0].lt(t[1])).shapes(sh, s(sh[sh.length - 1])).integers(-2, 2).tol(0, 0).check();
                OpCheck.op("where", t -> Tensor.where(t[0], t[1], t[1].neg())).shapes(sh, sh).integers(-1, 1).check();
                OpCheck.op("sum", t -> t[0].sum(-1, false)).shapes(sh).tol(1e-5, 1e-5).check();
                OpCheck.op("sum 0", t -> t[0].sum(0, false)).shapes(sh).tol(1e-5, 1e-5).check();
                OpCheck.op("argmax", t -> t[0].argmax(-1, false)).shapes(sh).integers(-3, 3).tol(0, 0).check();
                OpCheck.op("softmax", t -> t[0].softmax(-1)).shapes(sh).range(-10, 10).tol(1e-5, 1e-7).check();
                OpCheck.op("log_softmax", t -> t[0].logSoftmax(-1)).shapes(sh).range(-10, 10).tol(1e-5, 1e-6).check();
                OpCheck.op("layer_norm", t -> t[0].layerNorm(null, null, 1e-5)).shapes(sh).layouts(OpCheck.Layout.CONTIGUOUS).tol(1e-5, 1e-5).check();
            }
            OpCheck.op("matmul", t -> t[0].matmul(t[1].mT())).shapes(s(3, 9, 20), s(3, 7, 20)).range(-1, 1).tol(1e-5, 1e-5).check();
        }
        System.out.println("child ok: " + Backends.cpu().name());
    }

    static String runChild(String... props) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        for (String p : props) cmd.add(p);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ModeSwitchTest.class.getName());
        cmd.add(props[0].contains("reference") ? "reference" : "vector");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "child JVM failed:\n" + out);
        return out;
    }

    @Test
    void scalarSwitchKeepsKernelsCorrect() throws Exception {
        assertTrue(runChild("-Dclipcl.scalar=true").contains("child ok: vector"));
    }

    @Test
    void backendPropertySelectsTheReference() throws Exception {
        assertTrue(runChild("-Dclipcl.backend=reference").contains("child ok: reference"));
    }
}
