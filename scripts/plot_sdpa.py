#!/usr/bin/python3
"""Plots the SDPA sequence-length study (configs/studies/sdpa_seq_len.yaml).

    scripts/plot_sdpa.py out/sdpa_study/results.csv --out docs/figures

Needs Debian's python3-matplotlib (hence /usr/bin/python3, not the first python3 on PATH).

Reads the sweep's results.csv and writes two log-log PNGs, one line per variant:
  sdpa_cycles.png  simulated cycles vs N
  sdpa_buffer.png  total intermediate buffer (sum of peak FIFO occupancy, tokens) vs N
The variant is the config file's name (sdpa_<variant>.yaml) or a `variant` column.
Failed points are left out and listed on stderr.
"""
import argparse
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")  # files only: no display on a build machine
import matplotlib.pyplot as plt  # noqa: E402

ORDER = ["naive", "naive_stable", "reordered"]
STYLE = {"naive": ("tab:red", "o"), "naive_stable": ("tab:orange", "s"), "reordered": ("tab:blue", "^")}


def variant_of(row):
    if row.get("variant"):
        return row["variant"]
    name = os.path.basename(row.get("config", ""))
    if name.startswith("sdpa_") and name.endswith(".yaml"):
        return name[len("sdpa_"):-len(".yaml")]
    sys.exit(f"plot_sdpa: row {row.get('id')}: no `variant` column and config '{name}' is not sdpa_<variant>.yaml")


def read(path):
    series = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["status"] != "ok":
                print(f"plot_sdpa: skipping failed point {row['id']}: {row['outcome']}", file=sys.stderr)
                continue
            series.setdefault(variant_of(row), []).append(
                (int(row["N"]), int(row["cycles"]), int(row["total_buffer"])))
    if not series:
        sys.exit(f"plot_sdpa: {path} has no finished points")
    for points in series.values():
        points.sort()
    return series


def plot(series, column, ylabel, title, path, reference=None):
    fig, ax = plt.subplots(figsize=(6, 4.2), dpi=120)
    for variant in sorted(series, key=lambda v: (ORDER.index(v) if v in ORDER else len(ORDER), v)):
        pts = series[variant]
        color, marker = STYLE.get(variant, (None, "x"))
        ax.plot([p[0] for p in pts], [p[column] for p in pts], marker=marker, color=color, label=variant)
    if reference:
        label, f = reference
        ns = sorted({p[0] for pts in series.values() for p in pts})
        ax.plot(ns, [f(n) for n in ns], linestyle=":", color="gray", label=label)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("sequence length N")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    print(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", help="results.csv of the sweep")
    ap.add_argument("--out", default=".", help="directory for the PNGs (default: .)")
    args = ap.parse_args()
    series = read(args.csv)
    os.makedirs(args.out, exist_ok=True)
    plot(series, 1, "cycles", "SDPA cycles (D = 64, D-wide streaming)",
         os.path.join(args.out, "sdpa_cycles.png"), ("N²", lambda n: n * n))
    plot(series, 2, "Σ peak FIFO occupancy (tokens)", "SDPA total intermediate buffer",
         os.path.join(args.out, "sdpa_buffer.png"))


if __name__ == "__main__":
    main()
