// Elementwise kernels over strided operands: fill, copy with dtype conversion, unary and binary ops
// with broadcasting (stride-0 dimensions), and where. One thread per output element in a
// grid-stride loop; every operand is addressed through strided_index, so transposed, narrowed and
// broadcast views need no copy. The output of unary/binary/where is contiguous (a fresh tensor).
// CPU reference: elementwise_ref.h.
#include "common.cuh"
#include "ops.cuh"

#define GRID_STRIDE(i, n) for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += blockDim.x * gridDim.x)

extern "C" __global__ void fill_strided(Layout L, Strides so, void* out, int odt, int n, double value) {
    GRID_STRIDE(i, n) store_f(out, odt, strided_index(L, so, i), value);
}

// Float-to-int conversion truncates toward zero (store_f), as torch and the Java reference do.
extern "C" __global__ void copy_strided(Layout L, Strides sx, const void* x, int xdt,
                                        Strides so, void* out, int odt, int n) {
    GRID_STRIDE(i, n) {
        double v = load_d(x, xdt, strided_index(L, sx, i));
        store_f(out, odt, strided_index(L, so, i), v);
    }
}

// The fast path for the common case: both sides contiguous and the same dtype is a cudaMemcpy on
// the host side, so this kernel only sees conversions between contiguous buffers.
extern "C" __global__ void convert_contiguous(const void* x, int xdt, void* out, int odt, int n) {
    GRID_STRIDE(i, n) store_f(out, odt, i, load_d(x, xdt, i));
}

// F32 -> BF16 between contiguous buffers, the autocast cast in front of every BF16 product: four
// elements a thread (one 16-byte load, one 8-byte store), round-to-nearest-even as __float2bfloat16_rn.
// x must be 16-byte and out 8-byte aligned (the caller checks); the last n % 4 elements go one a thread.
extern "C" __global__ void convert_f32_bf16(const float* x, __nv_bfloat16* out, int n) {
    int n4 = n / 4;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n4; i += blockDim.x * gridDim.x) {
        float4 v = reinterpret_cast<const float4*>(x)[i];
        __nv_bfloat162 lo = __floats2bfloat162_rn(v.x, v.y), hi = __floats2bfloat162_rn(v.z, v.w);
        uint2 packed;
        packed.x = *reinterpret_cast<unsigned*>(&lo);
        packed.y = *reinterpret_cast<unsigned*>(&hi);
        reinterpret_cast<uint2*>(out)[i] = packed;
    }
    int t = blockIdx.x * blockDim.x + threadIdx.x;
    if (t < n - 4 * n4) out[4 * n4 + t] = __float2bfloat16_rn(x[4 * n4 + t]);
}

extern "C" __global__ void unary_f(int op, Layout L, Strides sx, const void* x, int xdt, void* out, int odt, int n) {
    GRID_STRIDE(i, n) store_f(out, odt, i, unary_apply<float>(op, load_f(x, xdt, strided_index(L, sx, i))));
}

// Integer operands (I32) go through double so every int32 value stays exact.
extern "C" __global__ void unary_d(int op, Layout L, Strides sx, const void* x, int xdt, void* out, int odt, int n) {
    GRID_STRIDE(i, n) store_f(out, odt, i, unary_apply<double>(op, load_d(x, xdt, strided_index(L, sx, i))));
}

extern "C" __global__ void binary_f(int op, Layout L, Strides sa, const void* a, int adt,
                                    Strides sb, const void* b, int bdt, void* out, int odt, int n) {
    GRID_STRIDE(i, n) {
        float va = load_f(a, adt, strided_index(L, sa, i));
        float vb = load_f(b, bdt, strided_index(L, sb, i));
        store_f(out, odt, i, binary_apply<float>(op, va, vb, false));
    }
}

extern "C" __global__ void binary_d(int op, Layout L, Strides sa, const void* a, int adt,
                                    Strides sb, const void* b, int bdt, void* out, int odt, int n) {
    GRID_STRIDE(i, n) {
        double va = load_d(a, adt, strided_index(L, sa, i));
        double vb = load_d(b, bdt, strided_index(L, sb, i));
        store_f(out, odt, i, binary_apply<double>(op, va, vb, odt == DT_I32));
    }
}

extern "C" __global__ void where_strided(Layout L, Strides sc, const void* c, int cdt,
                                         Strides sa, const void* a, int adt,
                                         Strides sb, const void* b, int bdt, void* out, int odt, int n) {
    GRID_STRIDE(i, n) {
        double cond = load_d(c, cdt, strided_index(L, sc, i));
        double v = cond != 0.0 ? load_d(a, adt, strided_index(L, sa, i)) : load_d(b, bdt, strided_index(L, sb, i));
        store_f(out, odt, i, v);
    }
}
