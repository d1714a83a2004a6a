#!/usr/bin/env python3
"""Tables for RESULTS.md from a study folder's metrics.json (`clipcl study --output-dir D`).

usage: scripts/study_tables.py D [cross|analysis]

cross:    methods x protocols, UT / ZS / A-Acc (percent, mean +- std over seeds where there are several)
analysis: per cell, what paper B's analyses say about where the old ability went: the image rotation
          (RAM) and text rotation of the old data's embeddings from CLIP_0, their difference (inter-modal
          deviation), the linear probe on frozen image features, and Fashion zero-shot with one tower
          swapped back to CLIP_0's.
"""
import json
import sys


def pct(f, k, digits=1):
    v = f.get(k)
    if v is None:
        return "-"
    s = f.get(k + "_std")
    return f"{100 * v:.{digits}f}" + (f" ± {100 * s:.{digits}f}" if s is not None else "")


def deg(f, k):
    v = f.get(k)
    if v is None:
        return "-"
    s = f.get(k + "_std")
    return f"{v:.1f}" + (f" ± {s:.1f}" if s is not None else "")


def main():
    d = json.load(open(sys.argv[1] + "/metrics.json"))
    what = sys.argv[2] if len(sys.argv) > 2 else "cross"
    cells = d["cells"]
    protocols = d["grid"]["protocols"]
    labels = [m["label"] for m in d["grid"]["methods"]]
    by = {(c["label"], c["protocol"]): c for c in cells}
    if what == "cross":
        print("| method | " + " | ".join(p.upper() for p in protocols) + " |")
        print("|---|" + "---:|" * len(protocols))
        for lb in labels:
            row = []
            for p in protocols:
                c = by.get((lb, p))
                if c is None or "final" not in c:
                    row.append("failed" if c is not None and "error" in c else "not run")
                else:
                    f = c["final"]
                    row.append(f"{pct(f, 'ut_acc')} / {pct(f, 'zs_acc')} / {pct(f, 'a_acc')}")
            print(f"| {lb} | " + " | ".join(row) + " |")
    else:
        print("| method | protocol | ZS-Acc | RAM image (deg) | RAM text (deg) | inter-modal dev. (deg) | linear probe | ZS new image / CLIP_0 text | ZS CLIP_0 image / new text |")
        print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for lb in labels:
            for p in protocols:
                c = by.get((lb, p))
                if c is None or "final" not in c:
                    continue
                f = c["final"]
                print(f"| {lb} | {p} | {pct(f, 'zs_acc')} | {deg(f, 'sd_ram_image_mean')} | {deg(f, 'sd_ram_text_mean')} | "
                      f"{deg(f, 'sd_intermodal_deviation')} | {pct(f, 'lp_fashion_acc')} | {pct(f, 'zs_acc_new_image_old_text')} | "
                      f"{pct(f, 'zs_acc_old_image_new_text')} |")


if __name__ == "__main__":
    main()
