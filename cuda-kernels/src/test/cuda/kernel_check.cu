// Validate-then-benchmark harness for the kernels, llm.c style, independent of Java and JavaCPP:
// every kernel family is compiled into this one program, run on random inputs and compared with
// its CPU reference (*_ref.h, in double), then a few are timed with CUDA events. Built by
// scripts/gpu-run.sh pack (nvcc, static cudart: the GPU machine needs only its driver) and run
// first by scripts/gpu-run.sh run. Exit status 0 when every comparison passes.
// Ran on an NVIDIA H200: every comparison passes (bench/gpu/h200-run*.txt).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <vector>
#include <random>
#include "elementwise.cu"
#include "reduce.cu"
#include "softmax.cu"
#include "layernorm.cu"
#include "gelu.cu"
#include "crossentropy.cu"
#include "softmax_kl.cu"
#include "adamw.cu"
#include "indexing.cu"
#include "elementwise_ref.h"
#include "reduce_ref.h"
#include "softmax_ref.h"
#include "layernorm_ref.h"
#include "gelu_ref.h"
#include "losses_ref.h"
#include "adamw_ref.h"

#define CHECK(call) do { cudaError_t e_ = (call); if (e_ != cudaSuccess) { \
    std::fprintf(stderr, "%s failed: %s (%s:%d)\n", #call, cudaGetErrorString(e_), __FILE__, __LINE__); std::exit(2); } } while (0)

static int failures = 0;
static std::mt19937 rng(7);

static std::vector<float> randf(size_t n, float lo = -3, float hi = 3) {
    std::uniform_real_distribution<float> u(lo, hi);
    std::vector<float> v(n);
    for (auto& x : v) x = u(rng);
    return v;
}

template <typename T> static T* up(const std::vector<T>& h) {
    T* d;
    CHECK(cudaMalloc(&d, std::max<size_t>(1, h.size()) * sizeof(T)));
    CHECK(cudaMemcpy(d, h.data(), h.size() * sizeof(T), cudaMemcpyHostToDevice));
    return d;
}

template <typename T> static std::vector<T> down(const T* d, size_t n) {
    std::vector<T> h(n);
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaMemcpy(h.data(), d, n * sizeof(T), cudaMemcpyDeviceToHost));
    return h;
}

static std::vector<double> dbl(const std::vector<float>& v) { return std::vector<double>(v.begin(), v.end()); }

// Compares got (kernel, float) with want (reference, double); reports the first mismatch.
static void compare(const char* what, const std::vector<float>& got, const std::vector<double>& want, double rtol, double atol) {
    size_t bad = 0, first = 0;
    for (size_t i = 0; i < want.size(); i++) {
        bool ok = std::isnan(want[i]) ? std::isnan(got[i]) : std::fabs(got[i] - want[i]) <= atol + rtol * std::fabs(want[i]);
        if (!ok && bad++ == 0) first = i;
    }
    if (bad) {
        failures++;
        std::printf("FAIL %-40s %zu of %zu differ; first [%zu] got %.8g want %.8g\n", what, bad, want.size(), first, got[first], want[first]);
    } else {
        std::printf("ok   %-40s (%zu values)\n", what, want.size());
    }
}

static Layout layout1(int n) { Layout L{}; L.rank = 1; L.dims[0] = n; return L; }
static Strides unit1() { Strides S{}; S.s[0] = 1; return S; }

