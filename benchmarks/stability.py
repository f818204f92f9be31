"""Does a paper's score depend on how many days of background the repository has?

The list's 17 papers (`list_papers.jsonl`), and a listing day D scored as the daily job
scores it: fitted with D's listings and the k listing days before it as background (the
daily job's background: the paper cache's newest days, D included). For 8 days of each
window (evenly spread from its 21st day on), k = 1 against k = 10 (the issue's comparison:
a first run with one day of background against a repository with ten), and, for scale, 5
against 10 and 10 against 20. A *candidate* is a paper with score >= `min_score` with
either background. Reported per comparison: candidates, the largest and the median change
of a candidate's score, how many moved by more than 0.05, and the papers `min_score`
selects with one background and not the other ("flips"); then the two papers of issue 22
(Relaxed On-Policy Distillation, PACED) on their days.

    .venv/bin/python benchmarks/stability.py [--shared ../shared] [--days 8]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAIRS = ((1, 10), (5, 10), (10, 20))
EXAMPLES = ("2603.11137", "2603.11178")   # Relaxed On-Policy Distillation; PACED


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--days", type=int, default=8, help="scored days per window")
    args = ap.parse_args()
    from classifier import TrainingSet, fit
    from classifier.features import count_papers
    from scripts.daily import topic
    from store.config import load_config
    from store.files import read_papers
    cfg = load_config(ROOT)
    tp = topic(cfg)
    arxiv = Path(args.shared) / "arxiv"
    lst = read_papers(arxiv / "list_papers.jsonl")
    sections = list(dict.fromkeys(p.section for p in lst))
    listed = {p.key for p in lst}
    win = {w: [p for p in read_papers(arxiv / f"window{w}.jsonl.gz", unique=True)
               if p.key not in listed] for w in "AB"}
    counts = count_papers(lst + win["A"] + win["B"], tp.joins)   # hashing once, same models

    def scores(background, papers):
        m = fit(TrainingSet(positives=lst, background=background, sections=sections, topic=tp),
                counts=counts)
        return np.array([s.score for s in m.score(papers)])

    results = {pair: [] for pair in PAIRS}
    examples = []
    for w, papers in win.items():
        by_day: dict[str, list] = {}
        for p in papers:
            by_day.setdefault(p.date, []).append(p)
        days = sorted(by_day)
        chosen = [days[i] for i in np.linspace(20, len(days) - 1, args.days).astype(int)]
        chosen += [p.date for p in papers if p.key in EXAMPLES and p.date not in chosen]
        for day in chosen:
            i = days.index(day)
            today = by_day[day]
            got = {k: scores([p for d in days[max(0, i - k + 1):i + 1] for p in by_day[d]],
                             today) for k in sorted({k for pair in PAIRS for k in pair})}
            for small, big in PAIRS:
                a, b = got[small], got[big]
                cand = (a >= cfg.min_score) | (b >= cfg.min_score)
                results[(small, big)].append((day, cand.sum(), np.abs(a - b)[cand],
                                              int(((a >= cfg.min_score) !=
                                                   (b >= cfg.min_score)).sum())))
            for j, p in enumerate(today):
                if p.key in EXAMPLES:
                    examples.append((p, {k: got[k][j] for k in got}))
            print(f"  {day}: {len(today)} papers scored", file=sys.stderr, flush=True)
    print(f"min_score {cfg.min_score}; {2 * args.days} scored days (+ the examples' days)")
    print("| background | candidates | largest change | median change | moved > 0.05 | "
          "flips at min_score |")
    print("|---|---|---|---|---|---|")
    for (small, big), rows in results.items():
        diffs = np.concatenate([r[2] for r in rows]) if rows else np.zeros(0)
        print(f"| {small} -> {big} days | {sum(r[1] for r in rows)} | {diffs.max():.3f} | "
              f"{np.median(diffs):.3f} | {int((diffs > 0.05).sum())} | "
              f"{sum(r[3] for r in rows)} |")
    for p, got in examples:
        print(f"  {p.key} {p.title[:60]!r} ({p.date}): " +
              ", ".join(f"{k} day(s) {v:.3f}" for k, v in got.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
