#!/usr/bin/python3
"""Plots the spatial-array study (CSV from run_study / `streamsim sweep`).

Usage: plot_spatial.py study.csv [outdir] [prefix]
Writes <outdir>/<prefix>_utilization.png (2D and 1D utilization vs sequence length per
mapping), <prefix>_speedup.png (speedup over FLAT and over unfused), <prefix>_buffer.png
(peak global buffer use), and prints a markdown summary of the speedups. prefix defaults
to "spatial". Values are averaged over models (utilization: mean; speedup: geometric
mean); the summary gives the geometric and the arithmetic mean over all points (the
paper's "on average" is the arithmetic mean).
Needs Debian's python3-matplotlib (run with /usr/bin/python3 if another python is first).
"""
import csv
import math
import os
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        for k in ("seq", "cycles", "util_2d", "util_1d", "util_dram", "peak_buffer_bytes", "dram_bytes"):
            r[k] = float(r[k])
    return rows


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    rows = load(sys.argv[1])
    out = sys.argv[2] if len(sys.argv) > 2 else "."
    prefix = sys.argv[3] if len(sys.argv) > 3 else "spatial"
    os.makedirs(out, exist_ok=True)
    arch = " / ".join(dict.fromkeys(r["architecture"] for r in rows))
    mappings = list(dict.fromkeys(r["mapping"] for r in rows))
    seqs = sorted({r["seq"] for r in rows})
    cycles = {(r["mapping"], r["model"], r["seq"]): r["cycles"] for r in rows}
    by = defaultdict(list)
    for r in rows:
        by[(r["mapping"], r["seq"])].append(r)

    fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
    for ax, key, title in ((axes[0], "util_2d", "2D array"), (axes[1], "util_1d", "1D array")):
        for m in mappings:
            ys = [sum(r[key] for r in by[(m, s)]) / len(by[(m, s)]) for s in seqs]
            ax.plot(seqs, [100 * y for y in ys], marker="o", label=m)
        ax.set_xscale("log", base=2)
        ax.set_xlabel("sequence length")
        ax.set_title(f"{title} utilization ({arch})")
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel("busy PE-cycles / (PEs x cycles) [%]")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, f"{prefix}_utilization.png"), dpi=120)

    models = sorted({r["model"] for r in rows})
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    summary = []
    for ax, base in ((axes[0], "flat"), (axes[1], "unfused")):
        if base not in mappings:
            continue
        for m in mappings:
            if m == base:
                continue
            ys = [geomean([cycles[(base, md, s)] / cycles[(m, md, s)] for md in models]) for s in seqs]
            ax.plot(seqs, ys, marker="o", label=m)
            allv = [cycles[(base, md, s)] / cycles[(m, md, s)] for md in models for s in seqs]
            summary.append((m, base, geomean(allv), sum(allv) / len(allv)))
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("sequence length")
        ax.set_ylabel(f"speedup over {base}")
        ax.set_title(f"Speedup over {base} ({arch}, geomean over models)")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, f"{prefix}_speedup.png"), dpi=120)

    fig, ax = plt.subplots(figsize=(6, 4))
    for m in mappings:
        ys = [max(r["peak_buffer_bytes"] for r in by[(m, s)]) / 2**20 for s in seqs]
        ax.plot(seqs, ys, marker="o", label=m)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("sequence length")
    ax.set_ylabel("peak global buffer [MiB] (max over models)")
    ax.set_title(f"Global buffer use ({arch})")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(out, f"{prefix}_buffer.png"), dpi=120)

    print("| mapping | over | geomean speedup | mean speedup |")
    print("|---|---|---|---|")
    for m, base, g, a in summary:
        print(f"| {m} | {base} | {g:.2f}x | {a:.2f}x |")


if __name__ == "__main__":
    main()
