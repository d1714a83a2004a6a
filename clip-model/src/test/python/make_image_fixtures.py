#!/usr/bin/python3
"""Makes the image-preprocessing fixtures under clip-model/src/test/resources/image/.

Run with Debian's Python (python3-pil, python3-torchvision, python3-numpy) and libjpeg-turbo's cjpeg
(libjpeg-turbo-progs) for the JPEG kinds Pillow cannot write (4:4:0, arithmetic coding):
    /usr/bin/python3 clip-model/src/test/python/make_image_fixtures.py

Writes small test images of many PNG/JPEG kinds, and for each one:
  - <name>.pipe<N>.npy  uint8 [N,N,3]: OpenAI's CLIP transform up to convert("RGB") (Resize(N, BICUBIC),
    CenterCrop(N), convert RGB), i.e. the pixels ToTensor sees;
  - <name>.norm<N>.npy  float32 [3,N,N]: the full transform (ToTensor, Normalize), for some N;
  - <name>.decoded.npy  uint8 [H,W] / [H,W,C]: Pillow's decoded samples, for the JPEGs only;
  - <name>.resize<W>x<H>.npy: Pillow's Image.resize((W,H), BICUBIC) in the image's own mode (uint8
    [H,W] / [H,W,C], int32 for mode I), to test the resampler apart from the pipeline;
and manifest.json describing every case (the Java tests read it).
"""
import io
import json
import os
import shutil
import struct
import subprocess
import zlib

import numpy as np
from PIL import Image, ImageCms
from torchvision.transforms import CenterCrop, Compose, InterpolationMode, Normalize, Resize, ToTensor

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "image")
SIZES = [24, 32, 64]
NORM_SIZES = {24: "all", 64: ("rgb_120x90.png", "jpeg_baseline_120x90.jpg")}
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)
rng = np.random.default_rng(20240611)


def _rgb_of(img):
    return img.convert("RGB")


def clip_transform(n, upto_rgb=False):
    steps = [Resize(n, interpolation=InterpolationMode.BICUBIC), CenterCrop(n), _rgb_of]
    if not upto_rgb:
        steps += [ToTensor(), Normalize(MEAN, STD)]
    return Compose(steps)


def picture(w, h, channels=3, noise=24):
    """Smooth gradients, a sharp-edged block (bicubic overshoot must clip), and a noisy corner."""
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    planes = []
    for c in range(channels):
        p = 128 + 90 * np.sin(x / (3.0 + 2 * c) + c) * np.cos(y / (4.0 + c)) + 30 * (x / w - y / h)
        p[h // 4: h // 2, w // 3: 2 * w // 3] = 255 if c % 2 == 0 else 0
        planes.append(p)
    a = np.stack(planes, -1)
    a[: h // 3, : w // 3] += rng.normal(0, noise, (h // 3, w // 3, channels))
    return np.clip(np.rint(a), 0, 255).astype(np.uint8)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def write_png(path, rows, width, height, color_type, bit_depth, plte=None, trns=None, interlace=False):
    """A small PNG writer for what Pillow cannot save (16-bit RGB/RGBA, 2-bit grey, Adam7).
    rows(x0, dx, y0, dy) returns the packed scanlines (without filter bytes) of one pass."""
    raw = b""
    passes = [(0, 8, 0, 8), (4, 8, 0, 8), (0, 4, 4, 8), (2, 4, 0, 4), (0, 2, 2, 4), (1, 2, 0, 2), (0, 1, 1, 2)] if interlace else [(0, 1, 0, 1)]
    for x0, dx, y0, dy in passes:
        for line in rows(x0, dx, y0, dy):
            raw += b"\x00" + line
    data = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 1 if interlace else 0))
    if plte is not None:
        data += png_chunk(b"PLTE", plte)
    if trns is not None:
        data += png_chunk(b"tRNS", trns)
    data += png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(data)


def sample_rows(a, bit_depth):
    """rows() for write_png from an array [H,W] or [H,W,C] of samples."""
    def rows(x0, dx, y0, dy):
        sub = a[y0::dy, x0::dx]
        out = []
        if sub.shape[0] == 0 or sub.shape[1] == 0:
            return out
        for r in sub:
            flat = r.reshape(-1)
            if bit_depth == 16:
                out.append(flat.astype(">u2").tobytes())
            elif bit_depth == 8:
                out.append(flat.astype(np.uint8).tobytes())
            else:
                per = 8 // bit_depth
                padded = np.concatenate([flat, np.zeros((-len(flat)) % per, flat.dtype)]).reshape(-1, per)
                shifts = np.array([8 - bit_depth * (i + 1) for i in range(per)])
                out.append((padded.astype(np.int64) << shifts).sum(1).astype(np.uint8).tobytes())
        return out
    return rows


