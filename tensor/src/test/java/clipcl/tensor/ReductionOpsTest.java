package clipcl.tensor;

import static clipcl.tensor.OpCheck.s;

import org.junit.jupiter.api.Test;

/** Vector backend (F32) against the reference (F64) for sum/mean/max/min/argmax/argmin/var. */
class ReductionOpsTest {
    static final int[][] SHAPES = {s(1), s(37), s(4, 1), s(6, 33), s(3, 5, 18), s(2, 1, 3, 40), s(100, 7)};

    @Test
    void sumAndMeanAlongEachDim() {
        for (int[] sh : SHAPES) {
            for (int d = -sh.length; d < sh.length; d++) {
                int dim = d;
                OpCheck.op("sum dim " + dim, t -> t[0].sum(dim, false)).shapes(sh).tol(1e-5, 1e-5).check();
                OpCheck.op("sum keepdim " + dim, t -> t[0].sum(dim, true)).shapes(sh).tol(1e-5, 1e-5).check();
                OpCheck.op("mean dim " + dim, t -> t[0].mean(dim, false)).shapes(sh).tol(1e-5, 1e-6).check();
            }
            OpCheck.op("sum all", t -> t[0].sum()).shapes(sh).tol(1e-5, 1e-5).check();
            OpCheck.op("mean all", t -> t[0].mean()).shapes(sh).tol(1e-5, 1e-6).check();
        }
    }

    @Test
    void sumOverSeveralDimsAndEmpty() {
        OpCheck.op("sum dims 0,2", t -> t[0].sum(new int[] {0, 2}, false)).shapes(s(3, 4, 17)).tol(1e-5, 1e-5).check();
        OpCheck.op("sum dims -1,0 keep", t -> t[0].sum(new int[] {-1, 0}, true)).shapes(s(3, 4, 17)).tol(1e-5, 1e-5).check();
        OpCheck.op("sum no dims", t -> t[0].sum(new int[] {}, false)).shapes(s(3, 4)).check();
        // an empty reduced dimension sums to zero; an empty kept dimension gives an empty result
        OpCheck.op("sum empty dim", t -> t[0].sum(1, false)).shapes(s(3, 0)).check();
        OpCheck.op("sum of empty rows", t -> t[0].sum(1, false)).shapes(s(0, 5)).check();
        OpCheck.op("mean empty", t -> t[0].sum()).shapes(s(0, 5)).check();
    }

    @Test
    void maxMinArgAlongEachDim() {
        for (int[] sh : SHAPES) {
            for (int d = 0; d < sh.length; d++) {
                int dim = d;
                OpCheck.op("max " + dim, t -> t[0].max(dim, false)).shapes(sh).tol(0, 0).check();
                OpCheck.op("min " + dim, t -> t[0].min(dim, true)).shapes(sh).tol(0, 0).check();
                // integer values: ties, so the first index must win
                OpCheck.op("argmax " + dim, t -> t[0].argmax(dim, false)).shapes(sh).integers(-3, 3).tol(0, 0).check();
                OpCheck.op("argmin " + dim, t -> t[0].argmin(dim, true)).shapes(sh).integers(-3, 3).tol(0, 0).check();
            }
            OpCheck.op("max all", t -> t[0].max()).shapes(sh).tol(0, 0).check();
            OpCheck.op("min all", t -> t[0].min()).shapes(sh).tol(0, 0).check();
        }
    }

    @Test
    void variance() {
        for (int[] sh : new int[][] {s(6, 33), s(3, 5, 18), s(100, 7)}) {
            for (int d = 0; d < sh.length; d++) {
                int dim = d;
                OpCheck.op("var " + dim, t -> t[0].var(dim, false)).shapes(sh).tol(1e-5, 1e-6).check();
                OpCheck.op("var biased " + dim, t -> t[0].var(new int[] {dim}, true, false)).shapes(sh).tol(1e-5, 1e-6).check();
            }
        }
        // large mean, small spread: the centred formula must not cancel
        OpCheck.op("var offset", t -> t[0].add(1000).var(-1, false)).shapes(s(4, 64)).tol(1e-3, 1e-6).check();
    }
}
