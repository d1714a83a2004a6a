#!/usr/bin/python3
"""PyTorch CPU peer of `clipcl bench encode`: OpenAI's CLIP architecture (ViT-B/32 by default, or
--model RN50: OpenAI's ModifiedResNet tower in eval mode) with random weights, encode_image at batch
1 and 32 and encode_text at batch 32, inference mode, median of repeated timings; prints one JSON
object per line. Run with OPENBLAS_CORETYPE unset:

    env -u OPENBLAS_CORETYPE /usr/bin/python3 bench/peer/peer_encode.py --threads 2
"""
import argparse
import json
import os
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "clip-model", "src", "test", "python"))
import make_weight_fixtures as fx  # noqa: E402  (OpenAI's model classes, sizes patched below)


def build_vit_b32():
    fx.EMBED_DIM = 512
    fx.IMAGE_SIZE, fx.PATCH, fx.V_WIDTH, fx.V_LAYERS, fx.V_HEADS = 224, 32, 768, 12, 12
    fx.CONTEXT, fx.VOCAB, fx.T_WIDTH, fx.T_LAYERS, fx.T_HEADS = 77, 49408, 512, 12, 8
    m = fx.CLIP()
    with torch.no_grad():
        for p in m.parameters():
            p.normal_(0, 0.02)
    return m.eval()


def build_rn50():
    import check_rn50_encode as rn  # noqa: E402  (OpenAI's ModifiedResNet classes at RN50's sizes)
    # torch's default initialisation (batch-norm gains 1): tiny gains through 16 blocks would reach
    # denormal floats, which time differently from real activations.
    return rn.RN50().eval()


def median_ms(fn, seconds):
    for _ in range(2):
        fn()
    times, end = [], time.perf_counter() + seconds
    while len(times) < 3 or time.perf_counter() < end:
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    n = len(times)
    return times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--model", choices=["ViT-B-32", "RN50"], default="ViT-B-32")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model = build_rn50() if a.model == "RN50" else build_vit_b32()
    g = torch.Generator().manual_seed(3)
    with torch.inference_mode():
        for b in (1, 32):
            x = torch.randn(b, 3, 224, 224, generator=g)
            ms = median_ms(lambda: model.encode_image(x), a.seconds)
            print(json.dumps({"bench": "encode_image", "peer": "torch", "batch": b, "threads": a.threads,
                              "ms_per_batch": ms, "items_per_s": b / (ms / 1e3)}))
        ids = torch.zeros(32, 77, dtype=torch.long)
        for i in range(32):
            n = 7 + int(torch.randint(0, 36, (1,), generator=g))
            ids[i, 0] = 49406
            ids[i, 1:n - 1] = torch.randint(1, 49405, (n - 2,), generator=g)
            ids[i, n - 1] = 49407
        ms = median_ms(lambda: model.encode_text(ids), a.seconds)
        print(json.dumps({"bench": "encode_text", "peer": "torch", "batch": 32, "threads": a.threads,
                          "ms_per_batch": ms, "items_per_s": 32 / (ms / 1e3)}))


if __name__ == "__main__":
    main()