static void check_elementwise() {
    int n = 10000;
    auto x = randf(n);
    float* dx = up(x);
    float* dy;
    CHECK(cudaMalloc(&dy, n * sizeof(float)));
    for (int op = 0; op <= 12; op++) {
        std::vector<float> in = x;
        if (op == U_LOG || op == U_SQRT || op == U_RSQRT) for (auto& v : in) v = std::fabs(v) + 1e-3f;
        float* din = up(in);
        unary_f<<<64, 256>>>(op, layout1(n), unit1(), din, DT_F32, dy, DT_F32, n);
        std::vector<double> want(n);
        for (int i = 0; i < n; i++) want[i] = ref_unary_scalar(op, in[i]);
        char name[64];
        std::snprintf(name, sizeof name, "unary_f op %d", op);
        compare(name, down(dy, n), want, 1e-5, 1e-6);
        CHECK(cudaFree(din));
    }
    // Broadcast binary: a [4,1,5] with b [3,1] into [4,3,5].
    auto a = randf(20), b = randf(3);
    float *da = up(a), *db = up(b), *dout;
    CHECK(cudaMalloc(&dout, 60 * sizeof(float)));
    Layout L{}; L.rank = 3; L.dims[0] = 4; L.dims[1] = 3; L.dims[2] = 5;
    Strides sa{}, sb{};
    sa.s[0] = 5; sa.s[1] = 0; sa.s[2] = 1;
    sb.s[0] = 0; sb.s[1] = 1; sb.s[2] = 0;
    int aDims[3] = {4, 1, 5}, bDims[2] = {3, 1}, oDims[3] = {4, 3, 5};
    for (int op = 0; op <= 12; op++) {
        std::vector<double> want(60);
        std::vector<float> aa = a;
        if (op == B_POW) for (auto& v : aa) v = std::fabs(v) + 0.1f;
        float* daa = up(aa);
        ref_broadcast_binary(op, dbl(aa).data(), aDims, 3, dbl(b).data(), bDims, 2, want.data(), oDims, 3);
        binary_f<<<1, 64>>>(op, L, sa, daa, DT_F32, sb, db, DT_F32, dout, DT_F32, 60);
        char name[64];
        std::snprintf(name, sizeof name, "binary_f broadcast op %d", op);
        compare(name, down(dout, 60), want, 1e-5, 1e-6);
        CHECK(cudaFree(daa));
    }
    // Transposing copy [3,4] -> [4,3] with a conversion to BF16 and back.
    auto m = randf(12);
    float* dm = up(m);
    void* dbf;
    CHECK(cudaMalloc(&dbf, 12 * 2));
    Layout T{}; T.rank = 2; T.dims[0] = 4; T.dims[1] = 3;
    Strides st{}, sc{};
    st.s[0] = 1; st.s[1] = 4;
    sc.s[0] = 3; sc.s[1] = 1;
    copy_strided<<<1, 32>>>(T, st, dm, DT_F32, sc, dbf, DT_BF16, 12);
    convert_contiguous<<<1, 32>>>(dbf, DT_BF16, dout, DT_F32, 12);
    std::vector<double> want(12);
    for (int i = 0; i < 4; i++) for (int j = 0; j < 3; j++) want[i * 3 + j] = m[j * 4 + i];
    compare("copy_strided transpose via bf16", down(dout, 12), want, 8e-3, 0);
    // The vectorised F32 -> BF16 cast against the per-element one (bit for bit), with a ragged tail.
    int nc = 10003;
    auto src = randf(nc);
    float* dsrc = up(src);
    __nv_bfloat16 *dv, *ds;
    CHECK(cudaMalloc(&dv, nc * 2)); CHECK(cudaMalloc(&ds, nc * 2));
    convert_f32_bf16<<<8, 256>>>(dsrc, dv, nc);
    convert_contiguous<<<8, 256>>>(dsrc, DT_F32, ds, DT_BF16, nc);
    std::vector<unsigned short> hv(nc), hs(nc);
    CHECK(cudaMemcpy(hv.data(), dv, nc * 2, cudaMemcpyDeviceToHost)); CHECK(cudaMemcpy(hs.data(), ds, nc * 2, cudaMemcpyDeviceToHost));
    int diff = 0;
    for (int i = 0; i < nc; i++) diff += hv[i] != hs[i];
    if (diff) { failures++; std::printf("FAIL convert_f32_bf16: %d of %d values differ from convert_contiguous\n", diff, nc); }
    else std::printf("ok   convert_f32_bf16                       (%d values, bit for bit)\n", nc);
    CHECK(cudaFree(dsrc)); CHECK(cudaFree(dv)); CHECK(cudaFree(ds));
    CHECK(cudaFree(dx)); CHECK(cudaFree(dy)); CHECK(cudaFree(da)); CHECK(cudaFree(db)); CHECK(cudaFree(dout));
    CHECK(cudaFree(dm)); CHECK(cudaFree(dbf));
}

