#!/usr/bin/python3
"""Plots the SDPA sequence-length study (configs/studies/sdpa_seq_len.yaml).

    scripts/plot_sdpa.py out/sdpa_study/results.csv --out docs/figures

Needs Debian's python3-matplotlib (hence /usr/bin/python3, not the first python3 on PATH).

Reads the sweep's results.csv and writes two log-log PNGs, one line per variant:
  sdpa_cycles.png  simulated cycles vs N
  sdpa_buffer.png  total intermediate buffer (sum of peak FIFO occupancy, tokens) vs N
and a third that separates the lines the first one draws on top of each other:
  sdpa_cycles_overhead.png  cycles - N^2 (one score per cycle at D-wide streaming) vs N
Series drawn on top of each other are named under the axes and on stdout.
The variant is the config file's name (sdpa_<variant>.yaml) or a `variant` column.
Failed points are left out and listed on stderr.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import plot_input  # noqa: E402
import plot_style  # noqa: E402

TOOL = "plot_sdpa"
MAKER = "`streamsim sweep configs/studies/sdpa_seq_len.yaml --out DIR`"
ORDER = ["naive", "naive_stable", "reordered"]


def variant_of(path, index, row):
    if row.get("variant"):
        return row["variant"]
    name = os.path.basename(row.get("config") or "")
    if name.startswith("sdpa_") and name.endswith(".yaml"):
        return name[len("sdpa_"):-len(".yaml")]
    plot_input.fail(TOOL, f"{path}:{index + 2}: no `variant` column and config '{name}' is "
                    "not sdpa_<variant>.yaml")


def read(path):
    rows = plot_input.read_rows(TOOL, path, ("id", "N", "status", "outcome", "cycles",
                                             "total_buffer"), MAKER)
    series = {}
    for i, row in enumerate(rows):
        if row["status"] != "ok":
            print(f"{TOOL}: skipping failed point {row['id']}: {row['outcome']}", file=sys.stderr)
            continue
        series.setdefault(variant_of(path, i, row), []).append(
            tuple(plot_input.number(TOOL, path, i, row, c, int)
                  for c in ("N", "cycles", "total_buffer")))
    if not series:
        plot_input.fail(TOOL, f"{path} has no finished points (every status is not ok)")
    for points in series.values():
        points.sort()
    return series


def plot(series, column, ylabel, title, path, reference=None, transform=None):
    plt = plot_input.pyplot(TOOL)
    fig, ax = plt.subplots(figsize=(6, 4.2))
    variants = sorted(series, key=lambda v: (ORDER.index(v) if v in ORDER else len(ORDER), v))
    drawn = {}
    for i, variant in enumerate(variants):
        pts = series[variant]
        xy = [(p[0], transform(p[0], p[column]) if transform else p[column]) for p in pts]
        # A log axis cannot show zero or less: say so instead of dropping the point silently.
        for n, y in xy:
            if y <= 0:
                print(f"{TOOL}: {os.path.basename(path)}: {variant} at N = {n} is {y}, not "
                      "shown on the log axis", file=sys.stderr)
        xy = [(n, y) for n, y in xy if y > 0]
        ax.plot([n for n, _ in xy], [y for _, y in xy], label=variant,
                **plot_style.series_style(i))
        drawn[variant] = [y for _, y in xy]
    ns = sorted({p[0] for pts in series.values() for p in pts})
    if reference:
        label, f = reference
        ax.plot(ns, [f(n) for n in ns], linestyle=":", color="gray", label=label, linewidth=2)
        drawn[label] = [f(n) for n in ns]
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    # Only series on the same N can hide each other; a failed point makes the lengths differ.
    same_ns = {k: v for k, v in drawn.items() if len(v) == len(ns)}
    note = plot_style.coincidence_note(same_ns, log=True)
    if note and reference is not None:
        note += f" (see {os.path.basename(path).replace('.png', '_overhead.png')})"
    plot_style.add_note(ax, "sequence length N", note)
    if note:
        print(f"{os.path.basename(path)}: {note}")
    plot_style.legend_outside(fig, *ax.get_legend_handles_labels())
    fig.tight_layout()
    plot_style.save(fig, path)


def main(argv):
    ap = argparse.ArgumentParser(prog="plot_sdpa.py", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", help="results.csv of the sweep")
    ap.add_argument("--out", default=".", metavar="DIR",
                    help="folder for the PNGs, created if missing (default: .)")
    args = ap.parse_args(argv)
    series = read(args.csv)
    plot_input.pyplot(TOOL)  # before making the folder: no empty folder when it is missing
    out = plot_input.output_dir(TOOL, args.out)
    plot(series, 1, "cycles", "SDPA cycles (D = 64, D-wide streaming)",
         os.path.join(out, "sdpa_cycles.png"), ("N²", lambda n: n * n))
    plot(series, 1, "cycles − N²", "SDPA cycles beyond one score per cycle",
         os.path.join(out, "sdpa_cycles_overhead.png"), transform=lambda n, c: c - n * n)
    plot(series, 2, "Σ peak FIFO occupancy (tokens)", "SDPA total intermediate buffer",
         os.path.join(out, "sdpa_buffer.png"))


if __name__ == "__main__":
    main(sys.argv[1:])
