// Host-side checks of the CUDA kernels' shared scalar code (common.cuh, ops.cuh, reduce.cuh,
// gelu.cuh, adamw.cuh: the same source the kernels compile) and of the CPU references beside the
// kernels (*_ref.h): backward references against central finite differences of their forwards,
// tree-ordered merges (as the warp shuffles do them) against sequential scans, strided indexing
// against explicit multi-indices. Built and run by scripts/compile-cuda.sh with g++; no GPU needed.
// What it cannot check: the kernels themselves (launch shapes, shuffles, shared memory).
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <vector>
#include <random>
#include <functional>
#include "common.cuh"
#include "ops.cuh"
#include "reduce.cuh"
#include "gelu.cuh"
#include "adamw.cuh"
#include "elementwise_ref.h"
#include "reduce_ref.h"
#include "softmax_ref.h"
#include "layernorm_ref.h"
#include "gelu_ref.h"
#include "losses_ref.h"
#include "adamw_ref.h"
#include "attention_ref.h"

static int failures = 0, checks = 0;
static std::mt19937 rng(1234);

static double uni(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }

static bool close(double got, double want, double rtol, double atol) {
    if (std::isnan(want)) return std::isnan(got);
    if (std::isinf(want)) return got == want;
    return std::fabs(got - want) <= atol + rtol * std::fabs(want);
}

static void expect(bool ok, const char* what, double got, double want) {
    checks++;
    if (!ok) {
        failures++;
        if (failures <= 20) std::printf("FAIL %s: got %.9g want %.9g\n", what, got, want);
    }
}

static std::vector<double> randv(int n, double lo = -3, double hi = 3) {
    std::vector<double> v(n);
    for (auto& e : v) e = uni(lo, hi);
    return v;
}

// Central differences of a scalar function f of vector x, compared with an analytic gradient.
static void check_grad(const char* what, std::vector<double> x, const std::function<double(const std::vector<double>&)>& f,
                       const std::vector<double>& grad, double tol) {
    const double h = 1e-5;
    for (size_t i = 0; i < x.size(); i++) {
        double x0 = x[i];
        x[i] = x0 + h;
        double fp = f(x);
        x[i] = x0 - h;
        double fm = f(x);
        x[i] = x0;
        double fd = (fp - fm) / (2 * h);
        expect(close(grad[i], fd, tol, tol), what, grad[i], fd);
    }
}

static void test_strided_index() {
    // A [2,3,4] array viewed as permute(2,0,1) -> [4,2,3], then narrowed, then a broadcast dim added.
    for (int trial = 0; trial < 50; trial++) {
        int d0 = 1 + rng() % 4, d1 = 1 + rng() % 4, d2 = 1 + rng() % 4;
        int st[3] = {d1 * d2, d2, 1};
        // permuted view [d2, d0, d1] with strides (1, d1*d2, d2), offset 0, plus a broadcast dim of 3 in front
        Layout L{4, {3, d2, d0, d1}};
        Strides S{5, {0, st[2], st[0], st[1]}};
        int flat = 0;
        for (int a = 0; a < 3; a++)
            for (int i2 = 0; i2 < d2; i2++)
                for (int i0 = 0; i0 < d0; i0++)
                    for (int i1 = 0; i1 < d1; i1++, flat++) {
                        int want = 5 + i0 * st[0] + i1 * st[1] + i2 * st[2];
                        int got = strided_index(L, S, flat);
                        expect(got == want, "strided_index", got, want);
                    }
    }
}

