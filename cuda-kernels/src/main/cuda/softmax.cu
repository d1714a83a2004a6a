// Row-wise softmax and log-softmax over the last dimension of a contiguous F32 [rows, n] tensor,
// forward and backward. Rows of up to 1024 elements (attention rows of 50 or 77, class logits) get
// one warp each, eight rows to a 256-thread block: no shared memory and no barriers. Longer rows get
// a block each.
// A warp row of up to ROW_REGS * 32 elements is held in registers: every load of the row is issued
// before the first reduction (memory-level parallelism is what a 50-wide row lacks), the max and the
// sum of exponentials are two warp reductions, and each element costs one expf. Longer warp rows
// fall back to an online (max, sum-of-exp) pass and a second read.
// The backward passes take the forward's output y:
//   softmax:     dx = y * (dy - sum(dy * y))
//   log-softmax: dx = dy - exp(y) * sum(dy)
// CPU reference: softmax_ref.h.
#include "common.cuh"

#define ROWS_PER_BLOCK 8
#define ROW_REGS 8

template <int K>
__device__ __forceinline__ void softmax_row_in_registers(const float* xr, float* yr, int n, int lane, int logOut) {
    float v[K];
#pragma unroll
    for (int i = 0; i < K; i++) { int j = lane + i * WARP; v[i] = j < n ? xr[j] : -INFINITY; }
    float m = v[0];
#pragma unroll
    for (int i = 1; i < K; i++) m = fmaxf(m, v[i]);
    m = warp_max(m);
    float s = 0.0f;
    if (logOut) {
#pragma unroll
        for (int i = 0; i < K; i++) { v[i] -= m; s += expf(v[i]); }  // padding: exp(-inf) = 0
        float logSum = logf(warp_sum(s));
#pragma unroll
        for (int i = 0; i < K; i++) { int j = lane + i * WARP; if (j < n) yr[j] = v[i] - logSum; }
    } else {
#pragma unroll
        for (int i = 0; i < K; i++) { v[i] = expf(v[i] - m); s += v[i]; }
        float inv = 1.0f / warp_sum(s);
#pragma unroll
        for (int i = 0; i < K; i++) { int j = lane + i * WARP; if (j < n) yr[j] = v[i] * inv; }
    }
}

extern "C" __global__ void softmax_forward_warp(const float* x, float* out, int rows, int n, int logOut) {
    int row = blockIdx.x * ROWS_PER_BLOCK + threadIdx.x / WARP, lane = threadIdx.x % WARP;
    if (row >= rows) return;  // whole warps leave together: no shuffle sees a missing lane
    const float* xr = x + (long) row * n;
    float* yr = out + (long) row * n;
    switch ((n + WARP - 1) / WARP) {
        case 1: softmax_row_in_registers<1>(xr, yr, n, lane, logOut); return;
        case 2: softmax_row_in_registers<2>(xr, yr, n, lane, logOut); return;
        case 3: softmax_row_in_registers<3>(xr, yr, n, lane, logOut); return;
        case 4: softmax_row_in_registers<4>(xr, yr, n, lane, logOut); return;
        case 5: case 6: softmax_row_in_registers<6>(xr, yr, n, lane, logOut); return;
        case 7: case 8: softmax_row_in_registers<ROW_REGS>(xr, yr, n, lane, logOut); return;
        default: break;
    }
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
