#!/usr/bin/python3
"""Plots the spatial-array study (results.csv of `streamsim sweep` on a `kind: spatial` study).

    scripts/plot_spatial.py out/cloud/results.csv --out docs/img --prefix spatial

Writes <out>/<prefix>_utilization.png (2D and 1D utilization vs sequence length per
mapping), <prefix>_speedup.png (speedup over FLAT and over unfused), <prefix>_buffer.png
(peak global buffer use), and prints a markdown summary of the speedups. Values are averaged
over models (utilization: mean; speedup: geometric mean); the summary gives the geometric and
the arithmetic mean over all points (the paper's "on average" is the arithmetic mean).
Series drawn on top of each other are named under the axes and on stdout.

The old form `plot_spatial.py CSV [OUTDIR] [PREFIX]` still works and says what to use instead.
Needs Debian's python3-matplotlib (run with /usr/bin/python3 if another python is first).
"""
import argparse
import math
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot_input  # noqa: E402
import plot_style  # noqa: E402

TOOL = "plot_spatial"
MAKER = "`streamsim sweep configs/spatial/study.yaml --out DIR`"
NUMERIC = ("seq", "cycles", "util_2d", "util_1d", "util_dram", "peak_buffer_bytes", "dram_bytes")
COLUMNS = ("architecture", "mapping", "model") + NUMERIC


def parse_args(argv):
    ap = argparse.ArgumentParser(prog="plot_spatial.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", help="results.csv of the spatial study")
    ap.add_argument("--out", metavar="DIR", help="folder for the PNGs, created if missing (default: .)")
    ap.add_argument("--prefix", metavar="NAME", help="file name prefix of the PNGs (default: spatial)")
    # The pre-`--out` form: CSV OUTDIR PREFIX. Accepted with a note so old commands keep working.
    ap.add_argument("legacy", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.legacy:
        if len(args.legacy) > 2:
            ap.error(f"unexpected arguments {' '.join(args.legacy[2:])}; "
                     "usage: plot_spatial.py CSV --out DIR --prefix NAME")
        if args.out is not None:
            ap.error(f"output folder given twice (--out {args.out} and '{args.legacy[0]}'); "
                     "use only --out")
        if len(args.legacy) > 1 and args.prefix is not None:
            ap.error(f"prefix given twice (--prefix {args.prefix} and '{args.legacy[1]}'); "
                     "use only --prefix")
        args.out = args.legacy[0]
        if len(args.legacy) > 1:
            args.prefix = args.legacy[1]
        print(f"{TOOL}: note: the positional output folder and prefix are deprecated; use "
              f"--out {args.out}" + (f" --prefix {args.prefix}" if args.prefix else ""),
              file=sys.stderr)
    args.out = args.out if args.out is not None else "."
    args.prefix = args.prefix if args.prefix is not None else "spatial"
    if not args.prefix or os.sep in args.prefix:
        ap.error(f"--prefix '{args.prefix}' must be a non-empty file name part without '{os.sep}'")
    return args


def load(path):
    rows = plot_input.read_rows(TOOL, path, COLUMNS, MAKER)
    for i, r in enumerate(rows):
        for k in NUMERIC:
            r[k] = plot_input.number(TOOL, path, i, r, k)
    return rows


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs))


def draw_panel(ax, seqs, series, style_of, xlabel, log):
    """Plots {mapping: ys} on ax; returns the note naming series on top of each other."""
    for m, ys in series.items():
        ax.plot(seqs, ys, label=m, **style_of[m])
    ax.set_xscale("log", base=2)
    ax.grid(True, alpha=0.3)
    note = plot_style.coincidence_note(series, log)
    plot_style.add_note(ax, xlabel, note)
    return note


def unique_legend(axes, order):
    """One legend entry per mapping over all panels, in study order."""
    found = {}
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            found.setdefault(lab, h)
    labels = [m for m in order if m in found]
    return [found[m] for m in labels], labels


def report(figure, panel, note):
    if note:
        print(f"{figure}: {panel}: {note}")


