package clipcl.clip.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import clipcl.autograd.Var;
import clipcl.autograd.nn.Init;
import clipcl.autograd.optim.AdamW;
import clipcl.autograd.optim.GradClip;
import clipcl.autograd.optim.Optimizer;
import clipcl.autograd.optim.ParamGroups;
import clipcl.autograd.optim.Schedule;
import clipcl.tensor.ArrayPool;
import clipcl.tensor.DType;
import clipcl.tensor.Rng;
import clipcl.tensor.Scope;
import clipcl.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import org.junit.jupiter.api.Test;

/**
 * 1,000 training steps of a small transformer, each inside a Scope: after the first steps every
 * array comes from (and goes back to) the ArrayPool, so the pool's size and its count of fresh
 * allocations stop moving, and the live heap after a full GC stays where it was at step 10.
 */
class TrainingMemoryTest {
    @Test
    void memoryAtStep1000MatchesStep10() {
        Transformer m = new Transformer(16, 1, 2, Init.f32(1));
        Optimizer opt = new AdamW(ParamGroups.openClip(m.namedParameters(), 0.1), 0);
        Schedule sched = new Schedule.CosineWarmup(1e-3, 10, 1000);
        Tensor mask = MultiheadAttention.causalMask(6, DType.F32);
        Rng data = new Rng(3);
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long pool10 = 0, misses10 = 0, heap10 = 0;
        double first = 0, last = 0;
        for (int step = 1; step <= 1000; step++) {
            try (Scope s = Scope.open()) {
                sched.apply(opt, step - 1);
                Tensor x = data.uniform(DType.F32, -1, 1, 2, 6, 16);
                Var loss = m.forward(Var.constant(x), mask).square().mean();
                loss.backward();
                GradClip.clipGlobalNorm(m.trainableParameters().values(), 1.0);
                opt.step();
                opt.zeroGrad();
                last = loss.item();
                if (step == 1) first = last;
            }
            if (step == 10) {
                pool10 = ArrayPool.pooledBytes();
                misses10 = ArrayPool.misses();
                heap10 = usedAfterGc(mx);
            }
        }
        long pool1000 = ArrayPool.pooledBytes(), misses1000 = ArrayPool.misses(), heap1000 = usedAfterGc(mx);
        assertTrue(last < first, "training should lower the loss: " + first + " -> " + last);
        assertEquals(pool10, pool1000, "bytes parked in the pool");
        assertEquals(misses10, misses1000, "fresh arrays allocated after step 10");
        // Live heap: a few percent, plus 1 MiB for class loading/JIT bookkeeping that a GC cannot drop.
        assertTrue(heap1000 <= heap10 * 1.05 + (1 << 20), "used heap after GC: step 10 " + heap10 + " B, step 1000 " + heap1000 + " B");
        System.out.printf("memory: pool %d B at step 10 and %d B at step 1000; pool misses %d -> %d; heap after GC %d -> %d B%n",
                pool10, pool1000, misses10, misses1000, heap10, heap1000);
    }

    private static long usedAfterGc(MemoryMXBean mx) {
        System.gc();
        System.gc();
        return mx.getHeapMemoryUsage().getUsed();
    }
}
