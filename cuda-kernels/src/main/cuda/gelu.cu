// QuickGELU (OpenAI CLIP's activation), forward and backward, on contiguous F32 buffers:
//   y  = x * s, s = sigmoid(1.702 x)
//   dx = dy * (s + 1.702 x s (1 - s))
// Pure bandwidth: one element per thread per iteration in a grid-stride loop.
// CPU reference: gelu_ref.h.
#include "common.cuh"
#include "gelu.cuh"

extern "C" __global__ void quick_gelu_forward(const float* x, float* y, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) y[i] = quick_gelu(x[i]);
}

extern "C" __global__ void quick_gelu_backward(const float* x, const float* dy, float* dx, int n) {
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) dx[i] = dy[i] * quick_gelu_grad(x[i]);
}
