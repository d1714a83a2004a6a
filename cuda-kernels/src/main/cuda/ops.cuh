// Elementwise operation codes and their scalar definitions, shared by the kernels (device) and the
// reference tests (host). The codes are the ordinals of clipcl.tensor.UnaryOp and BinaryOp; the
// Java test OpCodesTest reads this file and fails if the two ever drift apart.
#pragma once
#include "common.cuh"
#include <math.h>

enum UnaryCode {
    U_NEG = 0, U_ABS = 1, U_EXP = 2, U_LOG = 3, U_SQRT = 4, U_RSQRT = 5, U_RECIPROCAL = 6,
    U_SQUARE = 7, U_TANH = 8, U_SIGMOID = 9, U_RELU = 10, U_GELU = 11, U_QUICK_GELU = 12
};

enum BinaryCode {
    B_ADD = 0, B_SUB = 1, B_MUL = 2, B_DIV = 3, B_POW = 4, B_MAX = 5, B_MIN = 6,
    B_EQ = 7, B_NE = 8, B_LT = 9, B_LE = 10, B_GT = 11, B_GE = 12
};

// OpenAI CLIP's QuickGELU constant: x * sigmoid(1.702 x).
#define QUICK_GELU_K 1.702

// T is float for float results and double where the result or an operand is I32 (exact integers).
// Plain exp/log/tanh/erf name the overloads for T in both CUDA and C++ (<cmath> overloads).
template <typename T>
HD T unary_apply(int op, T x) {
    switch (op) {
        case U_NEG: return -x;
        case U_ABS: return x < T(0) ? -x : (x == T(0) ? T(0) : x);
        case U_EXP: return exp(x);
        case U_LOG: return log(x);
        case U_SQRT: return sqrt(x);
        case U_RSQRT: return T(1) / sqrt(x);
        case U_RECIPROCAL: return T(1) / x;
        case U_SQUARE: return x * x;
        case U_TANH: return tanh(x);
        case U_SIGMOID: return T(1) / (T(1) + exp(-x));
        case U_RELU: return x > T(0) ? x : (x == x ? T(0) : x);
        // erfc, not 1 + erf: for x << 0 the sum cancels and loses all float precision.
        case U_GELU: return T(0.5) * x * erfc(-x * T(0.70710678118654752440));
        case U_QUICK_GELU: return x / (T(1) + exp(T(-QUICK_GELU_K) * x));
        default: return x;
    }
}

// intResult: the output is I32, where DIV is floor division as in the Java reference.
template <typename T>
HD T binary_apply(int op, T a, T b, bool intResult) {
    switch (op) {
        case B_ADD: return a + b;
        case B_SUB: return a - b;
        case B_MUL: return a * b;
        case B_DIV: return intResult ? floor(a / b) : a / b;
        case B_POW: return pow(a, b);
        case B_MAX: return (a != a || b != b) ? a + b : (a > b ? a : b);  // a + b: NaN, as torch.maximum
        case B_MIN: return (a != a || b != b) ? a + b : (a < b ? a : b);
        case B_EQ: return a == b ? T(1) : T(0);
        case B_NE: return a != b ? T(1) : T(0);
        case B_LT: return a < b ? T(1) : T(0);
        case B_LE: return a <= b ? T(1) : T(0);
        case B_GT: return a > b ? T(1) : T(0);
        case B_GE: return a >= b ? T(1) : T(0);
        default: return a;
    }
}
