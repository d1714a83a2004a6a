// Reductions along one dimension of a strided tensor: sum, max, min, argmax, argmin. The output
// has the input's shape with the reduced dimension set to 1 and is contiguous; output element o
// reads x at strided_index(L, sx, o) + k * step for k in [0, n), where L holds the output's dims
// and sx the input's strides (the reduced dim has size 1 in L, so its stride never counts).
// Two variants: reduce_block (a block per output; for long rows with step 1, e.g. the last dim)
// and reduce_thread (a thread per output, sequential in double; for short or strided runs, where
// neighbouring threads read neighbouring addresses, and for I32 sums, which stay exact).
// CPU reference: reduce_ref.h.
#include "common.cuh"
#include "reduce.cuh"

__device__ __forceinline__ Best warp_best(int op, Best b) {
#pragma unroll
    for (int o = WARP / 2; o > 0; o >>= 1) {
        Best w{__shfl_xor_sync(0xffffffffu, b.v, o), __shfl_xor_sync(0xffffffffu, b.i, o)};
        b = best_merge(op, b, w);
    }
    return b;
}

// blockDim.x: a multiple of 32, at most 1024.
extern "C" __global__ void reduce_block(int op, Layout L, Strides sx, const void* x, int xdt, int n, int step,
                                        void* out, int odt, int nout) {
    __shared__ float sv[WARP];
    __shared__ int si[WARP];
    int lane = threadIdx.x % WARP, warp = threadIdx.x / WARP, nwarps = blockDim.x / WARP;
    for (int o = blockIdx.x; o < nout; o += gridDim.x) {
        long base = strided_index(L, sx, o);
        if (op == R_SUM) {
            float acc = 0.0f;
            for (int k = threadIdx.x; k < n; k += blockDim.x) acc += load_f(x, xdt, base + (long) k * step);
            acc = block_sum(acc, sv);
            if (threadIdx.x == 0) store_f(out, odt, o, acc);
        } else {
            Best b{0.0f, -1};
            for (int k = threadIdx.x; k < n; k += blockDim.x) b = best_merge(op, b, Best{load_f(x, xdt, base + (long) k * step), k});
            b = warp_best(op, b);
            if (lane == 0) { sv[warp] = b.v; si[warp] = b.i; }
            __syncthreads();
            b = lane < nwarps ? Best{sv[lane], si[lane]} : Best{0.0f, -1};
            b = warp_best(op, b);
            __syncthreads();
            if (threadIdx.x == 0) store_f(out, odt, o, (op == R_ARGMAX || op == R_ARGMIN) ? (double) b.i : (double) b.v);
        }
    }
}

extern "C" __global__ void reduce_thread(int op, Layout L, Strides sx, const void* x, int xdt, int n, int step,
                                         void* out, int odt, int nout) {
    for (int o = blockIdx.x * blockDim.x + threadIdx.x; o < nout; o += blockDim.x * gridDim.x) {
        long base = strided_index(L, sx, o);
        if (op == R_SUM) {
            double acc = 0.0;
            for (int k = 0; k < n; k++) acc += load_d(x, xdt, base + (long) k * step);
            store_f(out, odt, o, acc);
        } else {
            Best b{0.0f, -1};
            for (int k = 0; k < n; k++) b = best_merge(op, b, Best{load_f(x, xdt, base + (long) k * step), k});
            store_f(out, odt, o, (op == R_ARGMAX || op == R_ARGMIN) ? (double) b.i : (double) b.v);
        }
    }
}