def main(argv):
    args = parse_args(argv)
    rows = load(args.csv)
    plt = plot_input.pyplot(TOOL)  # after the arguments: --help and bad input need no matplotlib
    out = plot_input.output_dir(TOOL, args.out)
    path = lambda name: os.path.join(out, f"{args.prefix}_{name}.png")  # noqa: E731
    arch = " / ".join(dict.fromkeys(r["architecture"] for r in rows))
    mappings = list(dict.fromkeys(r["mapping"] for r in rows))
    style_of = {m: plot_style.series_style(i) for i, m in enumerate(mappings)}
    seqs = sorted({r["seq"] for r in rows})
    models = sorted({r["model"] for r in rows})
    cycles = {(r["mapping"], r["model"], r["seq"]): r["cycles"] for r in rows}
    by = defaultdict(list)
    for r in rows:
        by[(r["mapping"], r["seq"])].append(r)
    for m in mappings:
        absent = [int(s) for s in seqs if not by[(m, s)]]
        if absent:
            plot_input.fail(TOOL, f"{args.csv}: mapping {m} has no row for sequence length "
                            f"{', '.join(map(str, absent))}; rerun the sweep (failed points are "
                            "listed in its results.json) or plot a study with every point")

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    shown = []
    for ax, key, title in ((axes[0], "util_2d", "2D array"), (axes[1], "util_1d", "1D array")):
        series = {m: [100 * sum(r[key] for r in by[(m, s)]) / len(by[(m, s)]) for s in seqs]
                  for m in mappings}
        shown += [y for ys in series.values() for y in ys]
        ax.set_title(title)
        # Log scale: the mappings that leave an array mostly idle (5-15 %) stay apart.
        report(f"{args.prefix}_utilization", title,
               draw_panel(ax, seqs, series, style_of, "sequence length", log=True))
    plot_style.label_log_axis(axes[0], shown, "%")
    axes[0].set_ylabel("busy PE-cycles / (PEs × cycles), log scale")
    fig.suptitle(f"Utilization ({arch}, mean over models)")
    plot_style.legend_outside(fig, *unique_legend(axes, mappings))
    fig.tight_layout()
    plot_style.save(fig, path("utilization"))

    bases = [b for b in ("flat", "unfused") if b in mappings]
    summary = []
    if not bases:
        print(f"{TOOL}: no 'flat' or 'unfused' mapping in {args.csv}: no speedup figure",
              file=sys.stderr)
    else:
        fig, axes = plt.subplots(1, len(bases), figsize=(5.5 * len(bases), 4.2), squeeze=False)
        for ax, base in zip(axes[0], bases):
            series = {}
            for m in mappings:
                if m == base:
                    continue
                pairs = [[(cycles[(base, md, s)], cycles[(m, md, s)]) for md in models
                          if (base, md, s) in cycles and (m, md, s) in cycles] for s in seqs]
                if not all(pairs):
                    plot_input.fail(TOOL, f"{args.csv}: no model has both {base} and {m} at "
                                    "every sequence length; cannot compute the speedup")
                series[m] = [geomean([b / c for b, c in p]) for p in pairs]
                allv = [b / c for p in pairs for b, c in p]
                summary.append((m, base, geomean(allv), sum(allv) / len(allv)))
            ax.axhline(1.0, color="black", linewidth=0.8, alpha=0.5)
            title = f"over {base}"
            ax.set_title(f"Speedup {title}")
            ax.set_ylabel(f"speedup over {base} (log scale)")
            report(f"{args.prefix}_speedup", title,
                   draw_panel(ax, seqs, series, style_of, "sequence length", log=True))
            plot_style.label_log_axis(ax, [y for ys in series.values() for y in ys], "×")
        fig.suptitle(f"Speedup ({arch}, geomean over models; above 1× is faster)")
        plot_style.legend_outside(fig, *unique_legend(axes[0], mappings))
        fig.tight_layout()
        plot_style.save(fig, path("speedup"))

    fig, ax = plt.subplots(figsize=(6, 4.2))
    series = {m: [max(r["peak_buffer_bytes"] for r in by[(m, s)]) / 2**20 for s in seqs]
              for m in mappings}
    ax.set_ylabel("peak global buffer [MiB]\n(max over models, log scale)")
    ax.set_title(f"Global buffer use ({arch})")
    report(f"{args.prefix}_buffer", "buffer",
           draw_panel(ax, seqs, series, style_of, "sequence length", log=True))
    # Log scale: buffers of a few MiB stay apart from the tens of MiB the unfused ones reach.
    plot_style.label_log_axis(ax, [y for ys in series.values() for y in ys])
    plot_style.legend_outside(fig, *ax.get_legend_handles_labels())
    fig.tight_layout()
    plot_style.save(fig, path("buffer"))

    print("| mapping | over | geomean speedup | mean speedup |")
    print("|---|---|---|---|")
    for m, base, g, a in summary:
        print(f"| {m} | {base} | {g:.2f}x | {a:.2f}x |")


if __name__ == "__main__":
    main(sys.argv[1:])