static void check_reduce() {
    int rows = 37, n = 1000;
    auto x = randf((size_t) rows * n);
    for (auto& v : x) v = std::round(v * 4) / 4;  // ties
    x[5 * n + 17] = NAN;
    float* dx = up(x);
    float* dout;
    CHECK(cudaMalloc(&dout, rows * sizeof(float)));
    Layout L = layout1(rows);
    Strides S{}; S.s[0] = n;
    for (int op = 0; op <= 4; op++) {
        std::vector<double> want(rows);
        ref_reduce_rows(op, dbl(x).data(), rows, n, want.data());
        for (int variant = 0; variant < 2; variant++) {
            if (variant == 0) reduce_block<<<rows, 256>>>(op, L, S, dx, DT_F32, n, 1, dout, DT_F32, rows);
            else reduce_thread<<<1, 64>>>(op, L, S, dx, DT_F32, n, 1, dout, DT_F32, rows);
            char name[64];
            std::snprintf(name, sizeof name, "%s op %d", variant == 0 ? "reduce_block" : "reduce_thread", op);
            compare(name, down(dout, rows), want, 1e-5, 1e-3);
        }
    }
    CHECK(cudaFree(dx)); CHECK(cudaFree(dout));
}

static void check_rows() {
    for (int n : {50, 77, 3000}) {
        int rows = 100;
        size_t total = (size_t) rows * n;
        auto x = randf(total, -8, 8), dyv = randf(total);
        float *dx = up(x), *ddy = up(dyv), *dy, *dgrad;
        CHECK(cudaMalloc(&dy, total * sizeof(float)));
        CHECK(cudaMalloc(&dgrad, total * sizeof(float)));
        for (int logOut = 0; logOut < 2; logOut++) {
            if (n <= 1024) softmax_forward_warp<<<(rows + 7) / 8, 256>>>(dx, dy, rows, n, logOut);
            else softmax_forward_block<<<rows, 1024>>>(dx, dy, rows, n, logOut);
            std::vector<double> want(total), y(total), g(total);
            ref_softmax_forward(dbl(x).data(), want.data(), rows, n, logOut);
            char name[64];
            std::snprintf(name, sizeof name, "softmax%s forward n=%d", logOut ? " (log)" : "", n);
            auto got = down(dy, total);
            compare(name, got, want, 1e-5, 1e-6);
            if (n <= 1024) softmax_backward_warp<<<(rows + 7) / 8, 256>>>(dy, ddy, dgrad, rows, n, logOut);
            else softmax_backward_block<<<rows, 1024>>>(dy, ddy, dgrad, rows, n, logOut);
            ref_softmax_backward(dbl(got).data(), dbl(dyv).data(), g.data(), rows, n, logOut);
            std::snprintf(name, sizeof name, "softmax%s backward n=%d", logOut ? " (log)" : "", n);
            compare(name, down(dgrad, total), g, 1e-4, 1e-6);
        }
        CHECK(cudaFree(dx)); CHECK(cudaFree(ddy)); CHECK(cudaFree(dy)); CHECK(cudaFree(dgrad));
    }
}

