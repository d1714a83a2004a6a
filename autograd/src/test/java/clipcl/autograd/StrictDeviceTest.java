package clipcl.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.nn.Init;
import clipcl.autograd.nn.Linear;
import clipcl.autograd.nn.Module;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.GradClip;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.ParamGroup;
import clipcl.autograd.optim.Sgd;
import clipcl.tensor.DType;
import clipcl.tensor.Device;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import clipcl.tensor.strict.StrictBackend;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Autograd on the strict test device: every gradient case (F64 and F32), run with its inputs on
 * {@link Device#TEST}, gives the CPU's outputs and gradients bit for bit, with no transfer between
 * the device and the host except the uploads the case asks for itself (constants it places, int[]
 * targets). A GPU backend refuses host operands the same way, so this is the CI proof that autograd
 * runs unchanged on a GPU. The same cases on {@code test:1} run the Backend defaults of the training
 * kernels (what a GPU backend inherits where it has no kernel) and must match to float tolerance.
 */
class StrictDeviceTest {
    /** Outputs, then each input's gradient (null where none), as doubles read back after the run. */
    private record Run(double[] out, double[][] grads, long transfers, long asked) { }

    private static Run run(GradCases.Case c, Device device, DType dtype) {
        Device old = Inputs.on(device);
        DType oldFloats = Inputs.floats(dtype);
        try (Scope s = Scope.open()) {
            List<Var> in = new ArrayList<>();
            for (Var v : c.inputs().get()) in.add(new Var(v.data().to(dtype), v.requiresGrad()));
            Tensor seedHost;
            Var probe;
            try (Grad.Mode g = Grad.noGrad()) { probe = c.fn().apply(in); }
            seedHost = new Rng(99).normal(dtype, 0, 1, probe.dims());
            Tensor seed = seedHost.to(device);
            StrictBackend.resetTransfers();
            Inputs.PLACED.get()[0] = 0;
            Var out = c.fn().apply(in);
            if (out.requiresGrad()) out.backward(seed);
            long transfers = StrictBackend.transfers();
            long asked = Inputs.PLACED.get()[0] + (c.name().contains("int[]") ? 1 : 0);
            double[] y = out.data().toDoubleArray();
            double[][] g = new double[in.size()][];
            for (int i = 0; i < in.size(); i++) if (in.get(i).grad() != null) g[i] = in.get(i).grad().toDoubleArray();
            return new Run(y, g, transfers, asked);
        } finally {
            Inputs.on(old);
            Inputs.floats(oldFloats);
        }
    }

    static Stream<DynamicTest> compare(Device device, DType dtype, boolean exact) {
        return GradCases.all().stream().map(c -> DynamicTest.dynamicTest(c.name() + " " + dtype, () -> {
            Run cpu = run(c, Device.CPU, dtype), dev = run(c, device, dtype);
            // Only the default of scatter_add (the backward of index_select, embedding, gather, max
            // and cross-entropy) goes through the CPU backend; everything else stays on the device.
            boolean scatters = !exact && c.name().matches("(?i).*(indexSelect|embedding|gather|max|min|crossEntropy).*");
            // Only the strict device counts its transfers (a GPU backend does not).
            if (!scatters && device.kind() == Device.Kind.TEST) {
                assertEquals(dev.asked(), dev.transfers(), c.name() + ": transfers between " + device + " and the host besides those the case asked for");
            }
            double tol = dtype == DType.F64 ? 1e-10 : 2e-5;
            check(c.name() + ": output", cpu.out(), dev.out(), exact, tol);
            for (int i = 0; i < cpu.grads().length; i++) {
                if (cpu.grads()[i] == null) continue;
                assertNotNull(dev.grads()[i], c.name() + ": input " + i + " got no gradient on " + device);
                check(c.name() + ": gradient of input " + i, cpu.grads()[i], dev.grads()[i], exact, tol);
            }
        }));
    }

    private static void check(String what, double[] want, double[] got, boolean exact, double tol) {
        if (exact) { assertArrayEquals(want, got, 0.0, what + " (must equal the CPU's bit for bit)"); return; }
        assertEquals(want.length, got.length, what);
        for (int j = 0; j < want.length; j++) {
            if (Double.isNaN(want[j])) { assertTrue(Double.isNaN(got[j]), what + " element " + j); continue; }
            assertEquals(want[j], got[j], tol * (1 + Math.abs(want[j])), what + " element " + j);
        }
    }

    @TestFactory
    Stream<DynamicTest> gradientCasesEqualTheCpuF64() { return compare(Device.TEST, DType.F64, true); }

    @TestFactory
    Stream<DynamicTest> gradientCasesEqualTheCpuF32() { return compare(Device.TEST, DType.F32, true); }

    @TestFactory
    Stream<DynamicTest> backendDefaultsMatchTheFusedCpuKernels() { return compare(StrictBackend.DEFAULTS, DType.F64, false); }

    @Test
    void hostOperandsAreRefused() {
        try (Scope s = Scope.open()) {
            Var w = Var.param(Tensor.ones(DType.F32, Device.TEST, 3, 4));
            Tensor host = Tensor.ones(DType.F32, 2, 4);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.linear(Var.constant(host), w, null));
            assertTrue(e.getMessage().contains("different devices"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> StrictBackend.get().fill(host, 1.0));
            assertThrows(IllegalStateException.class, () -> w.data().get(0, 0), "element access needs the host");
        }
    }

    /** A small model trained for a few steps on each device: same losses and weights, no transfers inside a step. */
    private static final class Net extends Module {
        Net(Init init) {
            registerModule("a", new Linear(6, 8, init));
            registerModule("b", new Linear(8, 3, init));
        }

        Var forward(Var x) { return this.<Linear>child("b").forward(this.<Linear>child("a").forward(x).quickGelu().layerNorm(null, null, 1e-5)); }
    }

    private static double[] train(Device device, boolean adam) {
        Net net = new Net(Init.f32(5));
        net.to(device);
        List<ParamGroup> groups = List.of(new ParamGroup("all", net.namedParameters(), 0.01, 1.0));
        Optimizer opt = adam ? new AdamW(groups, 1e-2) : new Sgd(groups, 0.1, 0.9, 0, true);
        Tensor x = new Rng(7).normal(DType.F32, 0, 1, 5, 6).to(device);
        Tensor t = Tensor.of(new int[] {0, 2, 1, 1, 0}, 5).to(device);
        double[] losses = new double[4];
        for (int step = 0; step < 4; step++) {
            StrictBackend.resetTransfers();
            Tensor lossValue;
            try (Scope s = Scope.open()) {
                Var loss = F.crossEntropy(net.forward(Var.constant(x)), t);
                loss.backward();
                lossValue = s.keep(loss.data());
            }
            Tensor norm = GradClip.clipGlobalNormTensor(net.namedParameters().values(), 0.5);
            opt.step();
            opt.zeroGrad();
            if (device.kind() == Device.Kind.TEST) assertEquals(0, StrictBackend.transfers(), "transfers inside a training step on " + device);
            losses[step] = lossValue.item();
            norm.close();
        }
        double[] out = new double[losses.length + (int) net.numParameters()];
        System.arraycopy(losses, 0, out, 0, losses.length);
        int at = losses.length;
        for (Map.Entry<String, Var> e : net.namedParameters().entrySet()) {
            double[] v = e.getValue().data().toDoubleArray();
            System.arraycopy(v, 0, out, at, v.length);
            at += v.length;
        }
        net.release();
        return out;
    }

    @Test
    void trainingStepsEqualTheCpuWithoutTransfers() {
        for (boolean adam : new boolean[] {true, false}) {
            assertArrayEquals(train(Device.CPU, adam), train(Device.TEST, adam), 0.0, (adam ? "AdamW" : "SGD") + ": losses and weights on test vs cpu");
        }
    }

    @Test
    void deviceMemoryStaysFlatOverAThousandSteps() {
        Net net = new Net(Init.f32(9));
        net.to(Device.TEST);
        Optimizer opt = new AdamW(List.of(new ParamGroup("all", net.namedParameters(), 0.01, 1.0)), 1e-3);
        Tensor x = new Rng(3).normal(DType.F32, 0, 1, 5, 6).to(Device.TEST), t = Tensor.of(new int[] {0, 2, 1, 1, 0}, 5).to(Device.TEST);
        long[] inUse = new long[1000];
        for (int step = 0; step < inUse.length; step++) {
            try (Scope s = Scope.open()) {
                F.crossEntropy(net.forward(Var.constant(x)), t).backward();
            }
            Tensor norm = GradClip.clipGlobalNormTensor(net.namedParameters().values(), 1.0);
            opt.step();
            opt.zeroGrad();
            norm.close();
            inUse[step] = StrictBackend.heldBytes(); // in use + leaked: independent of when the collector runs
        }
        // Step 0 creates the optimizer state; from then on every step gives back all it took.
        for (int step = 1; step < inUse.length; step++) assertEquals(inUse[1], inUse[step], "device bytes in use after step " + step);
        net.release();
        x.close();
        t.close();
    }

    @Test
    void moduleToMovesParametersAndBuffersAndBack() {
        Net net = new Net(Init.f32(3));
        double[] before = net.namedParameters().get("a.weight").data().toDoubleArray();
        net.to(Device.TEST);
        for (Var v : net.namedParameters().values()) assertEquals(Device.TEST, v.data().device());
        assertEquals(Device.TEST, net.device());
        net.to(Device.CPU);
        assertArrayEquals(before, net.namedParameters().get("a.weight").data().toDoubleArray(), 0.0);
        net.release();
    }
}
