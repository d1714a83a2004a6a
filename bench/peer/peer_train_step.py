#!/usr/bin/python3
"""PyTorch CPU peer of `clipcl bench train-step`: the same step as scripts/gpu_train_torch.py
(OpenAI's ViT-B/32 CLIP, both towers, symmetric contrastive loss, backward, global-norm clipping at
1.0, AdamW, logit scale clamped) in FP32 on the CPU with --threads threads. Prints the `bench <name>
<value> <unit>` lines TrainStepBench prints, so the two pair by name.

    env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/peer/peer_train_step.py --batch 32 --steps 5 --threads 2
"""
import argparse
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
import gpu_train_torch as gt  # noqa: E402  (the model and step the GPU comparison uses)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = gt.Clip()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4, betas=(0.9, 0.98), eps=1e-6, weight_decay=0.2)
    b = a.batch
    images = torch.randn(b, 3, 224, 224)
    text = torch.randint(1, 49406, (b, 77))
    eot = torch.randint(5, 77, (b,))
    text[torch.arange(b), eot] = 49407   # EOT is the largest id: argmax finds it
    text = torch.where(torch.arange(77)[None, :] > eot[:, None], torch.zeros_like(text), text)

    def step():
        loss = model(images, text)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, 4.6052)
        return loss

    for _ in range(a.warmup):
        step()
    times = []
    for _ in range(a.steps):
        t0 = time.perf_counter()
        loss = step()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    n = len(times)
    ms = times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2
    name = f"train_step_vit_b_32_b{b}"
    print(f"torch {torch.__version__} CPU, {a.threads} threads: {a.steps} steps of batch {b}, loss {loss.item():.4f}, "
          f"median {ms:.1f} ms/step", flush=True)
    print(f"bench {name}_samples_per_s {b / (ms / 1e3):.3f} samples/s", flush=True)
    print(f"bench {name}_ms {ms:.3f} ms", flush=True)


if __name__ == "__main__":
    main()
