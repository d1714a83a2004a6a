// CPU reference for attention.cu, in double: softmax(q k^T * scale + mask) v and its backward,
// over N = B*H (batch, head) pairs. q [N, Sq, Dh], k and v [N, Sk, Dh], contiguous; mask [Sq, Sk]
// additive or null; probs [N, Sq, Sk] (the forward's softmax), out [N, Sq, Dh].
#pragma once
#include <math.h>

inline void ref_attention_forward(const double* q, const double* k, const double* v, const double* mask,
                                  double* out, double* probs, int n, int sq, int sk, int dh, double scale) {
    for (int b = 0; b < n; b++) {
        for (int i = 0; i < sq; i++) {
            const double* qi = q + ((long) b * sq + i) * dh;
            double* pi = probs + ((long) b * sq + i) * sk;
            double m = -INFINITY;
            for (int j = 0; j < sk; j++) {
                const double* kj = k + ((long) b * sk + j) * dh;
                double s = 0;
                for (int d = 0; d < dh; d++) s += qi[d] * kj[d];
                pi[j] = s * scale + (mask ? mask[(long) i * sk + j] : 0.0);
                m = fmax(m, pi[j]);
            }
            double sum = 0;
            for (int j = 0; j < sk; j++) { pi[j] = exp(pi[j] - m); sum += pi[j]; }
            for (int j = 0; j < sk; j++) pi[j] /= sum;
            double* oi = out + ((long) b * sq + i) * dh;
            for (int d = 0; d < dh; d++) {
                double o = 0;
                for (int j = 0; j < sk; j++) o += pi[j] * v[((long) b * sk + j) * dh + d];
                oi[d] = o;
            }
        }
    }
}

// g = dL/dout [N, Sq, Dh]; dS = P (dP - rowsum(P dP)) * scale with dP = g v^T;
// dq = dS k, dk = dS^T q, dv = P^T g.
inline void ref_attention_backward(const double* q, const double* k, const double* v, const double* probs, const double* g,
                                   double* dq, double* dk, double* dv, int n, int sq, int sk, int dh, double scale) {
    for (long e = 0; e < (long) n * sq * dh; e++) dq[e] = 0;
    for (long e = 0; e < (long) n * sk * dh; e++) { dk[e] = 0; dv[e] = 0; }
    double* ds = new double[sk];
    for (int b = 0; b < n; b++) {
        for (int i = 0; i < sq; i++) {
            const double* pi = probs + ((long) b * sq + i) * sk;
            const double* gi = g + ((long) b * sq + i) * dh;
            const double* qi = q + ((long) b * sq + i) * dh;
            double dot = 0;
            for (int j = 0; j < sk; j++) {
                double dp = 0;
                for (int d = 0; d < dh; d++) dp += gi[d] * v[((long) b * sk + j) * dh + d];
                ds[j] = dp;
                dot += pi[j] * dp;
            }
            for (int j = 0; j < sk; j++) {
                ds[j] = pi[j] * (ds[j] - dot) * scale;
                for (int d = 0; d < dh; d++) {
                    dq[((long) b * sq + i) * dh + d] += ds[j] * k[((long) b * sk + j) * dh + d];
                    dk[((long) b * sk + j) * dh + d] += ds[j] * qi[d];
                    dv[((long) b * sk + j) * dh + d] += pi[j] * gi[d];
                }
            }
        }
    }
    delete[] ds;
}
