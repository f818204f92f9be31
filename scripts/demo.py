"""`make demo`: the daily loop offline, on real listings, in a throw-away copy of the list.

    python -m scripts.demo [--data DIR] [--days 2026-03-02,2026-03-03,2026-03-05]

Starts `opdlist fake-arxiv` on the captured arXiv data (``../shared/arxiv/``), waits for its
one ready line, copies the list into ``demo/`` (the published seed list,
``../shared/seed/README.md``, when it is there, else README.md: a list that already holds
papers newer than the demo's days would only show that the fake arXiv does not know them yet),
and pyproject.toml (the live list, its review file and its state are never touched), then for each day sets the fake arXiv's "today" and
runs `opdlist --repo demo daily`. The default days skip 2026-03-04, so the last run catches up
two listing days. At the end it says where the review file is, and stops the server.

Run again, it keeps what an earlier demo left in ``demo/`` (the maintainer's decisions and
merges) and says how to start over: ``make demo FRESH=1`` (``--fresh``).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DAYS = "2026-03-02,2026-03-03,2026-03-05"     # a Monday, a Tuesday, then Thursday: 03-04 missed


def start_fake(data: Path, today: str, timeout: float = 120.0):
    """`opdlist fake-arxiv` on 127.0.0.1 (a free port); returns (process, ready line) once it
    answers."""
    for name in ("windowB.jsonl.gz", "list_papers.jsonl"):
        if not (data / name).exists():
            sys.exit(f"demo: no {data / name}; give the folder of the shared arXiv data with "
                     "ARXIV_DATA=DIR (make) or --data DIR")
    proc = subprocess.Popen(
        [sys.executable, "-m", "scripts.cli", "fake-arxiv", "--data",
         str(data / "windowB.jsonl.gz"), "--data", str(data / "list_papers.jsonl"),
         "--port", "0", "--today", today], cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    started = time.monotonic()
    line = proc.stdout.readline()          # the one ready line (after loading the data)
    if "fake arXiv ready" not in line:
        proc.kill()
        sys.exit(f"demo: the fake arXiv did not start (exit {proc.wait()})")
    print(f"demo: the fake arXiv answers ({time.monotonic() - started:.0f} s to start):\n"
          f"{line.strip()}", flush=True)
    return proc, line


def set_today(control: str, day: str) -> None:
    req = urllib.request.Request(control, data=json.dumps({"today": day}).encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        r.read()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="make demo", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "arxiv"),
                    help="folder of the captured arXiv data (default ../shared/arxiv)")
    ap.add_argument("--days", default=DAYS, help=f"listing days to run, in order ({DAYS})")
    ap.add_argument("--readme", default=None,
                    help="the list to start from (default ../shared/seed/README.md if there, "
                         "else README.md)")
    ap.add_argument("--repo", default=str(ROOT / "demo"),
                    help="the throw-away copy of the list (default demo/)")
    ap.add_argument("--fresh", action="store_true",
                    help="start over: delete what an earlier demo left in the folder")
    args = ap.parse_args(argv)
    days = [d.strip() for d in args.days.split(",") if d.strip()]
    repo = Path(args.repo)
    shown = os.path.relpath(repo)
    if repo.exists() and any(repo.iterdir()) and not args.fresh:
        review = repo / "review" / "candidates.yaml"
        n = review.read_text(encoding="utf-8").count("\n  - id: ") if review.exists() else 0
        print(f"demo: {shown}/ holds an earlier demo ({n} candidate(s) in its review file, and "
              "your decisions and merges, if any): kept as it is. Go on with "
              f".venv/bin/opdlist --repo {shown} review, or start over with: make demo FRESH=1")
        return 0
    shutil.rmtree(repo, ignore_errors=True)
    repo.mkdir(parents=True)
    seed = ROOT.parent / "shared" / "seed" / "README.md"
    readme = Path(args.readme) if args.readme else seed if seed.exists() else ROOT / "README.md"
    shutil.copy(readme, repo / "README.md")
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    print(f"demo: {shown}/ holds a copy of {os.path.relpath(readme)} and pyproject.toml (the "
          "list itself is not touched)", flush=True)

    proc, ready = start_fake(Path(args.data), days[0])
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OPDLIST_MIN_INTERVAL": "0.1",
           **dict(re.findall(r"(OPDLIST_\w+)=(\S+)", ready))}
    control = ready.rsplit("control: ", 1)[1].strip()
    try:
        for day in days:
            set_today(control, day)
            print(f"\n$ opdlist --repo {shown} daily        # the fake arXiv's today: {day}",
                  flush=True)
            r = subprocess.run([sys.executable, "-m", "scripts.cli", "--repo", str(repo),
                                "daily"], cwd=ROOT, env=env)
            if r.returncode != 0:
                print(f"demo: daily failed (exit {r.returncode})")
                return r.returncode
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        print("\ndemo: fake arXiv stopped", flush=True)
    review = repo / "review" / "candidates.yaml"
    n = review.read_text(encoding="utf-8").count("\n  - id: ") if review.exists() else 0
    print(f"demo: {n} candidate(s) in the review file {shown}/review/candidates.yaml\n"
          f"      look at it, or: .venv/bin/opdlist --repo {shown} review   "
          f"then .venv/bin/opdlist --repo {shown} merge --dry-run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