static void test_elementwise() {
    for (int op = 0; op <= 12; op++) {
        for (int k = 0; k < 200; k++) {
            double x = uni(-6, 6);
            if (op == U_LOG || op == U_SQRT || op == U_RSQRT) x = std::fabs(x) + 1e-3;
            if (op == U_RECIPROCAL && std::fabs(x) < 1e-3) x = 1;
            double want = ref_unary_scalar(op, x);
            expect(close(unary_apply<double>(op, x), want, 1e-12, 1e-300), "unary_apply<double>", unary_apply<double>(op, x), want);
            float xf = (float) x;
            double wantf = ref_unary_scalar(op, (double) xf);
            expect(close(unary_apply<float>(op, xf), wantf, 1e-5, 1e-30), "unary_apply<float>", unary_apply<float>(op, xf), wantf);
        }
        expect(std::isnan(unary_apply<float>(op, NAN)), "unary NaN propagates", unary_apply<float>(op, NAN), NAN);
    }
    for (int op = 0; op <= 12; op++) {
        for (int k = 0; k < 200; k++) {
            double a = std::round(uni(-5, 5)), b = std::round(uni(-5, 5));
            if (k % 2) { a = uni(-5, 5); b = uni(-5, 5); }
            if (op == B_POW) a = std::fabs(a) + 0.5;
            if (op == B_DIV && b == 0) b = 2;
            for (bool intRes : {false, true}) {
                double want = ref_binary_scalar(op, a, b, intRes), got = binary_apply<double>(op, a, b, intRes);
                expect(close(got, want, 1e-12, 1e-300), "binary_apply<double>", got, want);
            }
        }
        double n1 = binary_apply<float>(op, NAN, 1.0f, false), r1 = ref_binary_scalar(op, NAN, 1.0, false);
        expect(close(n1, r1, 0, 0), "binary with NaN", n1, r1);
    }
    // Broadcasting through strides (what the kernel does) against explicit multi-indices.
    int aDims[3] = {4, 1, 5}, bDims[2] = {3, 1}, oDims[3] = {4, 3, 5};
    std::vector<double> a = randv(20), b = randv(3), want(60);
    ref_broadcast_binary(B_SUB, a.data(), aDims, 3, b.data(), bDims, 2, want.data(), oDims, 3);
    Layout L{3, {4, 3, 5}};
    Strides sa{0, {5, 0, 1}}, sb{0, {0, 1, 0}};
    for (int i = 0; i < 60; i++) {
        double got = binary_apply<double>(B_SUB, a[strided_index(L, sa, i)], b[strided_index(L, sb, i)], false);
        expect(close(got, want[i], 0, 0), "broadcast binary", got, want[i]);
    }
}

// Folds b into pairs in a random tree order, as shuffles and block reductions do.
template <typename T, typename F>
static T tree_fold(std::vector<T> v, F merge) {
    while (v.size() > 1) {
        size_t i = rng() % (v.size() - 1);
        v[i] = (rng() % 2) ? merge(v[i], v[i + 1]) : merge(v[i + 1], v[i]);
        v.erase(v.begin() + i + 1);
    }
    return v[0];
}

static void test_reduce_merge() {
    for (int trial = 0; trial < 300; trial++) {
        int n = 1 + rng() % 40;
        std::vector<double> x(n);
        for (auto& e : x) {
            e = std::round(uni(-4, 4));  // many ties
            if (rng() % 25 == 0) e = NAN;
        }
        for (int op = 1; op <= 4; op++) {
            double want;
            ref_reduce_rows(op, x.data(), 1, n, &want);
            std::vector<Best> leaves;
            for (int j = 0; j < n; j++) leaves.push_back(Best{(float) x[j], j});
            leaves.push_back(Best{0.0f, -1});  // an idle lane
            Best b = tree_fold(leaves, [op](Best p, Best q) { return best_merge(op, p, q); });
            double got = (op >= 3) ? b.i : b.v;
            expect(close(got, want, 0, 0), "best_merge tree vs scan", got, want);
        }
    }
}

static void test_softmax() {
    for (int trial = 0; trial < 50; trial++) {
        int n = 1 + rng() % 100;
        std::vector<double> x = randv(n, -20, 20);
        std::vector<MaxSum> leaves;
        for (double e : x) leaves.push_back(MaxSum{(float) e, 1.0f});
        leaves.push_back(MaxSum{-INFINITY, 0.0f});
        MaxSum st = tree_fold(leaves, maxsum_merge);
        double lse = ref_row_lse(x.data(), n, 1.0);
        double got = st.m + std::log((double) st.s);
        expect(close(got, lse, 1e-6, 1e-6), "online max-sum tree vs log-sum-exp", got, lse);
        MaxSum seq{-INFINITY, 0.0f};
        for (double e : x) seq = maxsum_push(seq, (float) e);
        got = seq.m + std::log((double) seq.s);
        expect(close(got, lse, 1e-6, 1e-6), "online max-sum scan vs log-sum-exp", got, lse);
    }
    for (bool logOut : {false, true}) {
        int rows = 3, n = 7;
        std::vector<double> x = randv(rows * n), y(rows * n), dy = randv(rows * n), dx(rows * n);
        ref_softmax_forward(x.data(), y.data(), rows, n, logOut);
        ref_softmax_backward(y.data(), dy.data(), dx.data(), rows, n, logOut);
        check_grad(logOut ? "log_softmax backward vs FD" : "softmax backward vs FD", x, [&](const std::vector<double>& xx) {
            std::vector<double> yy(rows * n);
            ref_softmax_forward(xx.data(), yy.data(), rows, n, logOut);
            double s = 0;
            for (int i = 0; i < rows * n; i++) s += yy[i] * dy[i];
            return s;
        }, dx, 1e-6);
    }
}

