// Fused scaled-dot-product attention for short sequences (CLIP's 50 image and 77 text tokens):
// softmax(q k^T * scale + mask) v, forward and backward, one (batch, head) pair per blockIdx.x.
// q, k, v and g are read in place through their (batch, head, sequence) strides, the head
// dimension dense (the views MultiheadAttention makes of the packed qkv projection, no copies);
// out, probs, ds, dq, dk and dv are dense. probs [N, Sq, Sk] is written for the backward, as
// the composed path saves it.
//
// forward: a block of ATT_ROWS warps takes ATT_ROWS query rows, a warp each; keys and values
//   stream through shared memory in tiles of 32 (a key per lane for the scores), with the online
//   softmax (running max and sum, the accumulator rescaled) so Sk is not bounded; the raw scores
//   go to probs and are normalised in a last pass over the warp's own row.
// backward, two kernels, no atomics (deterministic):
//   dq: per query row, dP = g v^T and D = rowsum(P dP) over the value tiles, then
//       dS = P (dP - D) * scale (written to ds) and dq = dS k over the key tiles;
//   dkdv: per key row, dv = P^T g and dk = dS^T q, the query and gradient rows streamed through
//       shared memory in tiles of 32.
// Head dimension up to ATT_MAX_DH; the Java side sends larger heads down the composed path.
// Shared rows are padded by one float so that a lane per row reads distinct banks.
// CPU reference: attention_ref.h.
#include "common.cuh"

#define ATT_ROWS 8
#define ATT_TILE 32
#define ATT_MAX_DH 128
#define ATT_PER_LANE (ATT_MAX_DH / WARP)

struct AttIndex {
    int b, h;
};

__device__ __forceinline__ AttIndex att_index(int n, int heads) { return AttIndex{n / heads, n % heads}; }

__device__ __forceinline__ long att_at(AttIndex x, int sB, int sH, int sS, int s) {
    return (long) x.b * sB + (long) x.h * sH + (long) s * sS;
}

// Loads rows [t0, t0 + ATT_TILE) of a strided [S, dh] matrix into a padded shared tile (zeros past S).
__device__ __forceinline__ void att_load_tile(float (*tile)[ATT_MAX_DH + 1], const float* base, AttIndex x,
                                              int sB, int sH, int sS, int t0, int s, int dh) {
    for (int e = threadIdx.x; e < ATT_TILE * dh; e += blockDim.x) {
        int r = e / dh, d = e % dh, row = t0 + r;
        tile[r][d] = row < s ? base[att_at(x, sB, sH, sS, row) + d] : 0.0f;
    }
}

extern "C" __global__ void attention_forward(const float* q, const float* k, const float* v, const float* mask,
                                             float* out, float* probs, int heads, int sq, int sk, int dh,
                                             int qB, int qH, int qS, int kB, int kH, int kS, int vB, int vH, int vS,
                                             float scale) {
    __shared__ float ks[ATT_TILE][ATT_MAX_DH + 1];
    __shared__ float vs[ATT_TILE][ATT_MAX_DH + 1];
    __shared__ float qs[ATT_ROWS][ATT_MAX_DH];
    int n = blockIdx.x, w = threadIdx.x / WARP, lane = threadIdx.x % WARP;
    int i = blockIdx.y * ATT_ROWS + w;
    bool row = i < sq;  // every warp joins the tile loads and barriers; only rows < sq compute
    AttIndex x = att_index(n, heads);
    if (row) for (int d = lane; d < dh; d += WARP) qs[w][d] = q[att_at(x, qB, qH, qS, i) + d];
    float m = -INFINITY, l = 0.0f, acc[ATT_PER_LANE];
#pragma unroll
    for (int t = 0; t < ATT_PER_LANE; t++) acc[t] = 0.0f;
    float* prow = probs + ((long) n * sq + (row ? i : 0)) * sk;
    for (int t0 = 0; t0 < sk; t0 += ATT_TILE) {
        __syncthreads();
        att_load_tile(ks, k, x, kB, kH, kS, t0, sk, dh);
        att_load_tile(vs, v, x, vB, vH, vS, t0, sk, dh);
        __syncthreads();
        if (!row) continue;
        int j = t0 + lane;
        float s = -INFINITY;
        if (j < sk) {
            float dot = 0.0f;
            for (int d = 0; d < dh; d++) dot = fmaf(qs[w][d], ks[lane][d], dot);
            s = dot * scale + (mask ? mask[(long) i * sk + j] : 0.0f);
            prow[j] = s;
        }
        float mNew = fmaxf(m, warp_max(s));
        // Nothing but -inf so far (a masked prefix): keep the zero state rather than exp(-inf + inf).
        float corr = mNew == -INFINITY ? 1.0f : expf(m - mNew);
        float p = (j < sk && mNew != -INFINITY) ? expf(s - mNew) : 0.0f;
        l = l * corr + warp_sum(p);
        int tileLen = min(ATT_TILE, sk - t0);
#pragma unroll
        for (int t = 0; t < ATT_PER_LANE; t++) acc[t] *= corr;
        for (int jj = 0; jj < tileLen; jj++) {
            float pj = __shfl_sync(0xffffffffu, p, jj);
#pragma unroll
            for (int t = 0; t < ATT_PER_LANE; t++) {
                int d = lane + t * WARP;
                if (d < dh) acc[t] = fmaf(pj, vs[jj][d], acc[t]);
            }
        }
        m = mNew;
    }
    if (!row) return;
    float inv = 1.0f / l;
    float* orow = out + ((long) n * sq + i) * dh;
#pragma unroll
    for (int t = 0; t < ATT_PER_LANE; t++) {
        int d = lane + t * WARP;
        if (d < dh) orow[d] = acc[t] * inv;
    }
    // Each lane rescales the scores it wrote itself (j = lane mod 32): no other lane's writes are read.
    for (int j = lane; j < sk; j += WARP) prow[j] = expf(prow[j] - m) * inv;
}

