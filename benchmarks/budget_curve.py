"""The review budget's trade-off: recall against candidates reviewed a day, from online
replays of windows A and B (`classifier.evaluate.replay`: the daily job day by day, the rule
of `opdlist daily` — every paper with score >= min_score, at most max_per_day — and a simulated
maintainer who approves the labelled positives and rejects the rest, learning from both),
steered by the include / exclude phrases of the project's pyproject.toml as `daily` is.
`benchmarks/maintainer_replay.py` lives the same quarter through the command line instead.

    .venv/bin/python benchmarks/budget_curve.py [--shared ../shared] [--cap 12]
        [--min-score 0.003 0.01 0.02 0.05]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--cap", type=int, default=12, help="max_per_day (the safety cap)")
    ap.add_argument("--min-score", type=float, nargs="+", default=[0.003, 0.01, 0.02, 0.05])
    ap.add_argument("--windows", nargs="+", default=["A", "B"])
    args = ap.parse_args()
    import dataclasses
    from classifier import TrainingSet
    from classifier.evaluate import replay
    from scripts.cmd_score import daily_choice
    from scripts.daily import topic
    from store.config import load_config
    from store.files import read_papers
    cfg = load_config(ROOT)      # the project's steering (include / exclude phrases)
    arxiv = Path(args.shared) / "arxiv"
    lst = read_papers(arxiv / "list_papers.jsonl")
    sections = list(dict.fromkeys(p.section for p in lst))
    keys = {p.key for p in lst}
    print("| window | min_score | found | positives | recall | reviewed | reviewed/day | "
          "max on a day | seconds |")
    print("|---|---|---|---|---|---|---|---|---|")
    for w in args.windows:
        pool = [p for p in read_papers(arxiv / f"window{w}.jsonl.gz") if p.key not in keys]
        labels = [json.loads(x) for x in (arxiv / f"window{w}_labels.jsonl").read_text()
                  .splitlines()]
        pids = {x["id"] for x in labels if x["positive"]}
        n_days = len({p.date for p in pool})
        for ms in args.min_score:
            t = time.perf_counter()
            r = replay(TrainingSet(positives=lst, sections=sections, topic=topic(cfg)), pool, pids,
                       per_day=args.cap, min_score=ms, learn=True,
                       choose=daily_choice(dataclasses.replace(cfg, min_score=ms), args.cap))
            d = r["days"]
            print(f"| {w} | {ms} | {r['found']} | {r['positives']} | {r['recall']:.3f} | "
                  f"{r['reviewed']} | {r['reviewed'] / n_days:.2f} | {d['reviewed'].max()} | "
                  f"{time.perf_counter() - t:.0f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
