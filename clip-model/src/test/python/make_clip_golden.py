#!/usr/bin/python3
"""Golden encode outputs for clip-model's CLIP tests (clipcl.clip.model).

Uses the tiny OpenAI-architecture CLIP and the weight files written by make_weight_fixtures.py (run
that first): loads each file's weights into the reference model in float32, runs OpenAI's
encode_image / encode_text / logits on fixed inputs, and writes them as .npy under
resources/golden/. The TorchScript archive holds fp16 weights, so its outputs differ from the
float32 files' and get their own expected arrays.

Run from the repository root:  /usr/bin/python3 clip-model/src/test/python/make_clip_golden.py
"""
import json
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import make_weight_fixtures as fx  # noqa: E402  (the reference model classes and sizes)

WEIGHTS = os.path.join(HERE, "..", "resources", "weights")
OUT = os.path.join(HERE, "..", "resources", "golden")


def outputs(sd, images, ids):
    model = fx.CLIP().float()
    model.load_state_dict({k: v.float() for k, v in sd.items()})
    model.eval()
    with torch.no_grad():
        img = model.encode_image(images)
        txt = model.encode_text(ids)
        logits, _ = model(images, ids)
    return img.numpy(), txt.numpy(), logits.numpy()


def main():
    os.makedirs(OUT, exist_ok=True)
    g = torch.Generator().manual_seed(77)
    images = torch.randn(3, 3, fx.IMAGE_SIZE, fx.IMAGE_SIZE, generator=g)
    sot, eot = fx.VOCAB - 2, fx.VOCAB - 1
    ids = torch.zeros(4, fx.CONTEXT, dtype=torch.long)
    for row, length in enumerate([3, 8, 5, 2]):  # EOT at varying places, one text filling the context
        ids[row, 0] = sot
        ids[row, 1:length - 1] = torch.randint(1, fx.VOCAB - 2, (length - 2,), generator=g)
        ids[row, length - 1] = eot
    np.save(os.path.join(OUT, "images.npy"), images.numpy())
    np.save(os.path.join(OUT, "text_ids.npy"), ids.numpy().astype(np.int32))

    state = torch.load(os.path.join(WEIGHTS, "state_dict.pt"))
    for name, arr in zip(["image_features", "text_features", "logits_per_image"], outputs(state, images, ids)):
        np.save(os.path.join(OUT, name + ".npy"), arr)

    ts = torch.jit.load(os.path.join(WEIGHTS, "torchscript.pt")).state_dict()
    ts = {k: v for k, v in ts.items() if k not in ("input_resolution", "context_length", "vocab_size")}
    for name, arr in zip(["image_features", "text_features", "logits_per_image"], outputs(ts, images, ids)):
        np.save(os.path.join(OUT, "torchscript_" + name + ".npy"), arr)

    config = {
        "embed_dim": fx.EMBED_DIM, "quick_gelu": True,
        "vision_cfg": {"image_size": fx.IMAGE_SIZE, "layers": fx.V_LAYERS, "width": fx.V_WIDTH,
                       "patch_size": fx.PATCH, "head_width": fx.V_WIDTH // fx.V_HEADS},
        "text_cfg": {"context_length": fx.CONTEXT, "vocab_size": fx.VOCAB, "width": fx.T_WIDTH,
                     "heads": fx.T_HEADS, "layers": fx.T_LAYERS},
    }
    with open(os.path.join(OUT, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
