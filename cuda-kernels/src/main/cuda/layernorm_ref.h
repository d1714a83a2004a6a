// CPU reference for layernorm.cu, in double (w, b may be null).
#pragma once
#include <math.h>

inline void ref_layernorm_forward(const double* x, const double* w, const double* b, double* y,
                                  double* mean, double* rstd, int rows, int n, double eps) {
    for (int r = 0; r < rows; r++) {
        const double* xr = x + (long) r * n;
        double m = 0, v = 0;
        for (int j = 0; j < n; j++) m += xr[j];
        m /= n;
        for (int j = 0; j < n; j++) v += (xr[j] - m) * (xr[j] - m);
        v /= n;
        double rs = 1.0 / sqrt(v + eps);
        for (int j = 0; j < n; j++) {
            double t = (xr[j] - m) * rs;
            y[(long) r * n + j] = t * (w ? w[j] : 1.0) + (b ? b[j] : 0.0);
        }
        if (mean) mean[r] = m;
        if (rstd) rstd[r] = rs;
    }
}

// dw and db are overwritten (not accumulated); either may be null.
inline void ref_layernorm_backward(const double* dy, const double* x, const double* w, const double* mean,
                                   const double* rstd, double* dx, double* dw, double* db, int rows, int n) {
    if (dw) for (int j = 0; j < n; j++) dw[j] = 0;
    if (db) for (int j = 0; j < n; j++) db[j] = 0;
    for (int r = 0; r < rows; r++) {
        const double* gr = dy + (long) r * n;
        const double* xr = x + (long) r * n;
        double sg = 0, sgx = 0;
        for (int j = 0; j < n; j++) {
            double xhat = (xr[j] - mean[r]) * rstd[r];
            double g = gr[j] * (w ? w[j] : 1.0);
            sg += g;
            sgx += g * xhat;
            if (dw) dw[j] += gr[j] * xhat;
            if (db) db[j] += gr[j];
        }
        sg /= n;
        sgx /= n;
        for (int j = 0; j < n; j++) {
            double xhat = (xr[j] - mean[r]) * rstd[r];
            double g = gr[j] * (w ? w[j] : 1.0);
            dx[(long) r * n + j] = rstd[r] * (g - sg - xhat * sgx);
        }
    }
}