static void test_layernorm() {
    int rows = 3, n = 6;
    std::vector<double> x = randv(rows * n), w = randv(n), b = randv(n), dy = randv(rows * n);
    std::vector<double> y(rows * n), mean(rows), rstd(rows), dx(rows * n), dw(n), db(n);
    double eps = 1e-5;
    ref_layernorm_forward(x.data(), w.data(), b.data(), y.data(), mean.data(), rstd.data(), rows, n, eps);
    ref_layernorm_backward(dy.data(), x.data(), w.data(), mean.data(), rstd.data(), dx.data(), dw.data(), db.data(), rows, n);
    auto loss = [&](const std::vector<double>& xx, const std::vector<double>& ww, const std::vector<double>& bb) {
        std::vector<double> yy(rows * n);
        ref_layernorm_forward(xx.data(), ww.data(), bb.data(), yy.data(), nullptr, nullptr, rows, n, eps);
        double s = 0;
        for (int i = 0; i < rows * n; i++) s += yy[i] * dy[i];
        return s;
    };
    check_grad("layernorm dx vs FD", x, [&](const std::vector<double>& xx) { return loss(xx, w, b); }, dx, 1e-5);
    check_grad("layernorm dw vs FD", w, [&](const std::vector<double>& ww) { return loss(x, ww, b); }, dw, 1e-5);
    check_grad("layernorm db vs FD", b, [&](const std::vector<double>& bb) { return loss(x, w, bb); }, db, 1e-5);
    for (int r = 0; r < rows; r++) {  // normalised rows: mean 0, variance 1 before the affine part
        double m = 0, v = 0;
        for (int j = 0; j < n; j++) m += (y[r * n + j] - b[j]) / w[j];
        for (int j = 0; j < n; j++) { double t = (y[r * n + j] - b[j]) / w[j] - m / n; v += t * t; }
        expect(close(m / n, 0, 0, 1e-9), "layernorm row mean", m / n, 0);
        expect(close(v / n, 1, 1e-4, 0), "layernorm row variance", v / n, 1);
    }
}

static void test_gelu() {
    std::vector<double> x = randv(40, -6, 6), g(40);
    for (int i = 0; i < 40; i++) {
        g[i] = ref_quick_gelu_grad(x[i]);
        expect(close(quick_gelu((float) x[i]), ref_quick_gelu((float) x[i]), 2e-6, 1e-7), "quick_gelu float vs ref", quick_gelu((float) x[i]), ref_quick_gelu((float) x[i]));
        expect(close(quick_gelu_grad((float) x[i]), ref_quick_gelu_grad((float) x[i]), 2e-6, 1e-7), "quick_gelu_grad float vs ref", quick_gelu_grad((float) x[i]), ref_quick_gelu_grad((float) x[i]));
    }
    check_grad("quick_gelu grad vs FD", x, [](const std::vector<double>& xx) {
        double s = 0;
        for (size_t i = 0; i < xx.size(); i++) s += ref_quick_gelu(xx[i]) * (i % 3 + 1);
        return s;
    }, [&] { std::vector<double> w(40); for (int i = 0; i < 40; i++) w[i] = g[i] * (i % 3 + 1); return w; }(), 1e-6);
}

static void test_losses() {
    int rows = 4, C = 5;
    std::vector<double> x = randv(rows * C), t2 = randv(rows * C), dl = randv(rows, 0.5, 2), dx(rows * C);
    std::vector<int> t = {0, 4, 2, 2};
    ref_cross_entropy_backward(x.data(), t.data(), dl.data(), dx.data(), rows, C);
    check_grad("cross-entropy grad vs FD", x, [&](const std::vector<double>& xx) {
        std::vector<double> l(rows);
        ref_cross_entropy_forward(xx.data(), t.data(), l.data(), rows, C);
        double s = 0;
        for (int r = 0; r < rows; r++) s += l[r] * dl[r];
        return s;
    }, dx, 1e-6);
    for (double T : {1.0, 2.0}) {
        std::vector<double> ds(rows * C), kl(rows);
        ref_softmax_kl_backward(t2.data(), x.data(), dl.data(), ds.data(), rows, C, T);
        check_grad("softmax-KL student grad vs FD", x, [&](const std::vector<double>& xx) {
            std::vector<double> k(rows);
            ref_softmax_kl_forward(t2.data(), xx.data(), k.data(), rows, C, T);
            double s = 0;
            for (int r = 0; r < rows; r++) s += k[r] * dl[r];
            return s;
        }, ds, 1e-6);
        ref_softmax_kl_forward(t2.data(), x.data(), kl.data(), rows, C, T);
        for (double k : kl) expect(k > 0, "KL(p||q) > 0 for p != q", k, 0);
        ref_softmax_kl_forward(x.data(), x.data(), kl.data(), rows, C, T);
        for (double k : kl) expect(close(k, 0, 0, 1e-12), "KL(p||p) = 0", k, 0);
    }
}

