// Shared by every kernel family and by the host-side reference tests (g++ includes it too, so
// everything here that is not a kernel is written for both compilers).
#pragma once

#ifdef __CUDACC__
#define HD __host__ __device__ __forceinline__
#else
#define HD inline
#endif

// Element types: the ordinals of clipcl.tensor.DType. F64 never reaches a kernel (the Java side
// keeps float64 on the CPU reference), but its code keeps the numbering identical.
enum DTypeCode { DT_F32 = 0, DT_F64 = 1, DT_I32 = 2, DT_BF16 = 3, DT_F16 = 4 };

// Tensors of higher rank are coalesced on the host (adjacent dims that are contiguous with each
// other merge), so 8 is plenty: a broadcast binary op on CLIP's shapes needs at most 4.
#define MAX_RANK 8

// The logical shape shared by all operands of an elementwise op (row-major element order).
struct Layout {
    int rank;
    int dims[MAX_RANK];
};

// Where one operand's elements live: storage index = offset + sum_d index_d * s[d]. A stride of 0
// is a broadcast dimension, so the same math serves broadcasting and transposed views.
struct Strides {
    int offset;
    int s[MAX_RANK];
};

// Storage index of the flat-th element (row-major over L.dims) of an operand with strides S:
// peel the last dimension off first, as the Java side's Tensor.flatToStorage does.
HD int strided_index(const Layout& L, const Strides& S, int flat) {
    int p = S.offset;
#ifdef __CUDA_ARCH__  // the device pass only: host compilers warn about the unknown pragma
#pragma unroll
#endif
    for (int d = MAX_RANK - 1; d >= 0; --d) {
        if (d < L.rank) {
            int n = L.dims[d];
            int i = flat % n;
            flat /= n;
            p += i * S.s[d];
        }
    }
    return p;
}

#include <math.h>

// Online softmax normaliser (Milakov & Gimelshein 2018): (running max m, sum of exp(x - m)).
// Merging two partial states rescales the smaller one, so one pass over a row gives both.
struct MaxSum {
    float m;
    float s;
};

HD MaxSum maxsum_merge(MaxSum a, MaxSum b) {
    if (a.m == -INFINITY) return b;
    if (b.m == -INFINITY) return a;
    float m = fmaxf(a.m, b.m);
    return MaxSum{m, a.s * expf(a.m - m) + b.s * expf(b.m - m)};
}

// Folds one element into a running state.
HD MaxSum maxsum_push(MaxSum a, float x) { return maxsum_merge(a, MaxSum{x, 1.0f}); }

#ifdef __CUDACC__
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#define WARP 32

// Loads element i of a buffer of dtype dt, widened to float. The switch is uniform across a launch,
// so it costs a predictable branch, and one kernel serves every storage type.
__device__ __forceinline__ float load_f(const void* p, int dt, long i) {
    switch (dt) {
        case DT_I32: return (float) ((const int*) p)[i];
        case DT_BF16: return __bfloat162float(((const __nv_bfloat16*) p)[i]);
        case DT_F16: return __half2float(((const __half*) p)[i]);
        default: return ((const float*) p)[i];
    }
}

// The same in double: exact for every I32 value, used where the result is I32.
__device__ __forceinline__ double load_d(const void* p, int dt, long i) {
    if (dt == DT_I32) return (double) ((const int*) p)[i];
    return (double) load_f(p, dt, i);
}

// Stores v narrowed to dtype dt: round-to-nearest-even for the 16-bit floats, truncation toward
// zero for I32 (as the Java reference's (int) cast).
__device__ __forceinline__ void store_f(void* p, int dt, long i, double v) {
    switch (dt) {
        case DT_I32: ((int*) p)[i] = (int) v; break;
        case DT_BF16: ((__nv_bfloat16*) p)[i] = __float2bfloat16_rn((float) v); break;
        case DT_F16: ((__half*) p)[i] = __float2half_rn((float) v); break;
        default: ((float*) p)[i] = (float) v; break;
    }
}

__device__ __forceinline__ float warp_sum(float v) {
#pragma unroll
    for (int o = WARP / 2; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float warp_max(float v) {
#pragma unroll
    for (int o = WARP / 2; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}

// Sum over a whole block (blockDim.x a multiple of 32, at most 1024); every thread gets the result.
// shared must hold 32 floats. The trailing barrier lets callers reuse shared right away.
__device__ __forceinline__ float block_sum(float v, float* shared) {
    int lane = threadIdx.x % WARP, warp = threadIdx.x / WARP, nwarps = blockDim.x / WARP;
    v = warp_sum(v);
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    v = lane < nwarps ? shared[lane] : 0.0f;
    v = warp_sum(v);
    __syncthreads();
    return v;
}

__device__ __forceinline__ float block_max(float v, float* shared) {
    int lane = threadIdx.x % WARP, warp = threadIdx.x / WARP, nwarps = blockDim.x / WARP;
    v = warp_max(v);
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    v = lane < nwarps ? shared[lane] : -INFINITY;
    v = warp_max(v);
    __syncthreads();
    return v;
}

__device__ __forceinline__ MaxSum warp_maxsum(MaxSum v) {
#pragma unroll
    for (int o = WARP / 2; o > 0; o >>= 1) {
        MaxSum w{__shfl_xor_sync(0xffffffffu, v.m, o), __shfl_xor_sync(0xffffffffu, v.s, o)};
        v = maxsum_merge(v, w);
    }
    return v;
}

// shared must hold 64 floats.
__device__ __forceinline__ MaxSum block_maxsum(MaxSum v, float* shared) {
    int lane = threadIdx.x % WARP, warp = threadIdx.x / WARP, nwarps = blockDim.x / WARP;
    v = warp_maxsum(v);
    if (lane == 0) { shared[warp] = v.m; shared[WARP + warp] = v.s; }
    __syncthreads();
    v = lane < nwarps ? MaxSum{shared[lane], shared[WARP + lane]} : MaxSum{-INFINITY, 0.0f};
    v = warp_maxsum(v);
    __syncthreads();
    return v;
}
#endif
