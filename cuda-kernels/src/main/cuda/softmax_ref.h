// CPU reference for softmax.cu, in double: rows of a contiguous [rows, n] array.
#pragma once
#include <math.h>

inline void ref_softmax_forward(const double* x, double* y, int rows, int n, bool logOut) {
    for (int r = 0; r < rows; r++) {
        const double* xr = x + (long) r * n;
        double* yr = y + (long) r * n;
        double m = -INFINITY;
        for (int j = 0; j < n; j++) m = fmax(m, xr[j]);
        double s = 0;
        for (int j = 0; j < n; j++) s += exp(xr[j] - m);
        for (int j = 0; j < n; j++) yr[j] = logOut ? xr[j] - m - log(s) : exp(xr[j] - m) / s;
    }
}

// y is the forward's output; dx = J^T dy.
inline void ref_softmax_backward(const double* y, const double* dy, double* dx, int rows, int n, bool logOut) {
    for (int r = 0; r < rows; r++) {
        const double* yr = y + (long) r * n;
        const double* gr = dy + (long) r * n;
        double s = 0;
        for (int j = 0; j < n; j++) s += logOut ? gr[j] : gr[j] * yr[j];
        for (int j = 0; j < n; j++) dx[(long) r * n + j] = logOut ? gr[j] - exp(yr[j]) * s : yr[j] * (gr[j] - s);
    }
}
