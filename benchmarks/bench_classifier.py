"""Benchmark of the classifier: time and peak memory of fit + score, for one announcement day
(the day of window A closest to 450 papers) and for the whole of window A (28k papers),
beside the arxiv-sanity-lite reference (TF-IDF + LinearSVC) on the same data in the same run.

Each measurement runs in a fresh Python process so its peak resident memory (ru_maxrss) is
its own; the process first loads the data and warms up the libraries, and the figures are
the time of fit + score and the peak RSS (also above the loaded baseline).

    .venv/bin/python benchmarks/bench_classifier.py [--shared ../shared] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _rss_mib() -> float:
    """Current resident memory of this process (Linux /proc), MiB."""
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _child(which: str, scope: str, shared: Path, repeat: int) -> dict:
    from store.files import read_papers
    lst = read_papers(shared / "arxiv" / "list_papers.jsonl")
    window = read_papers(shared / "arxiv" / "windowA.jsonl.gz", unique=True)
    keys = {p.key for p in lst}
    window = [p for p in window if p.key not in keys]
    if scope == "day":
        sizes: dict[str, int] = {}
        for p in window:
            sizes[p.date] = sizes.get(p.date, 0) + 1
        day = min(sorted(sizes), key=lambda d: abs(sizes[d] - 450))
        pool = [p for p in window if p.date == day]
    else:
        pool = window
    del window
    sections = []
    for p in lst:
        if p.section not in sections:
            sections.append(p.section)

    if which == "opdlist":
        from classifier import TrainingSet, fit

        def run(pool):
            return fit(TrainingSet(positives=lst, background=pool, sections=sections)).score(pool)
    else:
        from classifier.evaluate import sanity_scores

        def run(pool):
            return sanity_scores(lst, pool)

    run(pool[:300])                      # warm up imports and thread pools
    import gc
    gc.collect()
    base = _rss_mib()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        run(pool)
        times.append(time.perf_counter() - t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"ranker": which, "scope": scope, "papers": len(pool),
            "seconds (median)": sorted(times)[len(times) // 2], "seconds (min)": min(times),
            "peak RSS MiB": round(peak), "peak above loaded data MiB": round(peak - base)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", nargs=2, metavar=("RANKER", "SCOPE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    shared = Path(args.shared)
    if args.child:
        print(json.dumps(_child(args.child[0], args.child[1], shared, args.repeat)))
        return 0
    import pandas as pd
    rows = []
    for scope, repeat in (("day", max(args.repeat, 5)), ("window", args.repeat)):
        for which in ("opdlist", "arxiv-sanity-lite"):
            out = subprocess.run([sys.executable, __file__, "--shared", str(shared), "--repeat",
                                  str(repeat), "--child", which, scope],
                                 capture_output=True, text=True, check=True)
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(rows[-1], file=sys.stderr, flush=True)
    import platform
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    with pd.option_context("display.width", 200, "display.float_format", "{:.2f}".format):
        print(pd.DataFrame(rows).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
