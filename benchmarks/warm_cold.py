"""Does the model get better as positives accumulate? One run, the cells below, three rankers.

The four cells of the issue (the positives of a training window are added as records with
"label": 1, the way `opdlist score --train` reads them; the test window is the pool and its
own background):
  cold A   train on the list              -> test window A
  cold B   train on the list              -> test window B
  warm B   train on the list + A positives -> test window B
  warm A   train on the list + B positives -> test window A
and two more ways the list grows:
  forward  the maintainer's own order in time: the list (as of 2026-03-04) -> window B from
           2026-03-05 on, cold and with B's positives announced before then (the same
           direction as the team's later quarter, trained on the list + B);
  lived    the list + every decision of an online replay of the other window (the daily rule,
           a simulated maintainer approving its positives and rejecting the rest): what the
           daily loop's state would be after that quarter.
Rankers: this model (classifier.fit on the train papers, the pool as background), the keyword
query and the arxiv-sanity-lite reference (TF-IDF + LinearSVC), all from classifier.evaluate.
Papers of the train set are removed from the pool. "AP amb. out" leaves out of the metric the
papers exactly one public list includes (`n_lists` 1, not positive: neither in nor out).
Fit + score seconds are wall clock of this run.

    .venv/bin/python benchmarks/warm_cold.py [--shared ../shared]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _decisions(lst, sections, window, positives):
    """(approved, rejected) of an online replay of `window` trained on the list: the daily
    rule and a simulated maintainer (classifier.evaluate.replay)."""
    from classifier import TrainingSet
    from classifier import evaluate as ev
    from store.config import Config
    keys = {p.key for p in lst}
    pool = [p for p in window if p.key not in keys]
    cfg = Config()
    r = ev.replay(TrainingSet(positives=lst, sections=sections), pool, positives,
                  per_day=cfg.max_per_day, min_score=cfg.min_score, learn=True)
    return r["approved"], r["rejected"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    args = ap.parse_args()
    import pandas as pd
    from classifier import TrainingSet, fit
    from classifier import evaluate as ev
    from store.files import read_papers
    arxiv = Path(args.shared) / "arxiv"
    lst = read_papers(arxiv / "list_papers.jsonl")
    sections = list(dict.fromkeys(p.section for p in lst))
    win = {w: read_papers(arxiv / f"window{w}.jsonl.gz", unique=True) for w in "AB"}
    records = {w: [json.loads(x) for x in (arxiv / f"window{w}_labels.jsonl").read_text()
                   .splitlines()] for w in "AB"}
    lab = {w: {r["id"] for r in records[w] if r["positive"]} for w in "AB"}
    amb = {w: {r["id"] for r in records[w] if not r["positive"]} for w in "AB"}
    pos = {w: [replace(p, section=None, label=1) for p in win[w] if p.key in lab[w]]
           for w in "AB"}
    snapshot = "2026-03-05"      # the list is README.md as of 2026-03-04
    listed = {p.key for p in lst}
    early = [p for p in pos["B"] if p.date < snapshot and p.key not in listed]
    late_B = [p for p in win["B"] if p.date >= snapshot]
    # (name, positives, rejected, test papers, test window, the cold cell it is compared to)
    cold = {"A": "cold: list -> A", "B": "cold: list -> B"}
    forward = "forward cold: list -> B from 03-05"
    cells = [(cold["A"], lst, [], win["A"], "A", None),
             (cold["B"], lst, [], win["B"], "B", None),
             ("warm: list + A positives -> B", lst + pos["A"], [], win["B"], "B", cold["B"]),
             ("warm: list + B positives -> A", lst + pos["B"], [], win["A"], "A", cold["A"]),
             (forward, lst, [], late_B, "B", None),
             (f"forward warm: list + {len(early)} B positives before 03-05 -> B from 03-05",
              lst + early, [], late_B, "B", forward)]
    for lived, test in (("A", "B"), ("B", "A")):
        app, rej = _decisions(lst, sections, win[lived], lab[lived])
        cells.append((f"lived: list + decisions of a replay of {lived} ({len(app)} approved, "
                      f"{len(rej)} rejected) -> {test}", lst + app, rej, win[test], test,
                      cold[test]))
    rows = []
    for name, train, rejected, window, test, _ in cells:
        keys = {p.key for p in train + rejected}
        pool = [p for p in window if p.key not in keys]
        y = np.array([p.key in lab[test] for p in pool])
        keep = np.array([p.key not in amb[test] for p in pool])
        days = np.array([p.date for p in pool])
        t = time.perf_counter()
        model = fit(TrainingSet(positives=train, negatives=rejected, background=pool,
                                sections=sections))
        ours = np.array([s.score for s in model.score(pool)])
        t_ours = time.perf_counter() - t
        t = time.perf_counter()
        sanity = ev.sanity_scores(train, pool)
        t_sanity = time.perf_counter() - t
        for ranker, s, sec in (("opdlist", ours, t_ours), ("keyword query", ev.keyword_scores(pool), None),
                               ("arxiv-sanity-lite", sanity, t_sanity)):
            m = ev.metrics(s, y, list(days))
            rows.append({"cell": name, "positives": int(y.sum()), "ranker": ranker,
                         "AP": m["AP"],
                         "AP amb. out": ev.metrics(s[keep], y[keep], list(days[keep]))["AP"],
                         "R@3/day": m["R@3/day"], "R@5/day": m["R@5/day"],
                         "R@2avg": m["R@2avg"], "fit+score s": sec})
            print(rows[-1], file=sys.stderr, flush=True)
    df = pd.DataFrame(rows)
    print("| train -> test | positives in test | ranker | AP | AP amb. out | R@3/day | R@5/day "
          "| R@2avg | fit+score s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        sec = "" if r["fit+score s"] is None else f"{r['fit+score s']:.1f}"
        print(f"| {r['cell']} | {r['positives']} | {r['ranker']} | {r['AP']:.3f} | "
              f"{r['AP amb. out']:.3f} | {r['R@3/day']:.3f} | {r['R@5/day']:.3f} | "
              f"{r['R@2avg']:.3f} | {sec} |")
    print("\nAP (AP with the papers of one list left out), warm minus cold on the same test:")
    for ranker in df.ranker.unique():
        d = df[df.ranker == ranker].set_index("cell")
        out = [f"{name.split(':')[0]} -> {test}: "
               f"{d.loc[name, 'AP'] - d.loc[base, 'AP']:+.3f} "
               f"({d.loc[name, 'AP amb. out'] - d.loc[base, 'AP amb. out']:+.3f})"
               for name, _, _, _, test, base in cells if base]
        print(f"  {ranker}: " + "; ".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
