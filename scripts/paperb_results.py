#!/usr/bin/python3
"""Prints paper B's tables (Table 7 layout, per-phase curves, spatial disorder) from run folders of
`clipcl continual --protocol stream`, as markdown (each run folder also holds the engine's per-run charts).

    /usr/bin/python3 scripts/paperb_results.py RUN_DIR [RUN_DIR ...]

Each RUN_DIR holds metrics.json (one seed, or the mean over seeds with <key>_std beside each value).
"""
import json
import os
import sys


def load(d):
    with open(os.path.join(d, "metrics.json")) as f:
        return json.load(f)


def pct(m, k):
    if k not in m or m[k] is None:
        return "-"
    s = "%.1f" % (100 * m[k])
    if m.get(k + "_std") is not None:
        s += " ± %.1f" % (100 * m[k + "_std"])
    return s


def num(m, k):
    if k not in m:
        return "-"
    s = "%.2f" % m[k]
    if m.get(k + "_std") is not None:
        s += " ± %.2f" % m[k + "_std"]
    return s


def main(argv):
    runs = [(d, load(d)) for d in argv]
    cols = [("i2t_r1_old", "I2T R@1 old"), ("t2i_r1_old", "T2I R@1 old"), ("zs_acc", "ZS-Acc old (Fashion)"),
            ("i2t_r1_new", "I2T R@1 new"), ("t2i_r1_new", "T2I R@1 new"), ("ut_acc", "UT-Acc new (digits)")]
    print("| method | seeds | " + " | ".join(c[1] for c in cols) + " |")
    print("|---|---|" + "---:|" * len(cols))
    first = runs[0][1]
    print("| CLIP_0 | - | " + " | ".join(pct(first["initial"], c[0]) for c in cols) + " |")
    for d, r in runs:
        print("| %s | %s | " % (r["method"], ",".join(str(s) for s in r["seeds"])) + " | ".join(pct(r["final"], c[0]) for c in cols) + " |")
    print()
    for key, label in [("zs_acc", "ZS-Acc on Fashion (old)"), ("ut_acc", "UT-Acc on digits (new)"), ("i2t_r1_old", "I2T R@1 old")]:
        n = max(len(r["sessions"]) for _, r in runs)
        print("**%s after each phase**\n" % label)
        print("| method | phase 0 | " + " | ".join("phase %d" % (i + 1) for i in range(n)) + " |")
        print("|---|" + "---:|" * (n + 1))
        for d, r in runs:
            print("| %s | %s | " % (r["method"], pct(r["initial"], key)) + " | ".join(pct(s, key) for s in r["sessions"]) + " |")
        print()
    print("**Spatial disorder between CLIP_0 and the final model (old data)**\n")
    print("| method | RAM image mean (deg) | RAM text mean (deg) | inter-modal deviation (deg) | RAM image > 30 deg | RAM text > 30 deg | SAM image change > 20 deg | ImAV > 20 deg |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for d, r in runs:
        f = r["sessions"][-1]
        print("| %s | %s | %s | %s | %s | %s | %s | %s |" % (r["method"], num(f, "sd_ram_image_mean"), num(f, "sd_ram_text_mean"),
              num(f, "sd_intermodal_deviation"), pct(f, "sd_ram_image_30_180"), pct(f, "sd_ram_text_30_180"),
              pct(f, "sd_sam_image_20_180"), pct(f, "sd_imav_20_180")))
    print()


if __name__ == "__main__":
    main(sys.argv[1:])