static void check_layernorm() {
    int rows = 700, n = 768, chunks = (rows + 255) / 256;
    size_t total = (size_t) rows * n;
    auto x = randf(total), w = randf(n), b = randf(n), dyv = randf(total);
    float *dx = up(x), *dw = up(w), *db = up(b), *ddy = up(dyv), *dy, *dmean, *drstd, *dgx, *pw, *pb, *gw, *gb;
    CHECK(cudaMalloc(&dy, total * 4)); CHECK(cudaMalloc(&dgx, total * 4));
    CHECK(cudaMalloc(&dmean, rows * 4)); CHECK(cudaMalloc(&drstd, rows * 4));
    CHECK(cudaMalloc(&pw, (size_t) chunks * n * 4)); CHECK(cudaMalloc(&pb, (size_t) chunks * n * 4));
    CHECK(cudaMalloc(&gw, n * 4)); CHECK(cudaMalloc(&gb, n * 4));
    layernorm_forward<<<(rows + 7) / 8, 256>>>(dx, dw, db, dy, dmean, drstd, rows, n, 1e-5f);
    std::vector<double> y(total), mean(rows), rstd(rows), gx(total), gwr(n), gbr(n);
    ref_layernorm_forward(dbl(x).data(), dbl(w).data(), dbl(b).data(), y.data(), mean.data(), rstd.data(), rows, n, 1e-5);
    compare("layernorm forward", down(dy, total), y, 1e-5, 1e-5);
    layernorm_backward_dx<<<(rows + 7) / 8, 256>>>(ddy, dx, dw, dmean, drstd, dgx, rows, n);
    layernorm_backward_dwdb_partial<<<dim3((n + 31) / 32, chunks), dim3(32, 8)>>>(ddy, dx, dmean, drstd, pw, pb, rows, n, 256);
    layernorm_backward_dwdb_finish<<<(n + 255) / 256, 256>>>(pw, pb, gw, gb, chunks, n);
    ref_layernorm_backward(dbl(dyv).data(), dbl(x).data(), dbl(w).data(), mean.data(), rstd.data(), gx.data(), gwr.data(), gbr.data(), rows, n);
    compare("layernorm backward dx", down(dgx, total), gx, 1e-4, 1e-5);
    compare("layernorm backward dweight", down(gw, n), gwr, 1e-4, 1e-3);
    compare("layernorm backward dbias", down(gb, n), gbr, 1e-4, 1e-3);
    for (float* p : {dx, dw, db, ddy, dy, dmean, drstd, dgx, pw, pb, gw, gb}) CHECK(cudaFree(p));
}

static void check_gelu_losses_adamw() {
    int n = 5000;
    auto x = randf(n, -6, 6), g = randf(n);
    float *dx = up(x), *dg = up(g), *dy;
    CHECK(cudaMalloc(&dy, n * 4));
    std::vector<double> want(n);
    quick_gelu_forward<<<32, 256>>>(dx, dy, n);
    for (int i = 0; i < n; i++) want[i] = ref_quick_gelu(x[i]);
    compare("quick_gelu forward", down(dy, n), want, 1e-5, 1e-6);
    quick_gelu_backward<<<32, 256>>>(dx, dg, dy, n);
    for (int i = 0; i < n; i++) want[i] = g[i] * ref_quick_gelu_grad(x[i]);
    compare("quick_gelu backward", down(dy, n), want, 1e-5, 1e-6);

    int rows = 256, C = 300;
    size_t total = (size_t) rows * C;
    auto logits = randf(total, -6, 6), other = randf(total, -6, 6), dl = randf(rows, 0.5f, 2);
    std::vector<int> t(rows);
    for (int& v : t) v = rng() % C;
    float *dlog = up(logits), *doth = up(other), *ddl = up(dl), *dloss, *dlse, *dgrad;
    int* dt = up(t);
    int* dbad;
    CHECK(cudaMalloc(&dloss, rows * 4)); CHECK(cudaMalloc(&dlse, rows * 4)); CHECK(cudaMalloc(&dgrad, total * 4));
    CHECK(cudaMalloc(&dbad, 4)); CHECK(cudaMemset(dbad, 0, 4));
    cross_entropy_forward<<<rows / 8, 256>>>(dlog, dt, dloss, dlse, rows, C, dbad);
    std::vector<double> l(rows), gr(total);
    ref_cross_entropy_forward(dbl(logits).data(), t.data(), l.data(), rows, C);
    compare("cross_entropy forward", down(dloss, rows), l, 1e-5, 1e-5);
    cross_entropy_backward<<<64, 256>>>(dlog, dt, dlse, ddl, dgrad, rows, C);
    ref_cross_entropy_backward(dbl(logits).data(), t.data(), dbl(dl).data(), gr.data(), rows, C);
    compare("cross_entropy backward", down(dgrad, total), gr, 1e-5, 1e-7);
    if (down(dbad, 1)[0] != 0) { failures++; std::printf("FAIL cross_entropy flagged a valid target\n"); }
    for (float T : {1.0f, 2.0f}) {
        softmax_kl_forward<<<rows / 8, 256>>>(doth, dlog, dloss, rows, C, 1.0f / T);
        ref_softmax_kl_forward(dbl(other).data(), dbl(logits).data(), l.data(), rows, C, T);
        compare(T == 1 ? "softmax_kl forward T=1" : "softmax_kl forward T=2", down(dloss, rows), l, 1e-4, 1e-6);
        softmax_kl_backward<<<rows / 8, 256>>>(doth, dlog, ddl, dgrad, rows, C, 1.0f / T);
        ref_softmax_kl_backward(dbl(other).data(), dbl(logits).data(), dbl(dl).data(), gr.data(), rows, C, T);
        compare(T == 1 ? "softmax_kl backward T=1" : "softmax_kl backward T=2", down(dgrad, total), gr, 1e-5, 1e-7);
    }

    std::vector<float> p = randf(n), zeros(n, 0.0f);
    float *dp = up(p), *dm = up(zeros), *dv = up(zeros);
    std::vector<double> pr = dbl(p), mr(n, 0), vr(n, 0);
    for (int step = 1; step <= 3; step++) {
        auto gs = randf(n);
        float* dgs = up(gs);
        AdamWParams h{1e-3f, 0.9f, 0.99f, 1e-8f, 0.2f, (float) (1 - std::pow(0.9, step)), (float) (1 - std::pow(0.99, step)), 1.0f};
        adamw_step<<<32, 256>>>(dp, dgs, dm, dv, nullptr, n, h);
        ref_adamw_step(pr.data(), dbl(gs).data(), mr.data(), vr.data(), n, step, 1e-3, 0.9, 0.99, 1e-8, 0.2);
        CHECK(cudaDeviceSynchronize());
        CHECK(cudaFree(dgs));
    }
    compare("adamw 3 steps", down(dp, n), pr, 1e-5, 1e-6);
    for (float* q : {dx, dg, dy, dlog, doth, ddl, dloss, dlse, dgrad, dp, dm, dv}) CHECK(cudaFree(q));
    CHECK(cudaFree(dt)); CHECK(cudaFree(dbad));
}

