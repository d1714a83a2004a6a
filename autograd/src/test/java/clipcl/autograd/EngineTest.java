package clipcl.autograd;

import static org.junit.jupiter.api.Assertions.*;

import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Graph mechanics: accumulation, no-grad, detach, frozen leaves, release of saved tensors. */
class EngineTest {
    private static Var param(double... v) { return Var.param(Tensor.of(v, v.length)); }

    @Test
    void gradientsAccumulateAcrossTwoBackwardPasses() {
        Var x = param(1, 2, 3);
        x.mul(x).sum().backward();            // d/dx sum x^2 = 2x
        assertArrayEquals(new double[] {2, 4, 6}, x.grad().toDoubleArray(), 1e-12);
        x.mul(3.0).sum().backward();          // + 3
        assertArrayEquals(new double[] {5, 7, 9}, x.grad().toDoubleArray(), 1e-12);
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void aValueUsedTwiceSumsItsGradients() {
        Var x = param(2);
        Var y = x.mul(x).add(x.exp());         // y = x^2 + e^x
        y.sum().backward();
        assertEquals(4 + Math.exp(2), x.grad().item(), 1e-12);
    }

    @Test
    void noGradScopeRecordsNothing() {
        Var x = param(1, 2);
        Var y;
        try (var g = Grad.noGrad()) {
            assertFalse(Grad.isEnabled());
            y = x.mul(2.0).exp();
            try (var e = Grad.enableGrad()) { assertTrue(Grad.isEnabled()); }
            assertFalse(Grad.isEnabled());
        }
        assertTrue(Grad.isEnabled());
        assertNull(y.gradFn());
        assertFalse(y.requiresGrad());
        assertThrows(IllegalStateException.class, () -> y.sum().backward());
    }

    @Test
    void detachStopsTheGraph() {
        Var x = param(1, 2);
        Var d = x.mul(2.0).detach();
        assertTrue(d.isLeaf());
        assertFalse(d.requiresGrad());
        Var z = x.mul(d).sum();               // dz/dx = d = 2x (d is a constant)
        z.backward();
        assertArrayEquals(new double[] {2, 4}, x.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void leavesWithoutRequiresGradGetNoGradient() {
        Var w = param(1, 2);
        Var frozen = param(3, 4);
        frozen.setRequiresGrad(false);
        Var c = Var.constant(Tensor.of(new double[] {5, 6}, 2));
        w.mul(frozen).mul(c).sum().backward();
        assertArrayEquals(new double[] {15, 24}, w.grad().toDoubleArray(), 1e-12);
        assertNull(frozen.grad());
        assertNull(c.grad());
        assertThrows(IllegalStateException.class, () -> w.mul(2.0).setRequiresGrad(false));
    }

    @Test
    void retainGradKeepsANonLeafGradient() {
        Var x = param(1, 2);
        Var y = x.mul(3.0).retainGrad();
        Var h = x.mul(2.0);
        y.mul(y).sum().add(h.sum()).backward();
        assertArrayEquals(new double[] {6, 12}, y.grad().toDoubleArray(), 1e-12); // 2y
        assertNull(h.grad());                                                      // not retained
    }

    @Test
    void savedTensorsAreReleasedByBackwardAndTheGraphIsFreed() {
        Var x = param(0.5, 1.5, 2.5);
        Var w = param(1, -1, 2);
        Var y = x.mul(w).exp().log().sum();
        List<Function> nodes = new ArrayList<>();
        List<Tensor> saved = new ArrayList<>();
        collect(y, nodes, saved);
        assertFalse(saved.isEmpty());
        for (Tensor t : saved) assertFalse(t.isClosed());
        y.backward();
        for (Function f : nodes) assertTrue(f.isReleased(), f.name() + " not released");
        for (Tensor t : saved) assertTrue(t.isClosed(), "a saved tensor stayed open");
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("already freed"), e.getMessage());
    }

    @Test
    void outputsClosedByAScopeStayUsableForBackward() {
        Var x = param(1, 2, 3);
        Var loss;
        try (Scope s = Scope.open()) {
            Var t = x.exp();                      // t's data dies with the scope, its node keeps what backward needs
            loss = t.mul(t).sum();
            Scope.detach(loss.data());
        }
        loss.backward();                          // d/dx e^{2x} = 2 e^{2x}
        assertEquals(2 * Math.exp(2), x.grad().getFlat(0), 1e-12);
        assertFalse(x.grad().isClosed());
    }

    @Test
    void gradientOfALeafIsItsOwnContiguousTensor() {
        Var a = param(1, 2), b = param(3, 4);
        a.add(b).sum().backward();                // add passes the same gradient to both
        assertNotSame(a.grad().storage(), b.grad().storage());
        Var m = Var.param(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3));
        m.sum().backward();                        // sum's gradient is a stride-0 view
        assertTrue(m.grad().isContiguous());
        assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, m.grad().toDoubleArray(), 0);
    }

