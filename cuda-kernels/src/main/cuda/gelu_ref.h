// CPU reference for gelu.cu, in double.
#pragma once
#include <math.h>

inline double ref_quick_gelu(double x) { return x / (1.0 + exp(-1.702 * x)); }

inline double ref_quick_gelu_grad(double x) {
    double s = 1.0 / (1.0 + exp(-1.702 * x));
    return s + 1.702 * x * s * (1.0 - s);
}
