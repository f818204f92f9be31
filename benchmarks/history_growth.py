"""What a quarter of the workflows' commits costs the git history (run by hand).

    .venv/bin/python benchmarks/history_growth.py [--window A|B] [--days N] [--merge-every 3]
        [--commit-cache]

A repository with the seed list and the machinery's configuration, as on GitHub, and the fake
arXiv serving window A or B (and the listed papers' metadata). For every listing day of the
window, what the workflows commit:

- daily.yml: the branch opdlist/candidates is continued (main merged into it) while its pull
  request is open, else started afresh from main; `opdlist daily`; `git add --all -- review
  state` and a commit when something changed. The paper cache and the model stay in the
  git-ignored `.opdlist-cache/` from one day to the next, as actions/cache keeps them.
- decide.yml: every MERGE_EVERY listing days the maintainer ticks, in the body `opdlist
  pr-body` writes, approve for the window's labelled positives and reject for the others;
  `opdlist decide --pr-body` and a commit of review/ on the branch.
- the pull request merged (a merge commit), then merge.yml: `opdlist merge`, `opdlist lint`
  and a commit of README.md, review/ and state/ on main.

Each `opdlist` is a subprocess, as in the workflows. At the end `git gc` packs the history and
the figure is the growth of the packed size (`git count-objects -v`, size-pack) from the seed
commit to the quarter's last one, all branches included. `--commit-cache` also commits the
paper cache as `state/papers.jsonl.gz`, as the workflows did before it left git: the figure
to compare with.

Measured (merging every 3 listing days, no failure): window A, 63 listing days, 105 runs, 126
commits: the packed history grew 0.64 MB; window B, 62 days: 0.52 MB. With `--commit-cache`,
the first 21 days of A alone grew it by 37.0 MB (about 110 MB a quarter).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import ARXIV, make_repo  # noqa: E402
from scripts.fake_arxiv import FakeArxiv  # noqa: E402
from store.files import read_papers  # noqa: E402

BRANCH = "opdlist/candidates"
BOT = {"GIT_AUTHOR_NAME": "opdlist bot", "GIT_AUTHOR_EMAIL": "bot@example.org",
       "GIT_COMMITTER_NAME": "opdlist bot", "GIT_COMMITTER_EMAIL": "bot@example.org"}


class Failed(Exception):
    pass


def run(repo: Path, env: dict, *argv: str, ok=(0,)) -> str:
    r = subprocess.run(list(argv), cwd=repo, env=env, capture_output=True, text=True,
                       timeout=900)
    if r.returncode not in ok:
        raise Failed(f"{' '.join(argv[:4])} exited {r.returncode}: {r.stderr[-1500:]}")
    return r.stdout


def packed_kib(repo: Path, env: dict) -> int:
    """The history's size once packed by `git gc` (KiB)."""
    run(repo, env, "git", "gc", "--quiet")
    counts = dict(line.split(": ") for line in
                  run(repo, env, "git", "count-objects", "-v").splitlines())
    return int(counts["size-pack"]) + int(counts["size"])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--window", default="A", choices=["A", "B"])
    ap.add_argument("--days", type=int, default=0, help="only the first N listing days")
    ap.add_argument("--merge-every", type=int, default=3, metavar="N",
                    help="the maintainer decides and merges every N listing days (3)")
    ap.add_argument("--commit-cache", action="store_true",
                    help="commit the paper cache as state/papers.jsonl.gz too (the old way)")
    args = ap.parse_args()

    window = read_papers(ARXIV / f"window{args.window}.jsonl.gz")
    listed = read_papers(ARXIV / "list_papers.jsonl")
    labels = [json.loads(x) for x in (ARXIV / f"window{args.window}_labels.jsonl")
              .read_text(encoding="utf-8").splitlines() if x.strip()]
    positives = {x["id"] for x in labels if x.get("positive")}
    days = sorted({p.date for p in window if p.date})[:args.days or None]
    keys = {p.key for p in window}
    fake = FakeArxiv(window + [dataclasses.replace(p, date="") for p in listed
                               if p.key not in keys], today=days[0])
    fake.start()
    tmp = Path(tempfile.mkdtemp(prefix="history-growth-"))
    repo = make_repo(tmp / "repo")
    shutil.copy(ROOT / ".gitignore", repo / ".gitignore")
    env = {**os.environ, **BOT, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(tmp),
           "PYTHONPATH": str(ROOT), "OPDLIST_ARXIV_RSS_URL": fake.urls["rss_url"],
           "OPDLIST_ARXIV_API_URL": fake.urls["api_url"],
           "OPDLIST_ARXIV_OAI_URL": fake.urls["oai_url"], "OPDLIST_MIN_INTERVAL": "0.01"}
    git = lambda *a, ok=(0,): run(repo, env, "git", *a, ok=ok)  # noqa: E731
    opdlist = lambda *a: run(repo, env, sys.executable, "-m", "scripts.cli", *a)  # noqa: E731

    def commit(paths: list[str], message: str) -> bool:
        if args.commit_cache and (repo / ".opdlist-cache" / "papers.jsonl.gz").exists():
            shutil.copy(repo / ".opdlist-cache" / "papers.jsonl.gz",
                        repo / "state" / "papers.jsonl.gz")
        for folder in ("review", "state"):       # as the workflows' `mkdir -p review state`
            (repo / folder).mkdir(exist_ok=True)
        git("add", "--all", "--", *paths)
        if not git("diff", "--cached", "--name-only").strip():
            return False
        git("commit", "--quiet", "-m", message)
        return True

    git("init", "--quiet", "--initial-branch", "main")
    git("add", "-A")
    git("commit", "--quiet", "-m", "The list and its machinery")
    before = packed_kib(repo, env)
    t0 = time.monotonic()
    runs = commits = approved = rejected = merges = 0
    open_pr = failure = ""
    try:
        for n, day in enumerate(days, 1):
            fake.set_today(day)
            # daily.yml
            if open_pr:
                git("checkout", "--quiet", BRANCH)
                git("merge", "--quiet", "--no-edit", "main")
            else:
                git("checkout", "--quiet", "-B", BRANCH, "main")
            opdlist("daily")
            runs += 1
            commits += commit(["review", "state"], f"Daily candidates {day}")
            open_pr = git("rev-list", f"main..{BRANCH}").strip()
            if not open_pr or (n % args.merge_every and n != len(days)):
                print(f"{n:2d}/{len(days)} {day}: daily", flush=True)
                continue
            # decide.yml: the maintainer's ticks
            body = opdlist("pr-body")
            ticks = re.sub(r"(?m)^(\s*- )\[ \](.*<!-- opdlist (approve|reject) (\S+) -->)",
                           lambda m: m.group(1) + ("[x]" if (m.group(3) == "approve") ==
                                                   (m.group(4) in positives) else "[ ]")
                           + m.group(2), body)
            (tmp / "body.md").write_text(ticks, encoding="utf-8")
            out = opdlist("decide", "--pr-body", str(tmp / "body.md"))
            approved += sum(1 for line in out.splitlines() if line.startswith("approve "))
            rejected += sum(1 for line in out.splitlines() if line.startswith("reject "))
            runs += 1
            commits += commit(["review"], "Decisions ticked in the pull request")
            # the merge button, then merge.yml
            git("checkout", "--quiet", "main")
            git("merge", "--quiet", "--no-ff", "-m", f"Merge pull request #{merges + 1}", BRANCH)
            opdlist("merge")
            opdlist("lint")
            runs += 1
            merges += 1
            commits += 1 + commit(["README.md", "review", "state"],
                                  "Merge reviewed candidates into the list")
            open_pr = ""
            print(f"{n:2d}/{len(days)} {day}: daily, decided and merged "
                  f"({approved} approved, {rejected} rejected so far)", flush=True)
    except Failed as e:
        failure = f"{day}: {e}"
    finally:
        fake.stop()
    after = packed_kib(repo, env)
    tracked = git("ls-files").split()
    cache = sum(f.stat().st_size for f in (repo / ".opdlist-cache").glob("*")) \
        if (repo / ".opdlist-cache").exists() else 0
    print(f"\nwindow {args.window}: {len(days)} listing days, {runs} runs (daily, decide, "
          f"merge), {commits} commits, {merges} merges, {approved} approved, {rejected} "
          f"rejected, {time.monotonic() - t0:.0f} s wall"
          + (" (the paper cache committed too)" if args.commit_cache else ""))
    print(f"failure: {failure or 'none'}")
    print(f"packed history: {before / 1024:.3f} MB -> {after / 1024:.3f} MB: "
          f"grew {(after - before) / 1024:.3f} MB")
    print(f"tracked under state/: {sorted(p for p in tracked if p.startswith('state/'))}; "
          f".opdlist-cache/ (outside git): {cache / 2 ** 20:.1f} MB")
    shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failure else 0


if __name__ == "__main__":
    sys.exit(main())
