// Fused AdamW over one flat F32 parameter buffer and its gradient and moments: one read of p, g,
// m, v and one write of p, m, v per element, instead of the ~10 passes of the unfused tensor ops.
// gradScale folds in gradient clipping or loss-scale undo; a non-null pBf16 also receives the
// updated parameter rounded to BF16 (the autocast copy of an FP32 master weight).
// CPU reference: adamw_ref.h.
#include "common.cuh"
#include "adamw.cuh"

extern "C" __global__ void adamw_step(float* p, const float* g, float* m, float* v, __nv_bfloat16* pBf16,
                                      int n, AdamWParams h) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
        float pi = p[i], mi = m[i], vi = v[i];
        adamw_update(h, &pi, g[i], &mi, &vi);
        p[i] = pi;
        m[i] = mi;
        v[i] = vi;
        if (pBf16) pBf16[i] = __float2bfloat16_rn(pi);
    }
}
