// KL(p || q) per row between two distributions given as logits [rows, C] (contiguous F32) at
// temperature T, with p the teacher (old model) and q the student (new model):
//   p = softmax(t / T), q = softmax(s / T)
//   kl[r]    = sum_c p (log p - log q)
//   ds[r, c] = (q - p) / T * dkl[r]          (gradient for the student's logits only)
// The caller scales by T^2 if it wants Hinton's convention. One warp per row: both rows' online
// (max, sum) states first, then the sum (forward) or the gradient (backward).
// CPU reference: losses_ref.h.
#include "common.cuh"

#define ROWS_PER_BLOCK 8

__device__ __forceinline__ void two_row_stats(const float* tr, const float* sr, int C, float invT, int lane,
                                              MaxSum* pt, MaxSum* ps) {
    MaxSum a{-INFINITY, 0.0f}, b{-INFINITY, 0.0f};
    for (int j = lane; j < C; j += WARP) {
        a = maxsum_push(a, tr[j] * invT);
        b = maxsum_push(b, sr[j] * invT);
    }
    *pt = warp_maxsum(a);
    *ps = warp_maxsum(b);
}

extern "C" __global__ void softmax_kl_forward(const float* teacher, const float* student, float* kl,
                                              int rows, int C, float invT) {
    int row = blockIdx.x * ROWS_PER_BLOCK + threadIdx.x / WARP, lane = threadIdx.x % WARP;
    if (row >= rows) return;
    const float* tr = teacher + (long) row * C;
    const float* sr = student + (long) row * C;
    MaxSum st, ss;
    two_row_stats(tr, sr, C, invT, lane, &st, &ss);
    float lseT = st.m + logf(st.s), lseS = ss.m + logf(ss.s);
    float acc = 0.0f;
    for (int j = lane; j < C; j += WARP) {
        float lp = tr[j] * invT - lseT, lq = sr[j] * invT - lseS;
        float p = expf(lp);
        acc += p > 0.0f ? p * (lp - lq) : 0.0f;  // 0 log 0 = 0, as torch.kl_div
    }
    acc = warp_sum(acc);
    if (lane == 0) kl[row] = acc;
}

extern "C" __global__ void softmax_kl_backward(const float* teacher, const float* student, const float* dkl,
                                               float* dstudent, int rows, int C, float invT) {
    int row = blockIdx.x * ROWS_PER_BLOCK + threadIdx.x / WARP, lane = threadIdx.x % WARP;
    if (row >= rows) return;
    const float* tr = teacher + (long) row * C;
    const float* sr = student + (long) row * C;
    MaxSum st, ss;
    two_row_stats(tr, sr, C, invT, lane, &st, &ss);
    float lseT = st.m + logf(st.s), lseS = ss.m + logf(ss.s);
    float scale = dkl[row] * invT;
    for (int j = lane; j < C; j += WARP) {
        float p = expf(tr[j] * invT - lseT), q = expf(sr[j] * invT - lseS);
        dstudent[(long) row * C + j] = (q - p) * scale;
    }
}
