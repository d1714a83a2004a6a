// kernel_check's part for attention.cu: the three kernels against ref_attention_* on the strided
// views MultiheadAttention makes of a packed [B, L, 3D] projection (self-attention, with and without
// the causal mask) and on dense [B, H, S, Dh] operands with Sq != Sk and head sizes that are not a
// multiple of 32. Included by kernel_check.cu after its helpers.
#pragma once
#include "attention.cu"
#include "attention_ref.h"

// Element (b, h, s, d) of a strided [B, H, S, Dh] view starting off elements into its buffer.
struct AttView {
    int sB, sH, sS;
    long off = 0;
    long at(int b, int h, int s, int d) const { return off + (long) b * sB + (long) h * sH + (long) s * sS + d; }
};

static std::vector<double> att_gather(const std::vector<float>& buf, AttView v, int B, int H, int S, int dh) {
    std::vector<double> out((size_t) B * H * S * dh);
    size_t e = 0;
    for (int b = 0; b < B; b++) for (int h = 0; h < H; h++) for (int s = 0; s < S; s++) for (int d = 0; d < dh; d++) out[e++] = buf[v.at(b, h, s, d)];
    return out;
}

static void check_attention_case(const char* what, int B, int H, int sq, int sk, int dh, bool packed, bool causal) {
    int n = B * H;
    float scale = 1.0f / std::sqrt((float) dh);
    // packed: one [B, L, 3 H dh] buffer, q/k/v the three thirds (sq == sk); else three dense buffers.
    size_t qkvLen = packed ? (size_t) B * sq * 3 * H * dh : 0;
    AttView qv, kv, vv, gv{sq * H * dh, dh, H * dh, 0};   // g: the [B, L, H, dh] layout the merge's backward gives
    std::vector<float> hq, hk, hv;
    if (packed) {
        int row = 3 * H * dh;
        // k and v are the second and third thirds of each row, as the device pointers below are.
        qv = {sq * row, dh, row, 0};
        kv = {sq * row, dh, row, (long) H * dh};
        vv = {sq * row, dh, row, 2L * H * dh};
        hq = randf(qkvLen, -1, 1);
    } else {
        qv = {H * sq * dh, sq * dh, dh, 0};
        kv = {H * sk * dh, sk * dh, dh, 0};
        vv = kv;
        hq = randf((size_t) n * sq * dh, -1, 1);
        hk = randf((size_t) n * sk * dh, -1, 1);
        hv = randf((size_t) n * sk * dh, -1, 1);
    }
    auto hg = randf((size_t) n * sq * dh, -1, 1);
    std::vector<float> hmask;
    if (causal) {
        hmask.assign((size_t) sq * sk, 0.0f);
        for (int i = 0; i < sq; i++) for (int j = i + 1; j < sk; j++) hmask[(size_t) i * sk + j] = -INFINITY;
    }
    float* dq_in = up(hq);
    float* dk_in = packed ? dq_in + H * dh : up(hk);
    float* dv_in = packed ? dq_in + 2 * H * dh : up(hv);
    float* dg = up(hg);
    float* dmask = causal ? up(hmask) : nullptr;
    float *dout, *dprobs, *dds, *ddq, *ddk, *ddv;
    CHECK(cudaMalloc(&dout, (size_t) n * sq * dh * 4)); CHECK(cudaMalloc(&dprobs, (size_t) n * sq * sk * 4));
    CHECK(cudaMalloc(&dds, (size_t) n * sq * sk * 4)); CHECK(cudaMalloc(&ddq, (size_t) n * sq * dh * 4));
    CHECK(cudaMalloc(&ddk, (size_t) n * sk * dh * 4)); CHECK(cudaMalloc(&ddv, (size_t) n * sk * dh * 4));
    dim3 gq(n, (sq + ATT_ROWS - 1) / ATT_ROWS), gk(n, (sk + ATT_ROWS - 1) / ATT_ROWS);
    attention_forward<<<gq, ATT_ROWS * WARP>>>(dq_in, dk_in, dv_in, dmask, dout, dprobs, H, sq, sk, dh,
            qv.sB, qv.sH, qv.sS, kv.sB, kv.sH, kv.sS, vv.sB, vv.sH, vv.sS, scale);
    attention_backward_dq<<<gq, ATT_ROWS * WARP>>>(dk_in, dv_in, dprobs, dg, dds, ddq, H, sq, sk, dh,
            kv.sB, kv.sH, kv.sS, vv.sB, vv.sH, vv.sS, gv.sB, gv.sH, gv.sS, scale);
    attention_backward_dkdv<<<gk, ATT_ROWS * WARP>>>(dq_in, dg, dprobs, dds, ddk, ddv, H, sq, sk, dh,
            qv.sB, qv.sH, qv.sS, gv.sB, gv.sH, gv.sS);
    CHECK(cudaGetLastError());

    const std::vector<float>& kb = packed ? hq : hk;
    const std::vector<float>& vb = packed ? hq : hv;
    auto rq = att_gather(hq, qv, B, H, sq, dh), rk = att_gather(kb, kv, B, H, sk, dh), rv = att_gather(vb, vv, B, H, sk, dh);
    auto rg = att_gather(hg, gv, B, H, sq, dh);
    std::vector<double> rmask(hmask.begin(), hmask.end());
    std::vector<double> out((size_t) n * sq * dh), probs((size_t) n * sq * sk), gq_((size_t) n * sq * dh), gk_((size_t) n * sk * dh), gv_((size_t) n * sk * dh);
    ref_attention_forward(rq.data(), rk.data(), rv.data(), causal ? rmask.data() : nullptr, out.data(), probs.data(), n, sq, sk, dh, scale);
    // The backward reference takes the kernel's probabilities, as the kernel does.
    auto gotProbs = down(dprobs, probs.size());
    ref_attention_backward(rq.data(), rk.data(), rv.data(), dbl(gotProbs).data(), rg.data(), gq_.data(), gk_.data(), gv_.data(), n, sq, sk, dh, scale);
    char name[96];
    std::snprintf(name, sizeof name, "attention %s probs", what);
    compare(name, gotProbs, probs, 1e-4, 1e-6);
    std::snprintf(name, sizeof name, "attention %s out", what);
    compare(name, down(dout, out.size()), out, 1e-4, 1e-5);
    std::snprintf(name, sizeof name, "attention %s dq", what);
    compare(name, down(ddq, gq_.size()), gq_, 1e-3, 1e-5);
    std::snprintf(name, sizeof name, "attention %s dk", what);
    compare(name, down(ddk, gk_.size()), gk_, 1e-3, 1e-5);
    std::snprintf(name, sizeof name, "attention %s dv", what);
    compare(name, down(ddv, gv_.size()), gv_, 1e-4, 1e-5);
    CHECK(cudaFree(dq_in));
    if (!packed) { CHECK(cudaFree(dk_in)); CHECK(cudaFree(dv_in)); }
    CHECK(cudaFree(dg));
    if (dmask) CHECK(cudaFree(dmask));
    CHECK(cudaFree(dout)); CHECK(cudaFree(dprobs)); CHECK(cudaFree(dds)); CHECK(cudaFree(ddq)); CHECK(cudaFree(ddk)); CHECK(cudaFree(ddv));
}

