// Row-wise softmax and log-softmax over the last dimension of a contiguous F32 [rows, n] tensor,
// forward and backward. Rows of up to 1024 elements (attention rows of 50 or 77, class logits) get
// one warp each, eight rows to a 256-thread block: no shared memory and no barriers. Longer rows get
// a block each. The forward pass reads a row twice: once to build the online (max, sum-of-exp)
// state, once to write. The backward passes take the forward's output y:
//   softmax:     dx = y * (dy - sum(dy * y))
//   log-softmax: dx = dy - exp(y) * sum(dy)
// CPU reference: softmax_ref.h.
#include "common.cuh"

#define ROWS_PER_BLOCK 8

extern "C" __global__ void softmax_forward_warp(const float* x, float* out, int rows, int n, int logOut) {
    int row = blockIdx.x * ROWS_PER_BLOCK + threadIdx.x / WARP, lane = threadIdx.x % WARP;
    if (row >= rows) return;  // whole warps leave together: no shuffle sees a missing lane
    const float* xr = x + (long) row * n;
    float* yr = out + (long) row * n;
    MaxSum st{-INFINITY, 0.0f};
    for (int j = lane; j < n; j += WARP) st = maxsum_push(st, xr[j]);
    st = warp_maxsum(st);
    float logSum = logf(st.s), inv = 1.0f / st.s;
    for (int j = lane; j < n; j += WARP) yr[j] = logOut ? xr[j] - st.m - logSum : expf(xr[j] - st.m) * inv;
}

// blockDim.x: a multiple of 32.
extern "C" __global__ void softmax_forward_block(const float* x, float* out, int rows, int n, int logOut) {
    __shared__ float shared[2 * WARP];
    for (int row = blockIdx.x; row < rows; row += gridDim.x) {
        const float* xr = x + (long) row * n;
        float* yr = out + (long) row * n;
        MaxSum st{-INFINITY, 0.0f};
        for (int j = threadIdx.x; j < n; j += blockDim.x) st = maxsum_push(st, xr[j]);
        st = block_maxsum(st, shared);
        float logSum = logf(st.s), inv = 1.0f / st.s;
        for (int j = threadIdx.x; j < n; j += blockDim.x) yr[j] = logOut ? xr[j] - st.m - logSum : expf(xr[j] - st.m) * inv;
    }
}

extern "C" __global__ void softmax_backward_warp(const float* y, const float* dy, float* dx, int rows, int n, int logOut) {
    int row = blockIdx.x * ROWS_PER_BLOCK + threadIdx.x / WARP, lane = threadIdx.x % WARP;
    if (row >= rows) return;
    const float* yr = y + (long) row * n;
    const float* gr = dy + (long) row * n;
    float* dr = dx + (long) row * n;
    float s = 0.0f;
    for (int j = lane; j < n; j += WARP) s += logOut ? gr[j] : gr[j] * yr[j];
    s = warp_sum(s);
    for (int j = lane; j < n; j += WARP) dr[j] = logOut ? gr[j] - expf(yr[j]) * s : yr[j] * (gr[j] - s);
}

extern "C" __global__ void softmax_backward_block(const float* y, const float* dy, float* dx, int rows, int n, int logOut) {
    __shared__ float shared[WARP];
    for (int row = blockIdx.x; row < rows; row += gridDim.x) {
        const float* yr = y + (long) row * n;
        const float* gr = dy + (long) row * n;
        float* dr = dx + (long) row * n;
        float s = 0.0f;
        for (int j = threadIdx.x; j < n; j += blockDim.x) s += logOut ? gr[j] : gr[j] * yr[j];
        s = block_sum(s, shared);
        for (int j = threadIdx.x; j < n; j += blockDim.x) dr[j] = logOut ? gr[j] - expf(yr[j]) * s : yr[j] * (gr[j] - s);
    }
}