    @Test
    void backwardWithAGradientAndErrors() {
        Var x = param(1, 2);
        Var y = x.mul(x);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("single-element"), e.getMessage());
        y.backward(Tensor.of(new double[] {1, 10}, 2));
        assertArrayEquals(new double[] {2, 40}, x.grad().toDoubleArray(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> x.mul(2.0).backward(Tensor.of(new double[] {1, 2, 3}, 3)));
    }

    @Test
    void freeGraphReleasesWithoutBackward() {
        Var x = param(1, 2);
        Var y = x.exp().sum();
        Function exp = y.gradFn().inputs().get(0).gradFn();
        Tensor saved = exp.savedTensors().get(0);
        y.freeGraph();
        assertTrue(saved.isClosed());
        assertThrows(IllegalStateException.class, y::backward);
    }

    @Test
    void afterBackwardNoIntermediateMemoryIsStillReferenced() {
        Var x = Var.param(Inputs.normal(1, 4, 8));
        Var w = Var.param(Inputs.normal(2, 8, 8));
        Var ln = Var.param(Inputs.normal(3, 8));
        Var loss;
        List<Tensor> saved = new ArrayList<>();
        try (Scope s = Scope.open()) {
            Var h = x.matmul(w).layerNorm(ln, null, 1e-5).quickGelu();
            List<Var> parts = h.split(4, 1);
            Var y = F.scaledDotProductAttention(parts.get(0).unsqueeze(0), parts.get(1).unsqueeze(0), parts.get(0).unsqueeze(0), null);
            loss = F.crossEntropy(y.squeeze(0), new int[] {0, 1, 2, 3});
            collect(loss, new ArrayList<>(), saved);
            Scope.detach(loss.data());
        }                                          // every op output is closed here; the graph holds what it saved
        List<clipcl.tensor.Storage> leafStorage = List.of(x.data().storage(), w.data().storage(), ln.data().storage());
        List<clipcl.tensor.Storage> storages = new ArrayList<>();
        for (Tensor t : saved) {
            assertFalse(t.storage().isFreed());
            storages.add(t.storage());
        }
        loss.backward();
        for (Tensor t : saved) assertTrue(t.isClosed());
        for (clipcl.tensor.Storage st : storages) {
            boolean ofLeaf = leafStorage.stream().anyMatch(l -> l == st);
            assertEquals(!ofLeaf, st.isFreed(), "intermediate memory still referenced after backward (or a leaf's freed)");
        }
        assertNotNull(x.grad());
        assertNotNull(w.grad());
        assertNotNull(ln.grad());
    }

    @Test
    void backwardOnALeafSeedsItsGradient() {
        Var x = param(1, 2);
        Tensor g = Tensor.of(new double[] {3, 4}, 2);
        x.backward(g);
        assertArrayEquals(new double[] {3, 4}, x.grad().toDoubleArray(), 0);
        assertNotSame(g.storage(), x.grad().storage());
    }

    private static void collect(Var v, List<Function> nodes, List<Tensor> saved) {
        if (v.gradFn() == null || nodes.contains(v.gradFn())) return;
        nodes.add(v.gradFn());
        saved.addAll(v.gradFn().savedTensors());
        for (Var p : v.gradFn().inputs()) collect(p, nodes, saved);
    }
}