static void check_attention() {
    check_attention_case("packed L=50 dh=64", 3, 4, 50, 50, 64, true, false);
    check_attention_case("packed causal L=77 dh=64", 2, 3, 77, 77, 64, true, true);
    check_attention_case("dense Sq=5 Sk=37 dh=40", 2, 2, 5, 37, 40, false, false);
    check_attention_case("dense Sq=70 Sk=9 dh=128", 1, 3, 70, 9, 128, false, false);
    check_attention_case("dense Sq=33 Sk=33 dh=1", 1, 1, 33, 33, 1, false, true);
}

// ViT-B/32 at batch 256: 12 heads, 50 tokens, head size 64, the packed qkv layout.
static void bench_attention() {
    int B = 256, H = 12, L = 50, dh = 64, n = B * H, row = 3 * H * dh;
    float *qkv, *out, *probs, *ds, *dq, *dk, *dv, *g;
    CHECK(cudaMalloc(&qkv, (size_t) B * L * row * 4)); CHECK(cudaMemset(qkv, 0, (size_t) B * L * row * 4));
    CHECK(cudaMalloc(&g, (size_t) n * L * dh * 4)); CHECK(cudaMemset(g, 0, (size_t) n * L * dh * 4));
    CHECK(cudaMalloc(&out, (size_t) n * L * dh * 4)); CHECK(cudaMalloc(&probs, (size_t) n * L * L * 4));
    CHECK(cudaMalloc(&ds, (size_t) n * L * L * 4)); CHECK(cudaMalloc(&dq, (size_t) n * L * dh * 4));
    CHECK(cudaMalloc(&dk, (size_t) n * L * dh * 4)); CHECK(cudaMalloc(&dv, (size_t) n * L * dh * 4));
    dim3 grid(n, (L + ATT_ROWS - 1) / ATT_ROWS);
    int sB = L * row, sH = dh, sS = row, gB = L * H * dh, gH = dh, gS = H * dh;
    float ms = time_ms([&] {
        attention_forward<<<grid, ATT_ROWS * WARP>>>(qkv, qkv + H * dh, qkv + 2 * H * dh, nullptr, out, probs, H, L, L, dh,
                sB, sH, sS, sB, sH, sS, sB, sH, sS, 0.125f);
    });
    std::printf("bench kernel_attention_fwd_vit_b32_b256 %.4g ms\n", ms);
    ms = time_ms([&] {
        attention_backward_dq<<<grid, ATT_ROWS * WARP>>>(qkv + H * dh, qkv + 2 * H * dh, probs, g, ds, dq, H, L, L, dh,
                sB, sH, sS, sB, sH, sS, gB, gH, gS, 0.125f);
        attention_backward_dkdv<<<grid, ATT_ROWS * WARP>>>(qkv, g, probs, ds, dk, dv, H, L, L, dh, sB, sH, sS, gB, gH, gS);
    });
    std::printf("bench kernel_attention_bwd_vit_b32_b256 %.4g ms\n", ms);
    CHECK(cudaFree(qkv)); CHECK(cudaFree(g)); CHECK(cudaFree(out)); CHECK(cudaFree(probs));
    CHECK(cudaFree(ds)); CHECK(cudaFree(dq)); CHECK(cudaFree(dk)); CHECK(cudaFree(dv));
}
