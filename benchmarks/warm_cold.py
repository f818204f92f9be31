"""Does the model get better as positives accumulate? One run, four cells, three rankers.

Cells (the positives of a training window are added as records with "label": 1, the way
`opdlist score --train` reads them; the test window is the pool and its own background):
  cold A   train on the list              -> test window A
  cold B   train on the list              -> test window B
  warm B   train on the list + A positives -> test window B
  warm A   train on the list + B positives -> test window A
Rankers: this model (classifier.fit on the train papers, the pool as background), the keyword
query and the arxiv-sanity-lite reference (TF-IDF + LinearSVC), all from classifier.evaluate.
Papers of the train set are removed from the pool. Fit + score seconds are wall clock of this
run (this model and arxiv-sanity on the same data, one after the other).

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
    win = {w: read_papers(arxiv / f"window{w}.jsonl.gz") for w in "AB"}
    lab = {w: {json.loads(x)["id"] for x in (arxiv / f"window{w}_labels.jsonl").read_text()
               .splitlines() if json.loads(x)["positive"]} for w in "AB"}
    pos = {w: [replace(p, section=None, label=1) for p in win[w] if p.key in lab[w]]
           for w in "AB"}
    cells = [("cold", "list", lst, "A"), ("cold", "list", lst, "B"),
             ("warm", "list + A positives", lst + pos["A"], "B"),
             ("warm", "list + B positives", lst + pos["B"], "A")]
    rows = []
    for kind, name, train, test in cells:
        keys = {p.key for p in train}
        pool = [p for p in win[test] if p.key not in keys]
        y = np.array([p.key in lab[test] for p in pool])
        days = [p.date for p in pool]
        t = time.perf_counter()
        model = fit(TrainingSet(positives=train, background=pool, sections=sections))
        ours = np.array([s.score for s in model.score(pool)])
        t_ours = time.perf_counter() - t
        t = time.perf_counter()
        sanity = ev.sanity_scores(train, pool)
        t_sanity = time.perf_counter() - t
        for ranker, s, sec in (("opdlist", ours, t_ours), ("keyword query", ev.keyword_scores(pool), None),
                               ("arxiv-sanity-lite", sanity, t_sanity)):
            m = ev.metrics(s, y, days)
            rows.append({"cell": f"{kind}: {name} -> {test}", "positives": int(y.sum()),
                         "ranker": ranker, "AP": m["AP"], "R@3/day": m["R@3/day"],
                         "R@5/day": m["R@5/day"], "R@2avg": m["R@2avg"],
                         "fit+score s": sec})
            print(rows[-1], file=sys.stderr, flush=True)
    df = pd.DataFrame(rows)
    print("| train -> test | positives in test | ranker | AP | R@3/day | R@5/day | R@2avg | "
          "fit+score s |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        sec = "" if r["fit+score s"] is None else f"{r['fit+score s']:.1f}"
        print(f"| {r['cell']} | {r['positives']} | {r['ranker']} | {r['AP']:.3f} | "
              f"{r['R@3/day']:.3f} | {r['R@5/day']:.3f} | {r['R@2avg']:.3f} | {sec} |")
    ap_ = df.pivot_table(index="ranker", columns="cell", values="AP")
    print("\nAP, warm minus cold (same test window):")
    for r in ap_.index:
        a = ap_.loc[r, "warm: list + B positives -> A"] - ap_.loc[r, "cold: list -> A"]
        b = ap_.loc[r, "warm: list + A positives -> B"] - ap_.loc[r, "cold: list -> B"]
        print(f"  {r}: window A {a:+.3f}, window B {b:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
