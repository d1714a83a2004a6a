package clipcl.tensor;

/** Reductions along one dimension. MAX/MIN propagate NaN; ARGMAX/ARGMIN return the first extreme (a NaN counts as extreme). */
public enum ReduceOp { SUM, MAX, MIN, ARGMAX, ARGMIN }
