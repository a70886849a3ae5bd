"""Argument and input checks shared by plot_spatial.py and plot_sdpa.py.

Bad input ends with one line naming the file, row or option and what to do, and exit status 2
(argparse's status for usage errors), never a Python traceback.
"""
import csv
import os
import sys


def fail(tool, message):
    print(f"{tool}: error: {message}", file=sys.stderr)
    sys.exit(2)


def pyplot(tool):
    """matplotlib.pyplot for files only (no display on a build machine), or a clear exit."""
    try:
        import matplotlib
    except ImportError:
        print(f"{tool}: error: {sys.executable} has no matplotlib; install Debian's "
              "python3-matplotlib (apt-get install python3-matplotlib) and run the script "
              "with /usr/bin/python3", file=sys.stderr)
        sys.exit(1)
    matplotlib.use("Agg")  # files only: no display on a build machine
    import matplotlib.pyplot as plt

    return plt


def read_rows(tool, path, required, what):
    """The rows of a results CSV as dicts; fails naming the file when it cannot be used.

    required: columns that must be present; what: the command that makes such a CSV.
    """
    if os.path.isdir(path):
        fail(tool, f"{path} is a directory; give the results.csv inside it ({what})")
    try:
        with open(path, newline="") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            columns = reader.fieldnames or []
    except OSError as e:
        fail(tool, f"cannot read {path}: {e.strerror} ({what} writes it)")
    except (UnicodeDecodeError, csv.Error) as e:
        fail(tool, f"{path} is not a CSV file: {e}")
    missing = [c for c in required if c not in columns]
    if missing:
        fail(tool, f"{path}: no column {', '.join(missing)}; is it the results.csv of {what}?")
    if not rows:
        fail(tool, f"{path} has a header but no rows; run {what} first")
    return rows


def number(tool, path, row_index, row, column, kind=float):
    """row[column] as a number; fails naming the file, line and column otherwise."""
    try:
        return kind(row[column])
    except (TypeError, ValueError):
        # Line 1 is the header.
        fail(tool, f"{path}:{row_index + 2}: column {column} is '{row[column]}', not a number")


def output_dir(tool, out):
    """Creates the output folder (and parents) or fails saying why."""
    if os.path.exists(out) and not os.path.isdir(out):
        fail(tool, f"--out {out} exists and is not a directory")
    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        fail(tool, f"--out {out}: cannot create the folder: {e.strerror}")
    if not os.access(out, os.W_OK):
        fail(tool, f"--out {out}: folder is not writable")
    return out
