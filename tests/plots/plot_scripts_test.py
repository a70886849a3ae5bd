#!/usr/bin/env python3
"""The plot scripts (scripts/plot_spatial.py, scripts/plot_sdpa.py) on tiny CSVs.

Each script must write its PNGs, name series drawn on top of each other, and refuse bad
arguments and bad CSVs with one clear line (exit 2, no traceback). Registered in CTest as
`plot_scripts` (label `plots`); exits 77 (CTest's skip) when this python has no matplotlib.
"""
import csv
import importlib.util
import os
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "scripts")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

SPATIAL_COLUMNS = ["architecture", "mapping", "model", "batch", "heads", "seq", "cycles",
                   "util_2d", "util_1d", "util_dram", "peak_buffer_bytes", "dram_bytes"]
SDPA_COLUMNS = ["id", "N", "config", "engine", "status", "outcome", "cycles", "total_buffer"]


def write_csv(path, columns, rows):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        w.writerows(rows)
    return path


def spatial_rows():
    """fusemax and a copy of it with the same numbers (drawn on top of each other), flat and
    unfused slower, on two models and three sequence lengths."""
    rows = []
    for model, scale in (("BERT", 1.0), ("XLM", 1.3)):
        for seq in (1024, 4096, 16384):
            base = seq * seq * scale
            for mapping, arch, factor, util, buf in (
                    ("fusemax", "cloud", 1.0, 0.95, 2.5e6),
                    ("fusemax-copy", "cloud", 1.0, 0.95, 2.5e6),
                    ("flat", "cloud-flat", 6.0, 0.12, 1e7),
                    ("unfused", "cloud-flat", 12.0, 0.06, 3e7)):
                rows.append([arch, mapping, model, 64, 12, seq, int(base * factor), util,
                             util * 0.9, 0.3, int(buf), 1000])
    return rows


def sdpa_rows():
    rows = []
    for n in (64, 128, 256):
        for variant, extra, buffer in (("naive", n + 16, n + 24),
                                       ("naive_stable", 2 * n + 19, 2 * n + 30),
                                       ("reordered", 14, 21)):
            rows.append([f"N={n}_{variant}", n, f"../sdpa_{variant}.yaml", "fast", "ok",
                         "finished", n * n + extra, buffer])
    rows.append(["N=512_naive", 512, "../sdpa_naive.yaml", "fast", "failed", "deadlock", "", ""])
    return rows


