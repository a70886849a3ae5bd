#!/usr/bin/env python3
"""Loading and running at scale: a chain of N `map` units (source -> N maps -> sink).

For each N, writes the chain as YAML, then times `streamsim validate` and `streamsim run`
(wall seconds and peak RSS from /usr/bin/time), and prints the cost per unit so that a
super-linear step shows as a growing ratio:

    tests/bench/chain_scale.py build/streamsim 10000 100000 1000000 [--tokens 5]

Exit 1 if a command fails.
"""
import argparse
import os
import subprocess
import sys
import tempfile


def write_chain(path, n, tokens):
    with open(path, "w") as f:
        f.write("description: a chain of %d map units\ndefaults: {depth: 2}\nunits:\n" % n)
        f.write("  - {name: src, type: source, params: {kind: ramp, count: %d}}\n" % tokens)
        for i in range(n):
            f.write("  - {name: m%d, type: map, params: {op: id}}\n" % i)
        f.write("  - {name: out, type: sink}\nchannels:\n")
        prev = "src"
        for i in range(n):
            f.write("  - {from: %s, to: m%d}\n" % (prev, i))
            prev = "m%d" % i
        f.write("  - {from: %s, to: out}\n" % prev)


def timed(cmd):
    """Runs cmd under /usr/bin/time; returns (seconds, peak RSS in MB)."""
    fmt = "STREAMSIM_TIME %e %M"
    p = subprocess.run(["/usr/bin/time", "-f", fmt] + cmd, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    line = [l for l in p.stderr.splitlines() if l.startswith("STREAMSIM_TIME")]
    if p.returncode != 0 or not line:
        sys.stderr.write("chain_scale: %s failed (exit %d):\n%s" % (" ".join(cmd), p.returncode, p.stderr))
        sys.exit(1)
    _, secs, kb = line[-1].split()
    return float(secs), int(kb) / 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("sizes", nargs="+", type=int)
    ap.add_argument("--tokens", type=int, default=5)
    args = ap.parse_args()
    if not os.path.exists("/usr/bin/time"):
        sys.exit("chain_scale: needs /usr/bin/time (apt-get install time)")
    print("%10s %12s %10s %12s %10s %14s" % ("units", "validate s", "MB", "run s", "MB", "run us/unit"))
    with tempfile.TemporaryDirectory() as d:
        for n in args.sizes:
            path = os.path.join(d, "chain%d.yaml" % n)
            write_chain(path, n, args.tokens)
            vs, vm = timed([args.binary, "validate", path])
            rs, rm = timed([args.binary, "run", "-q", path])
            print("%10d %12.2f %10.0f %12.2f %10.0f %14.2f" % (n, vs, vm, rs, rm, 1e6 * rs / n), flush=True)


if __name__ == "__main__":
    main()
