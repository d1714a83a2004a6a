#!/usr/bin/python3
"""Exports OpenAI's CLIP towers with random weights to ONNX for the in-JVM ONNX Runtime peer, and
saves the same weights for clipcl: OUT/weights.pt (torch.save state dict, OpenAI's names),
OUT/image.onnx (encode_image, dynamic batch) and, for ViT-B/32, OUT/text.onnx (encode_text, int64
ids [batch, 77]). The models are the ones `peer_encode.py` times (OpenAI's model classes from the
repository's fixture scripts). Prints PyTorch against the exported graph's own trace as a check.

    /usr/bin/python3 bench/peer/export_onnx.py --model ViT-B-32 --out /tmp/clipcl-onnx/ViT-B-32
"""
import argparse
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "clip-model", "src", "test", "python"))
import peer_encode  # noqa: E402  (the models the PyTorch peer times)


class Tower(torch.nn.Module):
    """One of CLIP's encoders (method "encode_image" or "encode_text") as a module to export."""

    def __init__(self, clip, method):
        super().__init__()
        self.clip = clip
        self.method = method

    def forward(self, x):
        return getattr(self.clip, self.method)(x)


def build(name):
    if name == "RN50":
        import check_rn50_encode as rn  # noqa: E402
        import make_resnet_golden as rg  # noqa: E402
        model = rn.RN50()
        rg.perturb(model, torch.Generator().manual_seed(50))  # random weights and batch-norm statistics
        return model.eval()
    torch.manual_seed(0)
    return peer_encode.build_vit_b32()


def export(module, example, path, input_name):
    torch.onnx.export(module, (example,), path, input_names=[input_name], output_names=["features"],
                      dynamic_axes={input_name: {0: "batch"}, "features": {0: "batch"}},
                      opset_version=14, do_constant_folding=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", choices=["ViT-B-32", "RN50"], default="ViT-B-32")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    model = build(a.model)
    for p in model.parameters():
        p.requires_grad_(False)
    tmp = os.path.join(a.out, "weights.pt.tmp")
    torch.save(model.state_dict(), tmp)
    os.replace(tmp, os.path.join(a.out, "weights.pt"))
    with torch.no_grad():
        export(Tower(model, "encode_image").eval(), torch.randn(2, 3, 224, 224), os.path.join(a.out, "image.onnx"), "image")
        print(f"{a.model}: wrote {a.out}/weights.pt and image.onnx")
        if a.model == "ViT-B-32":
            ids = torch.zeros(2, 77, dtype=torch.long)
            ids[:, 0], ids[:, 1:5], ids[:, 5] = 49406, 100, 49407
            export(Tower(model, "encode_text").eval(), ids, os.path.join(a.out, "text.onnx"), "text")
            print(f"{a.model}: wrote {a.out}/text.onnx")


if __name__ == "__main__":
    main()
