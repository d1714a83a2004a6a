// CPU reference for crossentropy.cu and softmax_kl.cu, in double.
#pragma once
#include <math.h>

inline double ref_row_lse(const double* x, int n, double scale) {
    double m = -INFINITY, s = 0;
    for (int j = 0; j < n; j++) m = fmax(m, x[j] * scale);
    for (int j = 0; j < n; j++) s += exp(x[j] * scale - m);
    return m + log(s);
}

inline void ref_cross_entropy_forward(const double* x, const int* t, double* loss, int rows, int C) {
    for (int r = 0; r < rows; r++) loss[r] = ref_row_lse(x + (long) r * C, C, 1.0) - x[(long) r * C + t[r]];
}

inline void ref_cross_entropy_backward(const double* x, const int* t, const double* dloss, double* dx, int rows, int C) {
    for (int r = 0; r < rows; r++) {
        double lse = ref_row_lse(x + (long) r * C, C, 1.0);
        for (int c = 0; c < C; c++) dx[(long) r * C + c] = (exp(x[(long) r * C + c] - lse) - (c == t[r])) * dloss[r];
    }
}

inline void ref_softmax_kl_forward(const double* tl, const double* sl, double* kl, int rows, int C, double T) {
    for (int r = 0; r < rows; r++) {
        const double* tr = tl + (long) r * C;
        const double* sr = sl + (long) r * C;
        double lt = ref_row_lse(tr, C, 1.0 / T), ls = ref_row_lse(sr, C, 1.0 / T), acc = 0;
        for (int c = 0; c < C; c++) {
            double lp = tr[c] / T - lt, lq = sr[c] / T - ls;
            acc += exp(lp) * (lp - lq);
        }
        kl[r] = acc;
    }
}

inline void ref_softmax_kl_backward(const double* tl, const double* sl, const double* dkl, double* ds, int rows, int C, double T) {
    for (int r = 0; r < rows; r++) {
        const double* tr = tl + (long) r * C;
        const double* sr = sl + (long) r * C;
        double lt = ref_row_lse(tr, C, 1.0 / T), ls = ref_row_lse(sr, C, 1.0 / T);
        for (int c = 0; c < C; c++) ds[(long) r * C + c] = (exp(sr[c] / T - ls) - exp(tr[c] / T - lt)) / T * dkl[r];
    }
}
