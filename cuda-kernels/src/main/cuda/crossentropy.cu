// Cross-entropy of logits [rows, C] (contiguous F32) against integer targets [rows] (I32), one
// warp per row for the forward, one thread per logit for the backward:
//   loss[r]      = lse[r] - x[r, t[r]],      lse[r] = log sum_c exp(x[r, c])
//   dx[r, c]     = (exp(x[r, c] - lse[r]) - [c == t[r]]) * dloss[r]
// The forward saves lse per row so the backward is a single elementwise pass. A target outside
// [0, C) gives a NaN loss and sets *bad to 1 + that row (the host checks it and names the row);
// the mean over rows, ignore-index and label smoothing stay on the host side (plain tensor ops).
// CPU reference: losses_ref.h.
#include "common.cuh"

#define ROWS_PER_BLOCK 8

extern "C" __global__ void cross_entropy_forward(const float* x, const int* target, float* loss, float* lse,
                                                 int rows, int C, int* bad) {
    int row = blockIdx.x * ROWS_PER_BLOCK + threadIdx.x / WARP, lane = threadIdx.x % WARP;
    if (row >= rows) return;
    const float* xr = x + (long) row * C;
    MaxSum st{-INFINITY, 0.0f};
    for (int j = lane; j < C; j += WARP) st = maxsum_push(st, xr[j]);
    st = warp_maxsum(st);
    if (lane == 0) {
        float l = st.m + logf(st.s);
        int t = target[row];
        if (t < 0 || t >= C) {
            loss[row] = NAN;
            atomicCAS(bad, 0, row + 1);
        } else {
            loss[row] = l - xr[t];
        }
        lse[row] = l;
    }
}

extern "C" __global__ void cross_entropy_backward(const float* x, const int* target, const float* lse,
                                                  const float* dloss, float* dx, int rows, int C) {
    long total = (long) rows * C;
    for (long i = blockIdx.x * (long) blockDim.x + threadIdx.x; i < total; i += (long) blockDim.x * gridDim.x) {
        int r = (int) (i / C), c = (int) (i % C);
        float p = expf(x[i] - lse[r]);
        dx[i] = (p - (c == target[r] ? 1.0f : 0.0f)) * dloss[r];
    }
}
