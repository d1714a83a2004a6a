#!/usr/bin/env python3
"""PyTorch's side of the GPU benchmark table: the same workloads as clipcl.cuda.CudaBench, on the
same GPU, timed the same way (CUDA events, median after warm-up), printed as
`bench <name> <value> <unit>` lines that scripts/gpu-run.sh pairs with ours.
Untested until it runs on a lent GPU (see scripts/gpu-run.sh)."""
import statistics
import sys

import torch


def time_ms(fn, warmup, reps):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    out = []
    for _ in range(reps):
        start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        out.append(start.elapsed_time(stop))
    return statistics.median(out)


INNER = 20


def time_each(fn):
    """Per-call ms of fn run INNER times back to back per timed run (as CudaBench.timeEach)."""
    def many():
        for _ in range(INNER):
            fn()
    return time_ms(many, 5, 11) / INNER


def report(name, value, unit):
    print(f"bench {name} {value:.4g} {unit}", flush=True)


def main():
    if not torch.cuda.is_available():
        print("bench skipped: torch sees no CUDA device")
        return
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 4096
    dev = torch.device("cuda")
    print(f"device {torch.cuda.get_device_name(0)}, torch {torch.__version__}, CUDA {torch.version.cuda}, "
          f"cuDNN {torch.backends.cudnn.version()}", flush=True)
    a = torch.rand(n, n, device=dev) * 2 - 1
    c = torch.rand(n, n, device=dev) * 2 - 1
    for prec in ("fp32", "tf32", "bf16"):
        torch.backends.cuda.matmul.allow_tf32 = prec == "tf32"
        if prec == "bf16":
            # Same work as ours: the BF16 casts are part of each product (autocast casts per call).
            fn = lambda: torch.matmul(a.bfloat16(), c.bfloat16()).float()
        else:
            fn = lambda: torch.matmul(a, c)
        ms = time_ms(fn, 3, 10)
        report(f"gemm_{prec}_{n}", 2.0 * n ** 3 / (ms * 1e-3) / 1e12, "TFLOP/s")
    torch.backends.cuda.matmul.allow_tf32 = False
    a16, c16 = a.bfloat16(), c.bfloat16()
    ms = time_ms(lambda: torch.matmul(a16, c16), 3, 10)
    report(f"gemm_bf16_inputs_{n}", 2.0 * n ** 3 / (ms * 1e-3) / 1e12, "TFLOP/s")
    a16b, c16b = a16[None], c16[None]
    ms = time_ms(lambda: torch.bmm(a16b, c16b), 3, 10)
    report(f"gemm_bf16_inputs_batched1_{n}", 2.0 * n ** 3 / (ms * 1e-3) / 1e12, "TFLOP/s")
    report(f"cast_f32_bf16_{n}sq", time_ms(lambda: a.bfloat16(), 3, 10), "ms")
    scores = torch.rand(256 * 12, 50, 50, device=dev)
    report("softmax_vit_b32_b256", time_each(lambda: torch.softmax(scores, -1)), "ms")
    x = torch.rand(256 * 50, 768, device=dev, requires_grad=True)
    w = torch.rand(768, device=dev, requires_grad=True)
    b = torch.rand(768, device=dev, requires_grad=True)
    report("layernorm_fwd_12800x768", time_each(lambda: torch.nn.functional.layer_norm(x, (768,), w, b, 1e-5)), "ms")
    y = torch.nn.functional.layer_norm(x, (768,), w, b, 1e-5)
    dy = torch.rand_like(y)
    report("layernorm_bwd_12800x768",
           time_each(lambda: torch.autograd.grad(y, (x, w, b), dy, retain_graph=True)), "ms")
    # Attention at ViT-B/32's shapes, batch 256, through PyTorch's fused scaled_dot_product_attention:
    # FP32, and BF16 as autocast runs it.
    for tag, dt in (("fp32", torch.float32), ("bf16", torch.bfloat16)):
        for name, bh, l, causal in (("image", 256 * 12, 50, False), ("text", 256 * 8, 77, True)):
            q, k, v = (torch.rand(bh, l, 64, device=dev) * 2 - 1 for _ in range(3))
            if dt == torch.bfloat16:
                fn = lambda: torch.nn.functional.scaled_dot_product_attention(q.bfloat16(), k.bfloat16(), v.bfloat16(), is_causal=causal)
            else:
                fn = lambda: torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=causal)
            report(f"attention_{name}_{tag}_b256", time_each(fn), "ms")
            if dt == torch.float32:
                # The pairs of our fused kernels: forward alone, and forward plus dq, dk, dv.
                report(f"attention_{name}_fused_fp32_b256", time_each(fn), "ms")
                qg, kg, vg = (t.clone().requires_grad_(True) for t in (q, k, v))
                g = torch.rand_like(q)

                def fwdbwd():
                    o = torch.nn.functional.scaled_dot_product_attention(qg, kg, vg, is_causal=causal)
                    torch.autograd.grad(o, (qg, kg, vg), g)
                report(f"attention_{name}_fwdbwd_fp32_b256", time_each(fwdbwd), "ms")
    p = torch.nn.Parameter(torch.rand(151_000_000, device=dev))
    p.grad = torch.rand_like(p)
    opt = torch.optim.AdamW([p], lr=1e-5, betas=(0.9, 0.99), eps=1e-8, weight_decay=0.2, fused=True)
    report("adamw_151M", time_ms(opt.step, 2, 10), "ms")
    s1, s2 = torch.rand(1024, device=dev), torch.rand(1024, device=dev)

    def adds():
        for _ in range(1000):
            torch.add(s1, s2)
    report("small_add_us_per_op", time_ms(adds, 2, 5), "us")   # ms for 1,000 ops = us per op
    report("peak_allocated_bytes", torch.cuda.max_memory_allocated(), "B")


if __name__ == "__main__":
    main()
