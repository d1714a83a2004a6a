// CPU reference for adamw.cu: torch.optim.AdamW's step, in double, with the bias corrections
// computed from the step count t (1-based) here rather than passed in.
#pragma once
#include <math.h>

inline void ref_adamw_step(double* p, const double* g, double* m, double* v, int n, int t, double lr,
                           double beta1, double beta2, double eps, double wd) {
    double bc1 = 1 - pow(beta1, t), bc2 = 1 - pow(beta2, t);
    for (int i = 0; i < n; i++) {
        p[i] *= 1 - lr * wd;
        m[i] = beta1 * m[i] + (1 - beta1) * g[i];
        v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
        double mhat = m[i] / bc1, vhat = v[i] / bc2;
        p[i] -= lr * mhat / (sqrt(vhat) + eps);
    }
}
