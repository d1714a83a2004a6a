"""Writes the seed corpora of the Jazzer fuzz targets (LoaderJazzerTest): tiny valid inputs, so that
each execution is cheap. Run with /usr/bin/python3 (Debian's torch and Pillow) from the repository
root; the checkpoint seeds are written by the Java side (FuzzSeeds) because the format is ours."""
import io
import json
import os
import struct

import torch
from PIL import Image

ROOT = "clip-model/src/test/resources/clipcl/clip/fuzz/LoaderJazzerTestInputs"


def put(target, name, data):
    d = os.path.join(ROOT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def safetensors(header, data):
    h = json.dumps(header, separators=(",", ":")).encode()
    return struct.pack("<Q", len(h)) + h + data


def image(img, fmt, **kw):
    b = io.BytesIO()
    img.save(b, fmt, **kw)
    return b.getvalue()


def torch_save(obj):
    b = io.BytesIO()
    torch.save(obj, b)
    return b.getvalue()


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.nn.Parameter(torch.tensor([1.0, -2.0]))
        self.register_buffer("b", torch.tensor([3], dtype=torch.int64))

    def forward(self, x):
        return x * self.w


def main():
    put("safetensors", "one_f32", safetensors({"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, struct.pack("<2f", 1.5, -2)))
    put("safetensors", "two_with_metadata", safetensors(
        {"__metadata__": {"step": "3"}, "h": {"dtype": "BF16", "shape": [1, 2], "data_offsets": [0, 4]},
         "i": {"dtype": "I64", "shape": [], "data_offsets": [4, 12]}}, b"\x80\x3f\x00\xc0" + struct.pack("<q", 7)))

    put("karpathySplit", "coco_two_images", json.dumps({"images": [
        {"split": "test", "filepath": "val2014", "filename": "a.jpg", "sentences": [{"raw": "a dog."}, {"raw": "two"}]},
        {"split": "restval", "filename": "b.jpg", "sentences": [{"raw": "x"}]}], "dataset": "coco"}).encode())

    rgb = Image.new("RGB", (2, 2))
    rgb.putdata([(255, 0, 0), (0, 255, 0), (0, 0, 255), (9, 9, 9)])
    put("image", "rgb_2x2.png", image(rgb, "PNG"))
    put("image", "palette_2x2.png", image(rgb.convert("P"), "PNG"))
    put("image", "gray16_2x2.png", image(Image.new("I;16", (2, 2), 40000), "PNG"))
    put("image", "gray_alpha_3x3.png", image(Image.new("LA", (3, 3), (7, 200)), "PNG"))
    put("image", "baseline_2x2.jpg", image(rgb, "JPEG", quality=90))
    put("image", "progressive_8x8.jpg", image(Image.new("L", (8, 8), 100), "JPEG", progressive=True))
    put("image", "cmyk_2x2.jpg", image(Image.new("CMYK", (2, 2), (1, 2, 3, 4)), "JPEG"))

    put("torchZip", "f32_state_dict.pt", torch_save({"w": torch.tensor([1.0, 2.0]), "n": torch.tensor([3], dtype=torch.int64)}))
    base = torch.arange(4, dtype=torch.float32)
    put("torchZip", "views_f16.pt", torch_save({"v": base[1:3], "t": base.view(2, 2).t(), "h": torch.tensor([0.5], dtype=torch.float16)}))

    b = io.BytesIO()
    torch.jit.save(torch.jit.script(Tiny()), b)
    put("torchScript", "tiny_scripted.pt", b.getvalue())

    put("json", "mixed", b'[1, -2.5e-3, null, false, "x\\n\\u00e9", [], {"a": {}}, NaN, -Infinity]')
    put("json", "object", b'{"embed_dim": 512, "quick_gelu": true, "vision_cfg": {"image_size": 224}}')

    def npy(header, data):
        h = header.encode()
        h += b" " * ((64 - (10 + len(h) + 1) % 64) % 64) + b"\n"
        return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(h)) + h + data
    put("npy", "f4_2x3", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", struct.pack("<6f", 1, 2, 3, 4, 5, 6)))
    put("npy", "i8_1", npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", struct.pack("<q", 5)))
    put("npy", "f2_scalar", npy("{'descr': '<f2', 'fortran_order': False, 'shape': (), }", b"\x00\x3c"))

    put("modelConfig", "small", json.dumps({"embed_dim": 64, "quick_gelu": False,
        "vision_cfg": {"image_size": 32, "layers": 1, "width": 64, "patch_size": 8, "mlp_ratio": 4.0},
        "text_cfg": {"context_length": 8, "heads": 2, "width": 64, "layers": 1, "vocab_size": 300}}).encode())
    put("modelConfig", "resnet", json.dumps({"embed_dim": 64, "vision_cfg": {"image_size": 32, "layers": [1, 1, 1, 1], "width": 8},
        "text_cfg": {"context_length": 8, "heads": 2, "width": 64, "layers": 1}}).encode())

    def idx(dims, n):
        return struct.pack(">I", 0x0800 | len(dims)) + b"".join(struct.pack(">I", d) for d in dims) + bytes(range(n))
    put("idx", "u8_3x2x2", idx([3, 2, 2], 12))
    put("idx", "u8_5", idx([5], 5))

    import zipfile
    for target in ("torchZip", "torchScript"):
        for name in os.listdir(os.path.join(ROOT, target)):
            with zipfile.ZipFile(os.path.join(ROOT, target, name)) as z:
                pkl = [n for n in z.namelist() if n.endswith("/data.pkl")][0]
                put("pickle", name.replace(".pt", ".pkl"), z.read(pkl))

    put("tokenizerText", "plain", b"a photo of a cat.")
    put("tokenizerText", "mixed", "caf\u00e9 &amp; <|endoftext|> 123 \U0001F600 aaaa".encode())


if __name__ == "__main__":
    main()