static void test_adamw() {
    const int n = 16;
    double lr = 1e-3, b1 = 0.9, b2 = 0.99, eps = 1e-8, wd = 0.2;
    std::vector<double> p = randv(n), m(n, 0), v(n, 0);
    std::vector<float> pf(n), mf(n, 0), vf(n, 0);
    for (int i = 0; i < n; i++) pf[i] = (float) p[i];
    std::vector<double> p0 = p;
    for (int t = 1; t <= 5; t++) {
        std::vector<double> g = randv(n);
        if (t == 1) {  // first step, closed form: p (1 - lr wd) - lr g / (|g| + eps)
            std::vector<double> pc = p, mc = m, vc = v;
            ref_adamw_step(pc.data(), g.data(), mc.data(), vc.data(), n, 1, lr, b1, b2, eps, wd);
            for (int i = 0; i < n; i++) {
                double want = p0[i] * (1 - lr * wd) - lr * g[i] / (std::fabs(g[i]) + eps);
                expect(close(pc[i], want, 1e-12, 1e-12), "adamw first step closed form", pc[i], want);
            }
        }
        ref_adamw_step(p.data(), g.data(), m.data(), v.data(), n, t, lr, b1, b2, eps, wd);
        AdamWParams h{(float) lr, (float) b1, (float) b2, (float) eps, (float) wd,
                      (float) (1 - std::pow(b1, t)), (float) (1 - std::pow(b2, t)), 1.0f};
        for (int i = 0; i < n; i++) adamw_update(h, &pf[i], (float) g[i], &mf[i], &vf[i]);
    }
    for (int i = 0; i < n; i++) expect(close(pf[i], p[i], 1e-5, 1e-6), "adamw_update float vs ref over 5 steps", pf[i], p[i]);
}

// Attention's backward against finite differences of the forward, for q, k and v, with a causal mask.
static void test_attention() {
    int n = 2, sq = 4, sk = 5, dh = 3;
    double scale = 0.7;
    std::vector<double> q = randv(n * sq * dh), k = randv(n * sk * dh), v = randv(n * sk * dh), g = randv(n * sq * dh);
    std::vector<double> mask(sq * sk, 0.0);
    for (int i = 0; i < sq; i++) for (int j = i + 2; j < sk; j++) mask[i * sk + j] = -INFINITY;
    std::vector<double> out(n * sq * dh), probs(n * sq * sk), dq(q.size()), dk(k.size()), dv(v.size());
    ref_attention_forward(q.data(), k.data(), v.data(), mask.data(), out.data(), probs.data(), n, sq, sk, dh, scale);
    ref_attention_backward(q.data(), k.data(), v.data(), probs.data(), g.data(), dq.data(), dk.data(), dv.data(), n, sq, sk, dh, scale);
    auto loss = [&](const std::vector<double>& qq, const std::vector<double>& kk, const std::vector<double>& vv) {
        std::vector<double> o(n * sq * dh), p(n * sq * sk);
        ref_attention_forward(qq.data(), kk.data(), vv.data(), mask.data(), o.data(), p.data(), n, sq, sk, dh, scale);
        double s = 0;
        for (size_t i = 0; i < o.size(); i++) s += o[i] * g[i];
        return s;
    };
    check_grad("attention dq vs FD", q, [&](const std::vector<double>& x) { return loss(x, k, v); }, dq, 1e-6);
    check_grad("attention dk vs FD", k, [&](const std::vector<double>& x) { return loss(q, x, v); }, dk, 1e-6);
    check_grad("attention dv vs FD", v, [&](const std::vector<double>& x) { return loss(q, k, x); }, dv, 1e-6);
    // A masked entry's probability is exactly zero and rows sum to one.
    for (int b = 0; b < n; b++) for (int i = 0; i < sq; i++) {
        double sum = 0;
        for (int j = 0; j < sk; j++) sum += probs[(b * sq + i) * sk + j];
        expect(close(sum, 1.0, 1e-12, 1e-12), "attention probs row sum", sum, 1.0);
    }
    expect(probs[0 * sk + 4] == 0.0, "attention masked prob", probs[4], 0.0);
}

int main() {
    test_strided_index();
    test_elementwise();
    test_reduce_merge();
    test_softmax();
    test_layernorm();
    test_gelu();
    test_losses();
    test_adamw();
    test_attention();
    std::printf("ref_check: %d checks, %d failures\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
