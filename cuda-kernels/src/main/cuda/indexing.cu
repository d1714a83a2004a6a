// index_select and gather on strided tensors; the output is contiguous. L holds the output's dims
// (for gather also the index's), sx the input's strides; along dim the coordinate c is replaced by
// idx[c] (index_select, idx a contiguous I32 vector) or by the index tensor's element (gather).
// Negative indices count from the end. An index out of range leaves that element unwritten and
// records 1 + its flat position in *bad, which the host checks and reports (the Java reference
// throws IndexOutOfBoundsException).
// CPU reference: the Java ReferenceBackend (these kernels only move elements).
#include "common.cuh"

__device__ __forceinline__ bool resolve(int k, int size, int* out) {
    if (k < 0) k += size;
    *out = k;
    return k >= 0 && k < size;
}

extern "C" __global__ void index_select(Layout L, Strides sx, const void* x, int xdt, int dim, int size,
                                        const int* idx, void* out, int odt, int n, int* bad) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
        int flat = i, p = sx.offset;
        bool ok = true;
        for (int d = L.rank - 1; d >= 0; --d) {
            int c = flat % L.dims[d];
            flat /= L.dims[d];
            if (d == dim) ok = resolve(idx[c], size, &c);
            p += c * sx.s[d];
        }
        if (ok) store_f(out, odt, i, load_d(x, xdt, p));
        else atomicCAS(bad, 0, i + 1);
    }
}

extern "C" __global__ void gather_strided(Layout L, Strides sx, const void* x, int xdt, int dim, int size,
                                          Strides si, const int* idx, void* out, int odt, int n, int* bad) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
        int k;
        bool ok = resolve(idx[strided_index(L, si, i)], size, &k);
        int flat = i, p = sx.offset;
        for (int d = L.rank - 1; d >= 0; --d) {
            int c = flat % L.dims[d];
            flat /= L.dims[d];
            p += (d == dim ? k : c) * sx.s[d];
        }
        if (ok) store_f(out, odt, i, load_d(x, xdt, p));
        else atomicCAS(bad, 0, i + 1);
    }
}

// dst[..idx[p]..] += src[p] along dim for every position p of src (torch's scatter_add_; with a
// broadcast index, index_add and the embedding backward). L holds src's dims (the index's too),
// si and ss their strides; dst is contiguous F32 and sd its strides (dst's dims differ from L only
// along dim, of size `size`). Atomic adds: contributions to one element arrive in no fixed order.
// A bad index skips its element and records 1 + its flat position in *bad.
extern "C" __global__ void scatter_add_f32(Layout L, Strides si, const int* idx, Strides ss, const void* src, int sdt,
                                           float* dst, Strides sd, int dim, int size, int n, int* bad) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
        int k;
        bool ok = resolve(idx[strided_index(L, si, i)], size, &k);
        if (!ok) { atomicCAS(bad, 0, i + 1); continue; }
        int flat = i, p = sd.offset;
        for (int d = L.rank - 1; d >= 0; --d) {
            int c = flat % L.dims[d];
            flat /= L.dims[d];
            p += (d == dim ? k : c) * sd.s[d];
        }
        atomicAdd(dst + p, (float) load_d(src, sdt, strided_index(L, ss, i)));
    }
}
