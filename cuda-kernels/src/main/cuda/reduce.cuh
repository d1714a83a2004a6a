// The combine rule of the max/min/argmax/argmin reductions, shared with the reference tests.
#pragma once
#include "common.cuh"

// Codes: the ordinals of clipcl.tensor.ReduceOp.
enum ReduceCode { R_SUM = 0, R_MAX = 1, R_MIN = 2, R_ARGMAX = 3, R_ARGMIN = 4 };

// A candidate extreme: its value and its position along the reduced dimension (i < 0: none yet).
struct Best {
    float v;
    int i;
};

// Picks what a left-to-right scan would pick: the first extreme, where NaN beats every number (so
// max/min propagate NaN, and argmax/argmin return the first NaN). It is associative and
// commutative, so a tree of merges in any order gives the sequential scan's answer.
HD Best best_merge(int op, Best a, Best b) {
    if (a.i < 0) return b;
    if (b.i < 0) return a;
    bool an = a.v != a.v, bn = b.v != b.v;
    if (an || bn) {
        if (an && bn) return a.i < b.i ? a : b;
        return an ? a : b;
    }
    bool bWins = (op == R_MAX || op == R_ARGMAX) ? b.v > a.v : b.v < a.v;
    if (bWins) return b;
    if (a.v == b.v) return a.i < b.i ? a : b;
    return a;
}
