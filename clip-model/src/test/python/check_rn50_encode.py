#!/usr/bin/python3
"""Full-size check of `clipcl encode --model RN50` against OpenAI's model code (a command, not a test:
it writes a 400 MB checkpoint and runs the full RN50).

Builds OpenAI's RN50 CLIP (the ModifiedResNet classes of make_resnet_golden.py) with random
weights and random batch-norm statistics, saves its state dict with torch.save under WORK (default
/tmp/clipcl-rn50), encodes two random preprocessed images in eval mode with PyTorch, runs
`./clipcl encode --model RN50` on the same file and images, and prints the largest difference of
the image features (and fails above 1e-3 relative to the features' scale).

Run from the repository root:  /usr/bin/python3 clip-model/src/test/python/check_rn50_encode.py [WORK]
"""
import os
import subprocess
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_resnet_golden as rg  # noqa: E402
import make_weight_fixtures as fx  # noqa: E402


class RN50(rg.ResNetCLIP):
    def __init__(self):
        torch.nn.Module.__init__(self)
        self.visual = rg.ModifiedResNet([3, 4, 6, 3], 1024, 32, 224, 64)
        mask = torch.empty(77, 77).fill_(float("-inf")).triu_(1)
        self.transformer = fx.Transformer(512, 12, 8, attn_mask=mask)
        self.token_embedding = torch.nn.Embedding(49408, 512)
        self.positional_embedding = torch.nn.Parameter(torch.empty(77, 512))
        self.ln_final = fx.LayerNorm(512)
        self.text_projection = torch.nn.Parameter(torch.empty(512, 1024))
        self.logit_scale = torch.nn.Parameter(torch.ones([]) * np.log(1 / 0.07))


def main():
    work = sys.argv[1] if len(sys.argv) > 1 else "/tmp/clipcl-rn50"
    os.makedirs(work, exist_ok=True)
    gen = torch.Generator().manual_seed(50)
    model = RN50()
    rg.perturb(model, gen)
    model.eval()
    weights = os.path.join(work, "rn50_state_dict.pt")
    torch.save(model.state_dict(), weights)
    images = torch.randn(2, 3, 224, 224, generator=gen)
    np.save(os.path.join(work, "images.npy"), images.numpy())
    with torch.no_grad():
        want = model.encode_image(images).numpy()
    out = os.path.join(work, "out")
    subprocess.run(["./clipcl", "encode", "--model", "RN50", "--weights", weights,
                    "--images-npy", os.path.join(work, "images.npy"), "--output-dir", out], check=True)
    got = np.load(os.path.join(out, "image_features.npy"))
    err = np.abs(got - want).max()
    scale = np.abs(want).max()
    print(f"RN50 encode_image vs PyTorch: max |err| {err:.3g}, feature scale {scale:.3g}, relative {err / scale:.3g}")
    if not err <= 1e-3 * scale:
        sys.exit("RN50 features differ from PyTorch's")


if __name__ == "__main__":
    main()
