// CPU reference for elementwise.cu: the scalar functions written out again from their
// definitions (independently of ops.cuh, which the kernels use) and broadcasting done by explicit
// multi-indices rather than by strides.
#pragma once
#include <math.h>

inline double ref_unary_scalar(int op, double x) {
    switch (op) {
        case 0: return -x;
        case 1: return fabs(x);
        case 2: return exp(x);
        case 3: return log(x);
        case 4: return sqrt(x);
        case 5: return 1.0 / sqrt(x);
        case 6: return 1.0 / x;
        case 7: return x * x;
        case 8: return tanh(x);
        case 9: return 1.0 / (1.0 + exp(-x));
        case 10: return isnan(x) ? x : (x > 0 ? x : 0.0);
        case 11: return 0.5 * x * erfc(-x / sqrt(2.0));  // = 0.5 x (1 + erf(x / sqrt 2)), without the cancellation
        case 12: return x / (1.0 + exp(-1.702 * x));
        default: return NAN;
    }
}

inline double ref_binary_scalar(int op, double a, double b, bool intResult) {
    switch (op) {
        case 0: return a + b;
        case 1: return a - b;
        case 2: return a * b;
        case 3: return intResult ? floor(a / b) : a / b;
        case 4: return pow(a, b);
        case 5: return (isnan(a) || isnan(b)) ? NAN : fmax(a, b);
        case 6: return (isnan(a) || isnan(b)) ? NAN : fmin(a, b);
        case 7: return a == b;
        case 8: return a != b;
        case 9: return a < b;
        case 10: return a <= b;
        case 11: return a > b;
        case 12: return a >= b;
        default: return NAN;
    }
}

// out[outDims] = op(a, b) with NumPy broadcasting of a[aDims] and b[bDims] (row-major arrays):
// each output multi-index is mapped into each operand by dropping the leading dims it lacks and
// pinning its size-1 dims to 0.
inline void ref_broadcast_binary(int op, const double* a, const int* aDims, int aRank,
                                 const double* b, const int* bDims, int bRank,
                                 double* out, const int* outDims, int outRank) {
    int n = 1;
    for (int d = 0; d < outRank; d++) n *= outDims[d];
    int idx[16];
    for (int i = 0; i < n; i++) {
        int rem = i;
        for (int d = outRank - 1; d >= 0; d--) { idx[d] = rem % outDims[d]; rem /= outDims[d]; }
        int pa = 0, pb = 0;
        for (int d = 0; d < aRank; d++) pa = pa * aDims[d] + (aDims[d] == 1 ? 0 : idx[d + outRank - aRank]);
        for (int d = 0; d < bRank; d++) pb = pb * bDims[d] + (bDims[d] == 1 ? 0 : idx[d + outRank - bRank]);
        out[i] = ref_binary_scalar(op, a[pa], b[pb], false);
    }
}