class PlotScripts(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory(prefix="plot_scripts_test.")
        self.dir = self.tmp.name
        self.spatial_csv = write_csv(os.path.join(self.dir, "spatial.csv"), SPATIAL_COLUMNS,
                                     spatial_rows())
        self.sdpa_csv = write_csv(os.path.join(self.dir, "sdpa.csv"), SDPA_COLUMNS, sdpa_rows())

    def tearDown(self):
        self.tmp.cleanup()

    def run_script(self, script, *args):
        r = subprocess.run([sys.executable, os.path.join(SCRIPTS, script), *args],
                           capture_output=True, text=True, timeout=300)
        self.assertNotIn("Traceback", r.stderr, r.stderr)
        return r

    def assert_pngs(self, folder, names):
        for name in names:
            path = os.path.join(folder, name)
            self.assertTrue(os.path.isfile(path), f"{path} not written")
            with open(path, "rb") as f:
                self.assertEqual(f.read(8), PNG_MAGIC, f"{path} is not a PNG")

    def assert_refused(self, r, *phrases):
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        for phrase in phrases:
            self.assertIn(phrase, r.stderr)

    def test_spatial_writes_three_pngs_and_names_coinciding_series(self):
        out = os.path.join(self.dir, "new", "img")  # created with its parent
        r = self.run_script("plot_spatial.py", self.spatial_csv, "--out", out, "--prefix", "t")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_pngs(out, ["t_utilization.png", "t_speedup.png", "t_buffer.png"])
        self.assertIn("on top of each other: fusemax = fusemax-copy", r.stdout)
        self.assertIn("| fusemax | flat | 6.00x | 6.00x |", r.stdout)
        self.assertNotIn("flat = unfused", r.stdout)

    def test_spatial_old_positional_form_still_works_and_says_what_to_use(self):
        out = os.path.join(self.dir, "legacy")
        r = self.run_script("plot_spatial.py", self.spatial_csv, out, "old")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_pngs(out, ["old_utilization.png", "old_speedup.png", "old_buffer.png"])
        self.assertIn(f"deprecated; use --out {out} --prefix old", r.stderr)

    def test_spatial_refuses_the_folder_given_twice(self):
        r = self.run_script("plot_spatial.py", self.spatial_csv, "a", "--out", "b")
        self.assert_refused(r, "output folder given twice", "use only --out")

    def test_spatial_refuses_extra_positionals(self):
        r = self.run_script("plot_spatial.py", self.spatial_csv, "a", "b", "c")
        self.assert_refused(r, "unexpected arguments c", "--out DIR --prefix NAME")

    def test_missing_csv_is_named(self):
        missing = os.path.join(self.dir, "nosuch.csv")
        for script in ("plot_spatial.py", "plot_sdpa.py"):
            r = self.run_script(script, missing, "--out", self.dir)
            self.assert_refused(r, f"cannot read {missing}", "No such file")

    def test_a_folder_as_csv_is_named(self):
        r = self.run_script("plot_sdpa.py", self.dir, "--out", self.dir)
        self.assert_refused(r, f"{self.dir} is a directory", "results.csv")

    def test_the_other_study_csv_is_refused_with_the_missing_columns(self):
        r = self.run_script("plot_spatial.py", self.sdpa_csv, "--out", self.dir)
        self.assert_refused(r, f"{self.sdpa_csv}: no column", "util_2d", "spatial/study.yaml")
        r = self.run_script("plot_sdpa.py", self.spatial_csv, "--out", self.dir)
        self.assert_refused(r, f"{self.spatial_csv}: no column", "status", "sdpa_seq_len.yaml")

    def test_a_bad_number_is_named_by_line_and_column(self):
        rows = spatial_rows()
        rows[2][6] = "lots"  # line 4 of the file: header, then rows 0 and 1
        bad = write_csv(os.path.join(self.dir, "bad.csv"), SPATIAL_COLUMNS, rows)
        r = self.run_script("plot_spatial.py", bad, "--out", self.dir)
        self.assert_refused(r, f"{bad}:4: column cycles is 'lots', not a number")

    def test_out_naming_a_file_is_refused(self):
        a_file = os.path.join(self.dir, "a_file")
        open(a_file, "w").close()
        for script, csv_path in (("plot_spatial.py", self.spatial_csv),
                                 ("plot_sdpa.py", self.sdpa_csv)):
            r = self.run_script(script, csv_path, "--out", a_file)
            self.assert_refused(r, f"--out {a_file} exists and is not a directory")
        self.assertEqual(os.path.getsize(a_file), 0)

    def test_unknown_option_is_refused_with_usage(self):
        for script in ("plot_spatial.py", "plot_sdpa.py"):
            r = self.run_script(script, self.sdpa_csv, "--outdir", self.dir)
            self.assert_refused(r, "unrecognized arguments: --outdir", "usage:")

    def test_sdpa_writes_three_pngs_and_lists_failed_points(self):
        out = os.path.join(self.dir, "figures")
        r = self.run_script("plot_sdpa.py", self.sdpa_csv, "--out", out)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_pngs(out, ["sdpa_cycles.png", "sdpa_cycles_overhead.png", "sdpa_buffer.png"])
        self.assertIn("skipping failed point N=512_naive: deadlock", r.stderr)
        self.assertIn("sdpa_cycles.png: on top of each other: "
                      "naive = naive_stable = reordered = N² (see sdpa_cycles_overhead.png)",
                      r.stdout)
        self.assertNotIn("sdpa_buffer.png: on top of each other", r.stdout)

    def test_a_python_without_matplotlib_is_named(self):
        # -S leaves out site-packages, where Debian's and pip's matplotlib live.
        probe = subprocess.run([sys.executable, "-S", "-c", "import matplotlib"],
                               capture_output=True)
        if probe.returncode == 0:
            self.skipTest("matplotlib importable even without site-packages")
        out = os.path.join(self.dir, "not_made")
        for script, csv_path in (("plot_spatial.py", self.spatial_csv),
                                 ("plot_sdpa.py", self.sdpa_csv)):
            r = subprocess.run([sys.executable, "-S", os.path.join(SCRIPTS, script), csv_path,
                                "--out", out], capture_output=True, text=True, timeout=300)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn("has no matplotlib", r.stderr)
            self.assertIn("python3-matplotlib", r.stderr)
            self.assertNotIn("Traceback", r.stderr)
            self.assertFalse(os.path.exists(out), "folder made although nothing can be drawn")

    def test_sdpa_with_no_finished_point_is_refused(self):
        rows = [r[:4] + ["failed", "error"] + r[6:] for r in sdpa_rows()]
        bad = write_csv(os.path.join(self.dir, "failed.csv"), SDPA_COLUMNS, rows)
        r = self.run_script("plot_sdpa.py", bad, "--out", self.dir)
        self.assert_refused(r, f"{bad} has no finished points")


class LogTicks(unittest.TestCase):
    """A log axis over less than a decade still gets at least three labelled ticks."""

    def test_at_least_three_ticks_inside_the_range(self):
        sys.path.insert(0, SCRIPTS)
        import plot_style

        for lo, hi in ((0.4, 1.2), (0.8, 3.0), (1.5, 2.2), (5.0, 100.0), (20.0, 33000.0)):
            ticks = plot_style.log_ticks(lo, hi)
            self.assertGreaterEqual(len(ticks), 3, (lo, hi, ticks))
            self.assertTrue(all(lo <= t <= hi * (1 + 1e-9) for t in ticks), (lo, hi, ticks))


if __name__ == "__main__":
    if importlib.util.find_spec("matplotlib") is None:
        print(f"SKIP: {sys.executable} has no matplotlib (Debian: apt-get install "
              "python3-matplotlib; or configure with -DSTREAMSIM_PLOT_PYTHON=/path/to/python3)")
        sys.exit(77)
    unittest.main()
