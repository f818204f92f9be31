"""Does a repository without its paper cache score a day as the one with it? (run by hand)

    .venv/bin/python benchmarks/fresh_runner.py [--window B] [--every 5] [--days N]

Issue 22: the same paper scored 0.949 in one repository and 0.171 in another on its first run
(one day of background against several). A first run, a new clone, or a GitHub Actions
runner whose cache missed has no `.opdlist-cache/`. It must fetch what the model fits on
and propose what a repository that has run all along proposes.

The window is lived as `maintainer_replay.py` lives it, with the shipped configuration:
`opdlist daily` each listing day, the simulated maintainer approving the labelled positives
and rejecting the rest, then `opdlist merge`. On every `--every`-th listing day, before that
day's run, the repository is copied without `.opdlist-cache/` (same README, review file and
state). Both copies run `opdlist daily` for the day, and their candidates are compared:
- papers only one of them proposes ("flips");
- the largest and the median change of a score proposed by both;
- how many moved by more than 0.05.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")]

from conftest import ARXIV, make_repo  # noqa: E402
from maintainer_replay import decide, opdlist, serve, true_sections  # noqa: E402
from store.files import read_papers  # noqa: E402
from store.review import read_review  # noqa: E402


def day_scores(repo: Path, day: str) -> dict[str, float]:
    review = repo / "review" / "candidates.yaml"
    if not review.exists():
        return {}
    return {c.paper.id: c.score for c in read_review(review).candidates
            if c.announced == day and not c.update}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--window", default="B", choices=["A", "B"])
    ap.add_argument("--every", type=int, default=5, help="compare on every N-th listing day")
    ap.add_argument("--days", type=int, default=0, help="only the first N listing days")
    args = ap.parse_args()

    window = read_papers(ARXIV / f"window{args.window}.jsonl.gz")
    listed = read_papers(ARXIV / "list_papers.jsonl")
    tmp = Path(tempfile.mkdtemp())
    repo = make_repo(tmp / "repo")
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")   # as it ships
    labels = [json.loads(x) for x in (ARXIV / f"window{args.window}_labels.jsonl")
              .read_text(encoding="utf-8").splitlines() if x.strip()]
    positives = {x["id"] for x in labels if x.get("positive")}
    sections = true_sections((repo / "README.md").read_text("utf-8"), labels)
    days = sorted({p.date for p in window if p.date})[:args.days or None]
    fake, env = serve(window, listed, days[0])
    rows = []
    try:
        for n, day in enumerate(days):
            fake.set_today(day)
            fresh = None
            if n and n % args.every == 0:
                fresh = tmp / f"fresh-{day}"
                shutil.copytree(repo, fresh, ignore=shutil.ignore_patterns(".opdlist-cache"))
                opdlist(fresh, env, "daily")
            opdlist(repo, env, "daily")
            if fresh is not None:
                a, b = day_scores(repo, day), day_scores(fresh, day)
                both = sorted(set(a) & set(b))
                change = [abs(a[k] - b[k]) for k in both]
                rows.append({"day": day, "cached": len(a), "fresh": len(b),
                             "flips": sorted(set(a) ^ set(b)), "changes": change})
                print(f"{day}: cached {len(a)}, fresh {len(b)} candidate(s), "
                      f"{len(set(a) ^ set(b))} flip(s), largest change "
                      f"{max(change, default=0):.3f}", flush=True)
                shutil.rmtree(fresh)
            review = repo / "review" / "candidates.yaml"
            if review.exists() and any(c.decision in ("", None)
                                       for c in read_review(review).candidates):
                decide(review, positives, sections)
                opdlist(repo, env, "merge")
    finally:
        fake.stop()
    changes = [c for r in rows for c in r["changes"]]
    print(f"\nwindow {args.window}, {len(rows)} days compared (every {args.every}th of "
          f"{len(days)}): {sum(r['cached'] for r in rows)} candidates with the cache, "
          f"{sum(r['fresh'] for r in rows)} without; flips {sum(len(r['flips']) for r in rows)}; "
          f"score change largest {max(changes, default=0):.3f}, median "
          f"{statistics.median(changes) if changes else 0:.3f}, "
          f"> 0.05: {sum(c > 0.05 for c in changes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
