"""Benchmark of the crawler against the fake arXiv serving the whole of windowA (run by hand).

    .venv/bin/python benchmarks/bench_crawl.py [--interval 3] [--data ../shared/arxiv/windowA.jsonl.gz]

Measures, for (a) one ordinary day, (b) a catch-up of 7 missed listing days and (c) a
backfill of all of windowA (Oct-Dec 2025), the requests made, the wall time, the time spent
in polite waits and the rest (wall time excluding the waits), and compares the request count
with the minimum the interfaces allow: ceil(papers / page size) + the feed, with the export
API's 2000 per page (and OAI-PMH's 1000 per page for the backfill it uses). Each scenario is
checked against the data: exactly its ids, once each.
"""
from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler import crawl, run as crawl_module  # noqa: E402
from scripts.fake_arxiv import FakeArxiv, load  # noqa: E402
from store.config import Config  # noqa: E402

D = dt.date


def ids_by_day(papers):
    out = defaultdict(set)
    for p in papers:
        out[dt.date.fromisoformat(p.date)].add(p.key)
    return out


def run(name, fake, cfg, want, minimum, **kw):
    fake.clear()
    t0 = time.monotonic()
    result = crawl(cfg, **kw)
    wall = time.monotonic() - t0
    got = [p.key for p in result.papers]
    ok = set(got) == want and len(got) == len(set(got))
    return {"scenario": name, "papers": len(got), "exact": ok, "requests": fake.count(),
            "minimum": minimum, "wall": wall, "waits": result.waited,
            "work": wall - result.waited, "sources": sorted({b.source for b in result.days})}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "arxiv" / "windowA.jsonl.gz"))
    ap.add_argument("--interval", type=float, default=3.0,
                    help="seconds between requests (arXiv's rule: 3)")
    ap.add_argument("--with-api-backfill", action="store_true",
                    help="also run (c) through the export API (4 listing days per query)")
    args = ap.parse_args()

    papers = load([args.data])
    by_day = ids_by_day(papers)
    days = sorted(by_day)
    fake = FakeArxiv(papers, today=D(2025, 10, 7), oai_page=1000)
    fake.start()
    tmp = Path(tempfile.mkdtemp())
    cfg = Config(repo=tmp, **fake.urls, min_interval=args.interval, timeout=30, max_retries=5,
                 run_budget=3600, contact="benchmark")
    rows = []
    try:
        # (a) one ordinary day: yesterday handled, today's feed
        want = by_day[D(2025, 10, 7)]
        rows.append(run("(a) one day (2025-10-07)", fake, cfg, want, 1,
                        cursor=D(2025, 10, 6), seen=by_day[D(2025, 10, 6)]))
        # (b) seven listing days missed: 10-09 .. 10-17, today 10-20
        fake.set_today(D(2025, 10, 20))
        missed = [d for d in days if D(2025, 10, 8) < d < D(2025, 10, 20)]
        assert len(missed) == 7
        want = set().union(*(by_day[d] for d in missed)) | by_day[D(2025, 10, 20)]
        n_missed = sum(len(by_day[d]) for d in missed)
        rows.append(run("(b) catch-up of 7 missed days", fake, cfg, want,
                        math.ceil(n_missed / 2000) + 1,
                        cursor=D(2025, 10, 8), seen=by_day[D(2025, 10, 8)]))
        # (c) backfill of the whole window
        fake.set_today(D(2025, 12, 30))
        want = set().union(*by_day.values())
        rows.append(run(f"(c) backfill of windowA ({len(days)} days)", fake, cfg, want,
                        math.ceil(len(want) / 2000),
                        start=days[0], end=days[-1], seen=set()))
        if args.with_api_backfill:
            old = crawl_module.OAI_DAYS
            crawl_module.OAI_DAYS = 10_000
            try:
                rows.append(run("(c') same through the API (4-day queries)", fake, cfg, want,
                                math.ceil(len(want) / 2000),
                                start=days[0], end=days[-1], seen=set()))
            finally:
                crawl_module.OAI_DAYS = old
    finally:
        fake.stop()

    print(f"interval {args.interval:g} s between requests; fake arXiv serving "
          f"{len(papers)} papers of {len(days)} listing days\n")
    print("| scenario | papers | exact | requests | minimum | via | wall s | polite waits s | "
          "wall excl. waits s |")
    print("|---|---:|:-:|---:|---:|---|---:|---:|---:|")
    for r in rows:
        print(f"| {r['scenario']} | {r['papers']} | {'yes' if r['exact'] else 'NO'} | "
              f"{r['requests']} | {r['minimum']} | {'+'.join(r['sources'])} | {r['wall']:.2f} | "
              f"{r['waits']:.2f} | {r['work']:.2f} |")
    print("\nminimum = ceil(papers / 2000) + 1 feed request where a feed is read; OAI-PMH pages "
          "hold 1000 records, so (c) through OAI cannot take fewer than "
          f"{math.ceil(sum(len(v) for v in by_day.values()) / 1000)} requests.")
    return 0 if all(r["exact"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
