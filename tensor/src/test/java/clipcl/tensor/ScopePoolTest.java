package clipcl.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Scopes close what was made in them; the array pool serves a training-like loop without new arrays. */
class ScopePoolTest {
    @Test
    void scopeClosesItsTensorsAndKeepHandsOneOut() {
        Tensor kept, dropped, view;
        try (Scope outer = Scope.open()) {
            try (Scope inner = Scope.open()) {
                Tensor a = Tensor.ones(DType.F32, 4, 8);
                dropped = a.mul(2).add(1);
                view = dropped.mT();
                kept = inner.keep(a.sum(1, false));
                assertTrue(inner.size() >= 3);
            }
            assertTrue(dropped.isClosed());
            assertTrue(view.isClosed());
            assertFalse(kept.isClosed());
            assertEquals(8, kept.get(0), 0);
            assertEquals(1, outer.size()); // kept moved to the enclosing scope
        }
        assertTrue(kept.isClosed());
    }

    @Test
    void detachedTensorsOutliveEveryScope() {
        Tensor t;
        try (Scope s = Scope.open()) {
            t = Scope.detach(Tensor.zeros(DType.F32, 3));
        }
        assertFalse(t.isClosed());
        t.close();
        assertTrue(t.isClosed());
    }

    @Test
    void scopesMustCloseInnermostFirstOnTheirThread() throws Exception {
        Scope a = Scope.open();
        Scope b = Scope.open();
        assertThrows(IllegalStateException.class, a::close);
        b.close();
        Thread other = new Thread(() -> assertThrows(IllegalStateException.class, a::close));
        other.start();
        other.join();
        a.close();
    }

    @Test
    void poolServesALoopFromRecycledArrays() {
        // a "step": matmul, bias, gelu, softmax, sum on fixed shapes, all intermediates freed by the scope
        Tensor w = Tensor.full(0.01, DType.F32, 64, 96);
        Tensor b = Tensor.zeros(DType.F32, 96);
        long hits0 = 0, misses0 = 0;
        for (int step = 0; step < 6; step++) {
            if (step == 2) { hits0 = ArrayPool.hits(); misses0 = ArrayPool.misses(); }
            try (Scope s = Scope.open()) {
                Tensor x = Tensor.full(step, DType.F32, 32, 64);
                Tensor y = x.matmul(w).add(b).gelu().softmax(-1).sum(0, false);
                assertEquals(96, y.numel());
            }
        }
        long hits = ArrayPool.hits() - hits0, misses = ArrayPool.misses() - misses0;
        // steps 2..5 allocate only shapes the earlier steps returned (other tests may run beside: few misses)
        assertTrue(hits >= 4 * 5, "pool hits " + hits);
        assertTrue(misses <= hits / 4, "pool misses " + misses + " vs hits " + hits);
        w.close();
        b.close();
    }

    @Test
    void freedStorageCannotBeRevived() {
        Tensor t = Tensor.zeros(DType.F32, 5);
        Storage s = t.storage();
        t.close();
        assertTrue(s.isFreed());
        assertThrows(IllegalStateException.class, () -> Tensor.wrap(s, Shape.of(5), new int[] {1}, 0));
    }
}