extern "C" __global__ void attention_backward_dq(const float* k, const float* v, const float* probs, const float* g,
                                                 float* ds, float* dq, int heads, int sq, int sk, int dh,
                                                 int kB, int kH, int kS, int vB, int vH, int vS, int gB, int gH, int gS,
                                                 float scale) {
    __shared__ float tile[ATT_TILE][ATT_MAX_DH + 1];
    __shared__ float gs[ATT_ROWS][ATT_MAX_DH];
    int n = blockIdx.x, w = threadIdx.x / WARP, lane = threadIdx.x % WARP;
    int i = blockIdx.y * ATT_ROWS + w;
    bool row = i < sq;
    AttIndex x = att_index(n, heads);
    if (row) for (int d = lane; d < dh; d += WARP) gs[w][d] = g[att_at(x, gB, gH, gS, i) + d];
    const float* prow = probs + ((long) n * sq + (row ? i : 0)) * sk;
    float* drow = ds + ((long) n * sq + (row ? i : 0)) * sk;
    float dot = 0.0f;
    for (int t0 = 0; t0 < sk; t0 += ATT_TILE) {            // dP = g v^T into ds, D = sum P dP
        __syncthreads();
        att_load_tile(tile, v, x, vB, vH, vS, t0, sk, dh);
        __syncthreads();
        int j = t0 + lane;
        if (!row || j >= sk) continue;
        float dp = 0.0f;
        for (int d = 0; d < dh; d++) dp = fmaf(gs[w][d], tile[lane][d], dp);
        drow[j] = dp;
        dot = fmaf(prow[j], dp, dot);
    }
    dot = warp_sum(dot);
    float acc[ATT_PER_LANE];
#pragma unroll
    for (int t = 0; t < ATT_PER_LANE; t++) acc[t] = 0.0f;
    for (int t0 = 0; t0 < sk; t0 += ATT_TILE) {            // dS = P (dP - D) * scale, dq = dS k
        __syncthreads();
        att_load_tile(tile, k, x, kB, kH, kS, t0, sk, dh);
        __syncthreads();
        if (!row) continue;
        int j = t0 + lane;
        float dsj = 0.0f;
        if (j < sk) {
            dsj = prow[j] * (drow[j] - dot) * scale;       // the lane's own dP from the first pass
            drow[j] = dsj;
        }
        int tileLen = min(ATT_TILE, sk - t0);
        for (int jj = 0; jj < tileLen; jj++) {
            float s = __shfl_sync(0xffffffffu, dsj, jj);
#pragma unroll
            for (int t = 0; t < ATT_PER_LANE; t++) {
                int d = lane + t * WARP;
                if (d < dh) acc[t] = fmaf(s, tile[jj][d], acc[t]);
            }
        }
    }
    if (!row || dq == nullptr) return;
    float* qrow = dq + ((long) n * sq + i) * dh;
#pragma unroll
    for (int t = 0; t < ATT_PER_LANE; t++) {
        int d = lane + t * WARP;
        if (d < dh) qrow[d] = acc[t];
    }
}

// After attention_backward_dq has written ds. dk or dv may be null (not wanted).
extern "C" __global__ void attention_backward_dkdv(const float* q, const float* g, const float* probs, const float* ds,
                                                   float* dk, float* dv, int heads, int sq, int sk, int dh,
                                                   int qB, int qH, int qS, int gB, int gH, int gS) {
    __shared__ float qt[ATT_TILE][ATT_MAX_DH + 1];
    __shared__ float gt[ATT_TILE][ATT_MAX_DH + 1];
    int n = blockIdx.x, w = threadIdx.x / WARP, lane = threadIdx.x % WARP;
    int j = blockIdx.y * ATT_ROWS + w;
    bool row = j < sk;
    AttIndex x = att_index(n, heads);
    float ak[ATT_PER_LANE], av[ATT_PER_LANE];
#pragma unroll
    for (int t = 0; t < ATT_PER_LANE; t++) { ak[t] = 0.0f; av[t] = 0.0f; }
    for (int t0 = 0; t0 < sq; t0 += ATT_TILE) {
        __syncthreads();
        att_load_tile(qt, q, x, qB, qH, qS, t0, sq, dh);
        att_load_tile(gt, g, x, gB, gH, gS, t0, sq, dh);
        __syncthreads();
        if (!row) continue;
        int i = t0 + lane;                                  // a query row per lane, shuffled out below
        float pij = i < sq ? probs[((long) n * sq + i) * sk + j] : 0.0f;
        float dsij = i < sq ? ds[((long) n * sq + i) * sk + j] : 0.0f;
        int tileLen = min(ATT_TILE, sq - t0);
        for (int ii = 0; ii < tileLen; ii++) {
            float p = __shfl_sync(0xffffffffu, pij, ii), s = __shfl_sync(0xffffffffu, dsij, ii);
#pragma unroll
            for (int t = 0; t < ATT_PER_LANE; t++) {
                int d = lane + t * WARP;
                if (d < dh) {
                    av[t] = fmaf(p, gt[ii][d], av[t]);
                    ak[t] = fmaf(s, qt[ii][d], ak[t]);
                }
            }
        }
    }
    if (!row) return;
#pragma unroll
    for (int t = 0; t < ATT_PER_LANE; t++) {
        int d = lane + t * WARP;
        if (d >= dh) continue;
        long at = ((long) n * sk + j) * dh + d;
        if (dk) dk[at] = ak[t];
        if (dv) dv[at] = av[t];
    }
}