def make_images():
    """name -> how it was made. Every image is written into OUT."""
    made = {}

    def save(name, img, **kw):
        img.save(os.path.join(OUT, name), **kw)
        made[name] = kw.get("note", img.mode)

    save("rgb_120x90.png", Image.fromarray(picture(120, 90)))
    save("rgb_30x47.png", Image.fromarray(picture(30, 47)))
    save("rgb_small_20x13.png", Image.fromarray(picture(20, 13)))
    save("rgb_square_64x64.png", Image.fromarray(picture(64, 64)))
    save("gray_61x45.png", Image.fromarray(picture(61, 45, 1)[..., 0], "L"))
    rgba = picture(50, 70, 4)
    rgba[..., 3] = np.clip(np.linspace(-40, 300, 50)[None, :] + 0 * rgba[..., 3], 0, 255).astype(np.uint8)
    rgba[60:, :, 3] = 0
    save("rgba_50x70.png", Image.fromarray(rgba, "RGBA"))
    la = picture(40, 33, 2)
    la[..., 1] = np.clip(np.linspace(300, -20, 33)[:, None] + 0 * la[..., 1], 0, 255).astype(np.uint8)
    save("la_40x33.png", Image.fromarray(la, "LA"))
    pal = Image.fromarray(picture(77, 52)).quantize(200, method=Image.Quantize.MEDIANCUT)
    save("pal_77x52.png", pal)

    # 4-bit palette with transparency
    idx = (picture(45, 60, 1)[..., 0] // 16).astype(np.uint8)
    plte = bytes(np.array([[i * 17, 255 - i * 13, (i * 53) % 256] for i in range(16)], np.uint8).reshape(-1))
    trns = bytes([255, 0, 128] + [200] * 5)
    write_png(os.path.join(OUT, "pal4_trns_45x60.png"), sample_rows(idx, 4), 45, 60, 3, 4, plte=plte, trns=trns)
    made["pal4_trns_45x60.png"] = "P 4-bit + tRNS"

    g16 = (picture(52, 37, 1)[..., 0].astype(np.uint16) * 257 // 3).astype(np.uint16)
    g16[:5, :] = rng.integers(0, 400, (5, 52))
    write_png(os.path.join(OUT, "gray16_52x37.png"), sample_rows(g16, 16), 52, 37, 0, 16)
    made["gray16_52x37.png"] = "16-bit grey (Pillow mode I)"
    rgb16 = picture(44, 58).astype(np.uint16) * 257 + rng.integers(0, 257, (58, 44, 3)).astype(np.uint16)
    write_png(os.path.join(OUT, "rgb16_44x58.png"), sample_rows(rgb16, 16), 44, 58, 2, 16)
    made["rgb16_44x58.png"] = "16-bit RGB"
    rgba16 = picture(36, 36, 4).astype(np.uint16) * 257 + rng.integers(0, 257, (36, 36, 4)).astype(np.uint16)
    write_png(os.path.join(OUT, "rgba16_36x36.png"), sample_rows(rgba16, 16), 36, 36, 6, 16)
    made["rgba16_36x36.png"] = "16-bit RGBA"
    g2 = picture(40, 25, 1)[..., 0] // 64
    write_png(os.path.join(OUT, "gray2_40x25.png"), sample_rows(g2, 2), 40, 25, 0, 2)
    made["gray2_40x25.png"] = "2-bit grey"
    bi = (picture(48, 32, 1)[..., 0] > 128).astype(np.uint8)
    write_png(os.path.join(OUT, "bilevel_48x32.png"), sample_rows(bi, 1), 48, 32, 0, 1)
    made["bilevel_48x32.png"] = "1-bit grey (Pillow mode 1)"
    il = picture(57, 41)
    write_png(os.path.join(OUT, "rgb_interlaced_57x41.png"), sample_rows(il, 8), 57, 41, 2, 8, interlace=True)
    made["rgb_interlaced_57x41.png"] = "RGB Adam7"
    tr = picture(35, 50)
    write_png(os.path.join(OUT, "rgb_trns_35x50.png"), sample_rows(tr, 8), 35, 50, 2, 8, trns=struct.pack(">HHH", *tr[0, 0]))
    made["rgb_trns_35x50.png"] = "RGB + tRNS colour"

    save("jpeg_baseline_120x90.jpg", Image.fromarray(picture(120, 90)), quality=90)
    save("jpeg_progressive_90x120.jpg", Image.fromarray(picture(90, 120)), quality=85, progressive=True)
    save("jpeg_gray_63x47.jpg", Image.fromarray(picture(63, 47, 1)[..., 0], "L"), quality=90)
    save("jpeg_444_50x50.jpg", Image.fromarray(picture(50, 50)), quality=95, subsampling=0)
    save("jpeg_422_odd_61x37.jpg", Image.fromarray(picture(61, 37)), quality=80, subsampling=1)
    save("jpeg_small_21x17.jpg", Image.fromarray(picture(21, 17)), quality=90)
    save("jpeg_cmyk_40x30.jpg", Image.fromarray(picture(40, 30, 4), "CMYK"), quality=90)
    # A Lab profile on RGB data: ImageIO would colour-convert through it (Pillow ignores profiles).
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    save("jpeg_icc_64x48.jpg", Image.fromarray(picture(64, 48)), quality=90, icc_profile=icc)

    def cjpeg(name, arr, *flags):
        exe = shutil.which("cjpeg")
        if exe is None:
            raise SystemExit("cjpeg not found: apt-get install libjpeg-turbo-progs")
        ppm = io.BytesIO()
        Image.fromarray(arr).save(ppm, "PPM")
        data = subprocess.run([exe, *flags], input=ppm.getvalue(), stdout=subprocess.PIPE, check=True).stdout
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)
        made[name] = "cjpeg " + " ".join(flags)

    # 4:4:0: libjpeg-turbo interpolates the chroma rows, ImageIO's libjpeg 6b repeats them.
    cjpeg("jpeg_440_45x37.jpg", picture(45, 37), "-quality", "85", "-sample", "1x2")
    cjpeg("jpeg_440b_40x52.jpg", picture(40, 52), "-quality", "90", "-sample", "2x2,2x1,2x1")
    cjpeg("jpeg_411_48x30.jpg", picture(48, 30), "-quality", "90", "-sample", "4x1")

    # Indices beyond a 6-colour PLTE: Pillow 9.4 shows its grey ramp there (ImageIO would repeat the last colour).
    short = picture(30, 20, 1)[..., 0]
    short[::3] = short[::3] % 6
    write_png(os.path.join(OUT, "pal_short_30x20.png"), sample_rows(short, 8), 30, 20, 3, 8, plte=bytes(range(40, 58)))
    made["pal_short_30x20.png"] = "P with a 6-entry PLTE"
    return made


def arithmetic_jpeg():
    """A JPEG ImageIO cannot decode (arithmetic coding): the decoder must say so. Not in the manifest."""
    ppm = io.BytesIO()
    Image.fromarray(picture(16, 16)).save(ppm, "PPM")
    data = subprocess.run([shutil.which("cjpeg"), "-arithmetic"], input=ppm.getvalue(), stdout=subprocess.PIPE, check=True).stdout
    with open(os.path.join(OUT, "unsupported_arithmetic.jpg"), "wb") as f:
        f.write(data)


def npy(name, arr):
    np.save(os.path.join(OUT, name), arr)
    return name


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        os.remove(os.path.join(OUT, f))
    made = make_images()
    cases = []
    for name in sorted(made):
        img = Image.open(os.path.join(OUT, name))
        img.load()
        case = {"file": name, "mode": img.mode, "width": img.width, "height": img.height, "pipe": {}, "norm": {}, "resize": []}
        base = name.rsplit(".", 1)[0]
        if name.endswith(".jpg"):
            # What libjpeg (through Pillow) decoded, to measure ImageIO's decoder apart from the resampler.
            case["decoded"] = npy(f"{base}.decoded.npy", np.asarray(img, dtype=np.uint8))
        for n in SIZES:
            pix = np.asarray(clip_transform(n, upto_rgb=True)(img), dtype=np.uint8)
            assert pix.shape == (n, n, 3)
            case["pipe"][str(n)] = npy(f"{base}.pipe{n}.npy", pix)
            want = NORM_SIZES.get(n)
            if want == "all" or (want and name in want):
                t = clip_transform(n)(img).numpy().astype(np.float32)
                assert t.shape == (3, n, n)
                case["norm"][str(n)] = npy(f"{base}.norm{n}.npy", t)
        w, h = img.size
        for tw, th in ((max(1, w * 2 // 5), max(1, h * 3 // 7)), (w * 4 // 3 + 1, h * 5 // 4)):
            r = np.asarray(img.resize((tw, th), Image.Resampling.BICUBIC))
            r = r.astype(np.int32) if img.mode == "I" else r.astype(np.uint8) * (255 if img.mode == "1" else 1)
            case["resize"].append({"width": tw, "height": th, "file": npy(f"{base}.resize{tw}x{th}.npy", r)})
        cases.append(case)
    arithmetic_jpeg()
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump({"mean": MEAN, "std": STD, "cases": cases}, f, indent=1)
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"{len(cases)} images, {len(os.listdir(OUT))} files, {total / 1024:.0f} KiB in {os.path.normpath(OUT)}")


if __name__ == "__main__":
    main()
