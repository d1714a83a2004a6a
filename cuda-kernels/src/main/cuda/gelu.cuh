// QuickGELU's scalar formulas, shared by the kernels and the reference tests.
#pragma once
#include "common.cuh"

HD float quick_gelu_sigmoid(float x) { return 1.0f / (1.0f + expf(-1.702f * x)); }

HD float quick_gelu(float x) { return x * quick_gelu_sigmoid(x); }

// d/dx [x s(kx)] = s + k x s (1 - s)
HD float quick_gelu_grad(float x) {
    float s = quick_gelu_sigmoid(x);
    return s + 1.702f * x * s * (1.0f - s);
}
