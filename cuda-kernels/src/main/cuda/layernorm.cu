// LayerNorm over the last dimension of a contiguous F32 [rows, n] tensor, forward and backward,
// one warp per row (CLIP's widths are 512 and 768: 16 or 24 elements per lane).
//   forward:  xhat = (x - mean) * rstd, rstd = 1 / sqrt(var + eps) (biased var); y = xhat * w + b
//   backward: g = dy * w; dx = rstd * (g - mean(g) - xhat * mean(g * xhat))
//             dw = sum over rows of dy * xhat; db = sum over rows of dy
// Statistics accumulate in float with the two-pass variance (the mean is subtracted before
// squaring), which keeps the FP32 relative error near 1e-6 for CLIP's activations. The forward
// saves mean and rstd per row for the backward (null pointers skip that, for inference).
// dw/db are column sums over many rows: each block sums a chunk of rows for 32 columns into a
// partial buffer [chunks, n], and a second kernel adds the chunks, in a fixed order, so the
// result is deterministic (no atomics).
// CPU reference: layernorm_ref.h.
#include "common.cuh"

#define ROWS_PER_BLOCK 8

// A row of up to LN_REGS * 32 elements (CLIP's 512 and 768, ViT-L's 1024) is held in registers:
// one read of x, every load issued before the first reduction; wider rows re-read x from L1.
template <int K>
__device__ __forceinline__ void layernorm_row_in_registers(const float* xr, const float* w, const float* b, float* yr,
                                                           int n, int lane, float eps, float& meanOut, float& rstdOut) {
    float v[K];
    float s = 0.0f;
#pragma unroll
    for (int i = 0; i < K; i++) { int j = lane + i * WARP; v[i] = j < n ? xr[j] : 0.0f; s += v[i]; }
    float mean = warp_sum(s) / n;
    float q = 0.0f;
#pragma unroll
    for (int i = 0; i < K; i++) { int j = lane + i * WARP; v[i] = j < n ? v[i] - mean : 0.0f; q += v[i] * v[i]; }
    float rstd = rsqrtf(warp_sum(q) / n + eps);
#pragma unroll
    for (int i = 0; i < K; i++) {
        int j = lane + i * WARP;
        if (j < n) {
            float y = v[i] * rstd;
            if (w) y *= w[j];
            if (b) y += b[j];
            yr[j] = y;
        }
    }
    meanOut = mean;
    rstdOut = rstd;
}

#define LN_REGS 32

extern "C" __global__ void layernorm_forward(const float* x, const float* w, const float* b, float* out,
                                             float* meanOut, float* rstdOut, int rows, int n, float eps) {
    int row = blockIdx.x * ROWS_PER_BLOCK + threadIdx.x / WARP, lane = threadIdx.x % WARP;
    if (row >= rows) return;
    const float* xr = x + (long) row * n;
    float* yr = out + (long) row * n;
    float mean, rstd;
    int k = (n + WARP - 1) / WARP;
    if (k <= 8) layernorm_row_in_registers<8>(xr, w, b, yr, n, lane, eps, mean, rstd);
    else if (k <= 16) layernorm_row_in_registers<16>(xr, w, b, yr, n, lane, eps, mean, rstd);
    else if (k <= 24) layernorm_row_in_registers<24>(xr, w, b, yr, n, lane, eps, mean, rstd);
    else if (k <= LN_REGS) layernorm_row_in_registers<LN_REGS>(xr, w, b, yr, n, lane, eps, mean, rstd);
    else {
        float s = 0.0f;
        for (int j = lane; j < n; j += WARP) s += xr[j];
        mean = warp_sum(s) / n;
        float v = 0.0f;
        for (int j = lane; j < n; j += WARP) { float d = xr[j] - mean; v += d * d; }
        rstd = rsqrtf(warp_sum(v) / n + eps);
        for (int j = lane; j < n; j += WARP) {
            float y = (xr[j] - mean) * rstd;
            if (w) y *= w[j];
            if (b) y += b[j];
            yr[j] = y;
        }
    }
    if (lane == 0) {
        if (meanOut) meanOut[row] = mean;
        if (rstdOut) rstdOut[row] = rstd;
    }
}

extern "C" __global__ void layernorm_backward_dx(const float* dy, const float* x, const float* w,
                                                 const float* mean, const float* rstd, float* dx, int rows, int n) {
    int row = blockIdx.x * ROWS_PER_BLOCK + threadIdx.x / WARP, lane = threadIdx.x % WARP;
    if (row >= rows) return;
    const float* gr = dy + (long) row * n;
    const float* xr = x + (long) row * n;
    float* dr = dx + (long) row * n;
    float m = mean[row], r = rstd[row];
    float sg = 0.0f, sgx = 0.0f;
    for (int j = lane; j < n; j += WARP) {
        float g = w ? gr[j] * w[j] : gr[j];
        sg += g;
        sgx += g * (xr[j] - m) * r;
    }
    sg = warp_sum(sg) / n;
    sgx = warp_sum(sgx) / n;
    for (int j = lane; j < n; j += WARP) {
        float g = w ? gr[j] * w[j] : gr[j];
        dr[j] = r * (g - sg - (xr[j] - m) * r * sgx);
    }
}

// grid (ceil(n / 32), chunks), block (32, 8): thread (tx, ty) sums column 32 * blockIdx.x + tx over
// rows chunk * rowsPerChunk + ty, + 8, ... ; the 8 row lanes meet in shared memory.
extern "C" __global__ void layernorm_backward_dwdb_partial(const float* dy, const float* x, const float* mean,
                                                           const float* rstd, float* partialW, float* partialB,
                                                           int rows, int n, int rowsPerChunk) {
    __shared__ float sw[8][WARP + 1];
    __shared__ float sb[8][WARP + 1];
    int col = blockIdx.x * WARP + threadIdx.x;
    int r0 = blockIdx.y * rowsPerChunk, r1 = min(rows, r0 + rowsPerChunk);
    float aw = 0.0f, ab = 0.0f;
    if (col < n) {
        for (int r = r0 + threadIdx.y; r < r1; r += blockDim.y) {
            float g = dy[(long) r * n + col];
            aw += g * (x[(long) r * n + col] - mean[r]) * rstd[r];
            ab += g;
        }
    }
    sw[threadIdx.y][threadIdx.x] = aw;
    sb[threadIdx.y][threadIdx.x] = ab;
    __syncthreads();
    if (threadIdx.y == 0 && col < n) {
        for (int k = 1; k < blockDim.y; k++) { aw += sw[k][threadIdx.x]; ab += sb[k][threadIdx.x]; }
        partialW[(long) blockIdx.y * n + col] = aw;
        partialB[(long) blockIdx.y * n + col] = ab;
    }
}

// dw or db may be null (a LayerNorm without weight or bias).
extern "C" __global__ void layernorm_backward_dwdb_finish(const float* partialW, const float* partialB,
                                                          float* dw, float* db, int chunks, int n) {
    for (int col = blockIdx.x * blockDim.x + threadIdx.x; col < n; col += blockDim.x * gridDim.x) {
        float aw = 0.0f, ab = 0.0f;
        for (int c = 0; c < chunks; c++) { aw += partialW[(long) c * n + col]; ab += partialB[(long) c * n + col]; }
        if (dw) dw[col] = aw;
        if (db) db[col] = ab;
    }
}
