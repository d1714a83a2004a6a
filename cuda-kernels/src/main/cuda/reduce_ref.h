// CPU reference for reduce.cu: a left-to-right scan of each row of a [rows, n] array, as the Java
// ReferenceBackend does it (sum in double; max/min propagate NaN; arg ops give the first extreme,
// a NaN counting as extreme).
#pragma once
#include <math.h>

inline void ref_reduce_rows(int op, const double* x, int rows, int n, double* out) {
    for (int r = 0; r < rows; r++) {
        const double* v = x + (long) r * n;
        if (op == 0) {
            double s = 0;
            for (int j = 0; j < n; j++) s += v[j];
            out[r] = s;
        } else if (op == 1 || op == 2) {
            double acc = v[0];
            for (int j = 1; j < n; j++) {
                if (isnan(v[j]) || isnan(acc)) { acc = NAN; continue; }
                acc = op == 1 ? fmax(acc, v[j]) : fmin(acc, v[j]);
            }
            out[r] = acc;
        } else {
            int best = 0;
            for (int j = 1; j < n; j++) {
                double cur = v[best];
                if (isnan(cur)) break;
                if (isnan(v[j]) || (op == 3 ? v[j] > cur : v[j] < cur)) best = j;
            }
            out[r] = best;
        }
    }
}