static void check_indexing() {
    int V = 100, D = 16;
    auto table = randf((size_t) V * D);
    std::vector<int> ids = {3, 99, 0, -1, 42};
    float *dtab = up(table), *dout;
    int *dids = up(ids), *dbad;
    CHECK(cudaMalloc(&dout, ids.size() * D * 4));
    CHECK(cudaMalloc(&dbad, 4)); CHECK(cudaMemset(dbad, 0, 4));
    Layout L{}; L.rank = 2; L.dims[0] = (int) ids.size(); L.dims[1] = D;
    Strides S{}; S.s[0] = D; S.s[1] = 1;
    index_select<<<1, 128>>>(L, S, dtab, DT_F32, 0, V, dids, dout, DT_F32, (int) ids.size() * D, dbad);
    std::vector<double> want(ids.size() * D);
    for (size_t i = 0; i < ids.size(); i++) for (int j = 0; j < D; j++) want[i * D + j] = table[(size_t) ((ids[i] + V) % V) * D + j];
    compare("index_select rows", down(dout, want.size()), want, 0, 0);
    if (down(dbad, 1)[0] != 0) { failures++; std::printf("FAIL index_select flagged valid indices\n"); }
    std::vector<int> badIds = {100};
    int* dbadIds = up(badIds);
    L.dims[0] = 1;
    index_select<<<1, 32>>>(L, S, dtab, DT_F32, 0, V, dbadIds, dout, DT_F32, D, dbad);
    if (down(dbad, 1)[0] == 0) { failures++; std::printf("FAIL index_select missed an index out of range\n"); }
    else std::printf("ok   index_select reports an index out of range\n");
    CHECK(cudaFree(dtab)); CHECK(cudaFree(dout)); CHECK(cudaFree(dids)); CHECK(cudaFree(dbad)); CHECK(cudaFree(dbadIds));
}

