"""Benchmark of the classifier: time and peak memory of fit + score, for one announcement day
(the day of window A closest to 450 papers) and for the whole of window A (28k papers),
beside the arxiv-sanity-lite reference (TF-IDF + LinearSVC) on the same data in the same run;
and the classifier's share of a daily run as `opdlist daily` does it, in CPU seconds of a
fresh process including its imports: a 200-entry list (the list's papers and window B's
positives, repeated), 10 days of window B as the cache's background and the next day of about
450 papers; once fitting the model ("daily, refit": every new listing day, with yesterday's
counts) and once reusing the saved one ("daily, reused": a run repeated on the same day,
`classifier.persist.reusable`).

Each measurement runs in a fresh Python process so its peak resident memory (ru_maxrss) is
its own; the process first loads the data and warms up the libraries, and the figures are
the CPU time of fit + score (process time: BLAS and both rankers run on one thread) and the
peak RSS (also above the loaded baseline).

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


def _daily(which: str, shared: Path, repeat: int) -> dict:
    import json
    import tempfile
    t0 = time.process_time()
    from classifier import TrainingSet, fit
    from classifier.budget import pick
    from classifier.persist import save
    from classifier.ranker import fingerprint
    from scripts.daily import _fit as daily_model
    from scripts.daily import topic
    from store.config import Config
    t_import = time.process_time() - t0
    from dataclasses import replace
    from store.files import read_papers
    arxiv = shared / "arxiv"
    lst = read_papers(arxiv / "list_papers.jsonl")
    wb = read_papers(arxiv / "windowB.jsonl.gz")
    pids = {json.loads(x)["id"] for x in (arxiv / "windowB_labels.jsonl").read_text()
            .splitlines() if json.loads(x)["positive"]}
    pos = lst + [replace(p, section=lst[0].section) for p in wb if p.key in pids]
    pos = [replace(p, id=f"{p.id}{'' if i < len(pos) else f'x{i}'}")
           for i, p in enumerate((pos * 5)[:200])]
    days = sorted({p.date for p in wb})
    sizes = {d: sum(1 for p in wb if p.date == d) for d in days[10:]}
    day = min(sizes, key=lambda d: abs(sizes[d] - 450))
    i = days.index(day)
    cache = [p for p in wb if p.date in days[i - 10:i] and p.key not in pids]
    today = [p for p in wb if p.date == day]
    sections = list(dict.fromkeys(p.section for p in lst))
    cfg = Config()
    from classifier.budget import recent           # what daily fits on: the newest days
    ts = TrainingSet(positives=pos, background=recent(cache + today), sections=sections,
                     topic=topic(cfg))
    path = Path(tempfile.mkdtemp()) / "model.joblib"
    # the saved model: for "refit" yesterday's, fitted on the days before today (the daily
    # job refits every new listing day); for "reused" today's (the run is repeated)
    yesterday = fit(TrainingSet(positives=pos, background=recent([p for p in wb if p.date in
                                                                   days[i - 11:i]]),
                                sections=sections, topic=topic(cfg)) if which == "refit" else ts,
                    keep_counts=True)
    times = []
    for _ in range(repeat):
        save(yesterday, path)
        t = time.process_time()
        model = daily_model(ts, path)    # what daily does: load, reuse or refit, save
        assert model.fingerprint == fingerprint(ts)
        picks = pick(today, model.score(today), cfg)
        times.append(time.process_time() - t)
    med = sorted(times)[len(times) // 2]
    return {"ranker": "opdlist", "scope": f"daily, {which}", "papers": len(today),
            "list": len(pos), "cache": len(cache), "background": len(ts.background), "imports s": round(t_import, 2),
            "CPU s (median)": med, "CPU s (min)": min(times),
            "CPU s incl. imports": round(t_import + med, 2), "candidates": len(picks)}


def _child(which: str, scope: str, shared: Path, repeat: int) -> dict:
    if scope == "daily":
        return _daily(which, shared, repeat)
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
        from scripts.daily import topic
        from store.config import Config
        tp = topic(Config())

        def run(pool):
            return fit(TrainingSet(positives=lst, background=pool, sections=sections,
                                   topic=tp)).score(pool)
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
        t = time.process_time()
        run(pool)
        times.append(time.process_time() - t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"ranker": which, "scope": scope, "papers": len(pool),
            "CPU s (median)": sorted(times)[len(times) // 2], "CPU s (min)": min(times),
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
    for which in ("refit", "reused"):
        out = subprocess.run([sys.executable, __file__, "--shared", str(shared), "--repeat",
                              str(args.repeat), "--child", which, "daily"],
                             capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(rows[-1], file=sys.stderr, flush=True)
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
