"""Figure conventions shared by plot_spatial.py and plot_sdpa.py.

A reader must be able to see every series a legend lists, so:
- every series has its own colour, marker and line style, markers hollow, so two series on
  the same points still show two different shapes;
- series that coincide on the drawn axis are named in a note under the axes (and on stdout);
- log axes get enough tick labels to read values off (not one decade label);
- legends sit outside the axes and figures are saved with a tight bounding box, so neither a
  legend nor a title covers or cuts anything.
"""
import math

COLORS = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown",
          "tab:pink", "tab:olive", "tab:cyan", "tab:gray"]
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*", "<", ">"]
LINESTYLES = ["-", "--", "-.", ":"]
# A series drawn within this share of the axis span of another at every x is hidden by it.
COINCIDE_SHARE = 0.01


def series_style(index):
    """Line keywords for the index-th series of a figure (stable per name across panels)."""
    color = COLORS[index % len(COLORS)]
    return {
        "color": color,
        "marker": MARKERS[index % len(MARKERS)],
        "linestyle": LINESTYLES[index % len(LINESTYLES)],
        # Hollow and of decreasing size: a later marker sits inside an earlier one.
        "markerfacecolor": "none",
        "markeredgecolor": color,
        "markeredgewidth": 1.4,
        "markersize": 9 - 1.2 * (index % 4),
        "linewidth": 1.5,
    }


def _axis_position(value, lo, hi, log):
    if log:
        return (math.log(value) - math.log(lo)) / (math.log(hi) - math.log(lo))
    return (value - lo) / (hi - lo)


def _closeness(series, log, share):
    """A predicate: are values a and b within `share` of the axis span of all series?"""
    values = [y for ys in series.values() for y in ys if not log or y > 0]
    if not values:
        return lambda a, b: False
    lo, hi = min(values), max(values)
    if hi == lo:
        return lambda a, b: True
    return lambda a, b: (not log or (a > 0 and b > 0)) and abs(
        _axis_position(a, lo, hi, log) - _axis_position(b, lo, hi, log)) <= share


def coincident_groups(series, log, share=COINCIDE_SHARE):
    """Groups of series names (in the given order) drawn on top of each other at every x.

    series: {name: [y, ...]} on the same x values. Two series coincide at an x when their
    positions on the axis differ by at most `share` of the span of all values.
    """
    close = _closeness(series, log, share)
    groups = []
    for name, ys in series.items():
        for group in groups:
            first = series[group[0]]
            if len(first) == len(ys) and all(close(a, b) for a, b in zip(first, ys)):
                group.append(name)
                break
        else:
            groups.append([name])
    return [g for g in groups if len(g) > 1]


def partly_coincident_pairs(series, log, share=COINCIDE_SHARE):
    """(a, b, shared, total) for pairs on top of each other at half or more of the x values
    (at least two) but not at all of them."""
    close = _closeness(series, log, share)
    grouped = {name: i for i, g in enumerate(coincident_groups(series, log, share)) for name in g}
    names = list(series)
    pairs = []
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if a in grouped and grouped.get(b) == grouped[a]:
                continue  # already named as one group
            shared = sum(close(x, y) for x, y in zip(series[a], series[b]))
            total = min(len(series[a]), len(series[b]))
            if 2 <= shared < total and 2 * shared >= total:
                pairs.append((a, b, shared, total))
    return pairs


def coincidence_note(series, log, share=COINCIDE_SHARE):
    """One line naming the series that hide each other, or '' when none do."""
    parts = [" = ".join(g) for g in coincident_groups(series, log, share)]
    parts += [f"{a} = {b} at {n} of {t} points"
              for a, b, n, t in partly_coincident_pairs(series, log, share)]
    return "on top of each other: " + "; ".join(parts) if parts else ""


def log_ticks(lo, hi):
    """Tick values for a log axis over [lo, hi]: at least three, at 1-2-5 (or finer) steps."""
    if lo <= 0 or hi <= 0:
        raise ValueError("log axis needs positive values")
    lo, hi = min(lo, hi), max(lo, hi)
    # Decades first; finer steps only while fewer than three ticks fall inside the range.
    steps = ((1,), (1, 2, 5), (1, 1.5, 2, 3, 4, 5, 6, 8),
             (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9))
    for mantissas in steps:
        ticks = [m * 10.0 ** e
                 for e in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1)
                 for m in mantissas if lo <= m * 10.0 ** e <= hi * (1 + 1e-9)]
        if len(ticks) >= 3:
            break
    else:
        # A range narrower than the finest step: its ends and middle.
        return [lo, math.sqrt(lo * hi), hi]
    return ticks[::math.ceil(len(ticks) / 12)]  # many decades: every k-th, at most 12


def label_log_axis(ax, values, suffix=""):
    """Sets a log y axis with readable tick labels ('0.5x', '2x', ...) covering `values`."""
    import matplotlib.ticker as ticker

    positive = [v for v in values if v > 0]
    lo, hi = min(positive), max(positive)
    if hi == lo:
        lo, hi = lo / 1.5, hi * 1.5
    pad = (hi / lo) ** 0.06
    lo, hi = lo / pad, hi * pad
    ax.set_yscale("log")
    ax.set_ylim(lo, hi)
    ax.yaxis.set_major_locator(ticker.FixedLocator(log_ticks(lo, hi)))
    ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}{suffix}"))
    ax.yaxis.set_minor_formatter(ticker.NullFormatter())


def add_note(ax, xlabel, note):
    """Puts the coincidence note under the x label (outside the data), if there is one."""
    ax.set_xlabel(xlabel + ("\n" + wrap(note, 70) if note else ""))


def wrap(text, width):
    words, lines, line = text.split(" "), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    lines.append(line)
    return "\n".join(lines)


def legend_outside(fig, handles, labels):
    """A legend to the right of the axes, never over the data."""
    fig.legend(handles, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=9,
               frameon=False)


def save(fig, path):
    """Saves with a tight box (titles and the outside legend inside the canvas), then closes."""
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=120, bbox_inches="tight", pad_inches=0.15)
    plt.close(fig)
    print(path)