// Median of reps timed launches after warm-up, in ms.
template <typename F> static float time_ms(F launch, int reps = 20) {
    cudaEvent_t a, b;
    CHECK(cudaEventCreate(&a)); CHECK(cudaEventCreate(&b));
    for (int i = 0; i < 3; i++) launch();
    std::vector<float> ms(reps);
    for (int i = 0; i < reps; i++) {
        CHECK(cudaEventRecord(a));
        launch();
        CHECK(cudaEventRecord(b));
        CHECK(cudaEventSynchronize(b));
        CHECK(cudaEventElapsedTime(&ms[i], a, b));
    }
    CHECK(cudaEventDestroy(a)); CHECK(cudaEventDestroy(b));
    std::sort(ms.begin(), ms.end());
    return ms[reps / 2];
}

static void benchmarks() {
    int rows = 256 * 12 * 50, n = 50;  // ViT-B/32 attention scores at batch 256
    int lr = 256 * 50, ln = 768;       // its residual stream
    size_t elems = std::max((size_t) rows * n, (size_t) lr * ln);  // x and y serve both benchmarks
    float *x, *y;
    CHECK(cudaMalloc(&x, elems * 4)); CHECK(cudaMalloc(&y, elems * 4));
    CHECK(cudaMemset(x, 0, elems * 4));
    float ms = time_ms([&] { softmax_forward_warp<<<(rows + 7) / 8, 256>>>(x, y, rows, n, 0); });
    std::printf("bench kernel_softmax_vit_b32_b256 %.4g ms\nbench kernel_softmax_vit_b32_b256_bw %.4g GB/s\n", ms, 2.0 * rows * n * 4 / (ms * 1e6));
    float *w, *mean, *rstd;
    CHECK(cudaMalloc(&w, ln * 4)); CHECK(cudaMalloc(&mean, lr * 4)); CHECK(cudaMalloc(&rstd, lr * 4));
    CHECK(cudaMemset(w, 0, ln * 4));
    ms = time_ms([&] { layernorm_forward<<<(lr + 7) / 8, 256>>>(x, w, w, y, mean, rstd, lr, ln, 1e-5f); });
    std::printf("bench kernel_layernorm_fwd_12800x768 %.4g ms\nbench kernel_layernorm_fwd_12800x768_bw %.4g GB/s\n", ms, 2.0 * lr * ln * 4 / (ms * 1e6));
    int nb = 4096 * 4096;  // the cast in front of a 4096^3 BF16 product
    float* big;
    __nv_bfloat16* big16;
    CHECK(cudaMalloc(&big, (size_t) nb * 4)); CHECK(cudaMalloc(&big16, (size_t) nb * 2));
    CHECK(cudaMemset(big, 0, (size_t) nb * 4));
    ms = time_ms([&] { convert_f32_bf16<<<132 * 16, 256>>>(big, big16, nb); });
    std::printf("bench kernel_cast_f32_bf16_4096sq %.4g ms\nbench kernel_cast_f32_bf16_4096sq_bw %.4g GB/s\n", ms, 6.0 * nb / (ms * 1e6));
    CHECK(cudaFree(big)); CHECK(cudaFree(big16));
    CHECK(cudaFree(x)); CHECK(cudaFree(y)); CHECK(cudaFree(w)); CHECK(cudaFree(mean)); CHECK(cudaFree(rstd));
}

#include "attention_check.cuh"

int main() {
    cudaDeviceProp prop;
    CHECK(cudaGetDeviceProperties(&prop, 0));
    std::printf("kernel_check on %s (sm_%d%d)\n", prop.name, prop.major, prop.minor);
    check_elementwise();
    check_reduce();
    check_rows();
    check_layernorm();
    check_gelu_losses_adamw();
    check_indexing();
    check_attention();
    CHECK(cudaDeviceSynchronize());
    CHECK(cudaGetLastError());
    if (failures == 0) {
        benchmarks();
        bench_attention();
    }
    std::printf("kernel_check: %d failures\n", failures);
    return failures == 0 ? 0 : 1;
}
