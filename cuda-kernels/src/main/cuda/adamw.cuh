// One AdamW step for one parameter, torch.optim.AdamW's formulas (decoupled weight decay applied
// before the moment update; bias corrections bc1 = 1 - beta1^t, bc2 = 1 - beta2^t from the host):
//   p -= lr * wd * p
//   m  = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
//   p -= (lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
// Shared by the kernel and the reference tests.
#pragma once
#include "common.cuh"

struct AdamWParams {
    float lr, beta1, beta2, eps, weightDecay, bc1, bc2, gradScale;
};

HD void adamw_update(const AdamWParams& h, float* p, float g, float* m, float* v) {
    g *= h.gradScale;
    float pv = *p * (1.0f - h.lr * h.weightDecay);
    float mv = h.beta1 * *m + (1.0f - h.beta1) * g;
    float vv = h.beta2 * *v + (1.0f - h.beta2) * g * g;
    float denom = sqrtf(vv) / sqrtf(h.bc2) + h.eps;
    *p = pv - (h.lr / h.bc1) * mv / denom;
    *m = mv;
    *v = vv;
}
