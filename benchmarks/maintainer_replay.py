"""A quarter lived through the command line, as the maintainer lives it (run by hand).

    .venv/bin/python benchmarks/maintainer_replay.py [--window B] [--days N] [--out FILE]
        [--set min_score=0.01 ...] [--readme ../shared/seed/history/09-….md | --big]

`--big` starts from a bigger list in the later list's nested shape: `tests/bigreadme.py`'s
180-entry README without the entries that link a paper of the replayed window on arXiv.

A repository with the seed README.md, the fake arXiv serving window A or B (and the listed
papers' metadata), and for every listing day of the window, in order:
`opdlist daily` (a subprocess, as cron runs it), then a simulated maintainer who edits
review/candidates.yaml by hand: approve each candidate the window's labels call positive,
into the section the later upstream list filed it under where the labels or
`later_sections.jsonl` know it and the README has that section (else the suggested one),
reject the others; then `opdlist merge`. Approved papers enter README.md and train the next
day's model, rejected ones are its negatives. The section the tool suggested (and its
runner-up, when it gave one) is compared with the maintainer's for those papers.

This is `classifier.evaluate.replay` without its shortcuts: the daily job's own background
(the newest cached listing days), its own vectoriser, model reuse, the review file and the
README in between. It prints recall (positives proposed / positives the seed list lacks),
candidates reviewed a day, precision, the busiest day, the misses, and the CPU seconds of
each `daily` (children's rusage: imports included).
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import ARXIV, make_repo  # noqa: E402
from scripts.fake_arxiv import FakeArxiv  # noqa: E402
from store.files import read_papers  # noqa: E402
from store.paper import KnownPapers  # noqa: E402
from store.readme import lint, parse  # noqa: E402
from store.review import read_review  # noqa: E402


def opdlist(repo: Path, env: dict, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    """`opdlist --repo REPO ARGS` in a subprocess; its result and its CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run([sys.executable, "-m", "scripts.cli", "--repo", str(repo), *args],
                       cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
                       capture_output=True, text=True, timeout=600)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"opdlist {' '.join(args)} failed ({r.returncode}): {r.stderr[-2000:]}")
    return r, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def decide(path: Path, positives: set, sections: dict) -> tuple[list, list, list]:
    """The maintainer's hand edit: approve the labelled positives, into `sections[id]` when
    it is known, reject the rest (the undecided candidates only). Returns (approved,
    rejected, [(id, suggested section, runner-up, the maintainer's section)] of the approved
    papers whose section the maintainer knows)."""
    text = path.read_text(encoding="utf-8")
    approved, rejected, filed, out = [], [], [], []
    for block in re.split(r"(?m)^(?=  - id: )", text):
        m = re.match(r'  - id: "([^"]+)"', block)
        if m and 'decision: ""' in block:
            pid = m.group(1)
            ok = pid in positives
            block = block.replace('decision: ""', "decision: approve" if ok else "decision: reject")
            (approved if ok else rejected).append(pid)
            if ok and sections.get(pid):
                said = re.search(r'(?m)^    section: "(.*)"$', block)
                alt = re.search(r'(?m)^    section_alternative: "(.*)"$', block)
                filed.append((pid, said.group(1) if said else "", alt.group(1) if alt else "",
                              sections[pid]))
                if said:
                    block = block.replace(said.group(0), f'    section: "{sections[pid]}"')
        out.append(block)
    path.write_text("".join(out), encoding="utf-8")
    return approved, rejected, filed


def true_sections(readme_text: str, labels: list) -> dict:
    """arXiv id -> the README's name of the section the later upstream list filed the paper
    under (window labels' `section`, else `later_sections.jsonl`), for the sections this
    README has: by full label, else by leaf heading, else by its parent (the seed README's
    "Teacher–Student–Based OPD" before the upstream list split it)."""
    names = set(parse(readme_text).section_names())
    later = {json.loads(x)["id"]: json.loads(x)["section"] for x in
             (ARXIV / "later_sections.jsonl").read_text(encoding="utf-8").splitlines() if x}
    out = {}
    for x in labels:
        sec = x.get("section") or later.get(x["id"])
        if not sec:
            continue
        parts = sec.split(" / ")
        for name in (sec, parts[-1], parts[0]):
            if name in names:
                out[x["id"]] = name
                break
    return out


def serve(window: list, listed: list, first_day: str) -> tuple[FakeArxiv, dict]:
    """A started fake arXiv serving the window's listings and the listed papers' metadata
    (known to id_list only), and the environment that points opdlist at it."""
    keys = {p.key for p in window}
    fake = FakeArxiv(window + [dataclasses.replace(p, date="") for p in listed
                               if p.key not in keys], today=first_day)
    fake.start()
    return fake, {"OPDLIST_ARXIV_RSS_URL": fake.urls["rss_url"],
                  "OPDLIST_ARXIV_API_URL": fake.urls["api_url"],
                  "OPDLIST_ARXIV_OAI_URL": fake.urls["oai_url"], "OPDLIST_MIN_INTERVAL": "0.01"}


def big_readme(window_keys: set, path: Path) -> Path:
    """The nested 180-entry test README without the entries that link a paper of the window
    on arXiv, written to `path`."""
    from bigreadme import build
    doc = parse(build(180).text)
    for section in doc.all_sections():
        section.entries = [e for e in section.entries if e.arxiv_id not in window_keys]
    path.write_text(doc.render(), encoding="utf-8")
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--window", default="B", choices=["A", "B"])
    ap.add_argument("--days", type=int, default=0, help="only the first N listing days")
    ap.add_argument("--out", help="write the per-day rows as JSON lines here")
    ap.add_argument("--readme", help="the list to start from (default: the seed README.md)")
    ap.add_argument("--big", action="store_true",
                    help="start from the nested 180-entry test README without the window's "
                         "papers")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="a setting for every opdlist run (as `opdlist --set`)")
    args = ap.parse_args()

    window = read_papers(ARXIV / f"window{args.window}.jsonl.gz")
    listed = read_papers(ARXIV / "list_papers.jsonl")
    readme = Path(args.readme) if args.readme else None
    if args.big:
        readme = big_readme({p.key for p in window}, Path(tempfile.mkdtemp()) / "README.md")
    repo = make_repo(Path(tempfile.mkdtemp()) / "repo", readme)
    # the configuration as it ships (make_repo gives tests a smaller background)
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    in_list = KnownPapers()    # by arXiv id and by title: an entry may link a PDF elsewhere
    for _, e in parse((repo / "README.md").read_text("utf-8")).entries():
        in_list.add(e.key, e.plain_title)
    labels = [json.loads(x) for x in (ARXIV / f"window{args.window}_labels.jsonl")
              .read_text(encoding="utf-8").splitlines() if x.strip()]
    title = {p.key: p.title for p in window}
    positives = {x["id"] for x in labels if x.get("positive") and x["id"] in title
                 and not in_list.has(x["id"], title[x["id"]])}
    days = sorted({p.date for p in window if p.date})
    if args.days:
        days = days[:args.days]
        positives &= {p.key for p in window if p.date in days}
    by_day: dict[str, list] = {}         # the positives of each listing day
    for p in window:
        if p.key in positives:
            by_day.setdefault(p.date, []).append(p.key)
    fake, env = serve(window, listed, days[0])
    review = repo / "review" / "candidates.yaml"
    sets = [a for kv in args.set for a in ("--set", kv)]
    known_sections = true_sections((repo / "README.md").read_text("utf-8"), labels)
    rows, found, filed = [], set(), []
    t0 = time.monotonic()
    try:
        for n, day in enumerate(days, 1):
            fake.set_today(day)
            _, cpu = opdlist(repo, env, *sets, "daily")
            cands = read_review(review).candidates if review.exists() else []
            new = [c for c in cands if c.decision in ("", None)]
            scores = sorted(((round(c.score, 4), c.paper.id in positives) for c in new),
                            reverse=True)
            approved, rejected, day_filed = decide(review, positives, known_sections) \
                if new else ([], [], [])
            found |= set(approved)
            filed += day_filed
            if new:
                opdlist(repo, env, *sets, "merge")
            day_pos = sorted(by_day.get(day, []))
            rows.append({"day": day, "proposed": len(approved) + len(rejected),
                         "approved": approved, "positives": day_pos, "scores": scores,
                         "daily_cpu": round(cpu, 2)})
            print(f"{n:2d}/{len(days)} {day}: {len(approved) + len(rejected):2d} reviewed, "
                  f"{len(approved)}/{len(day_pos)} of the day's positives approved "
                  f"({len(found)}/{len(positives)} so far), daily {cpu:.1f} s CPU", flush=True)
    finally:
        fake.stop()
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert lint(readme) == [], "the merged README does not lint"
    reviewed = sum(r["proposed"] for r in rows)
    cpus = [r["daily_cpu"] for r in rows]
    missed = sorted(positives - found)
    print(f"\nwindow {args.window} {' '.join(args.set)}, {len(days)} listing days, "
          f"{time.monotonic() - t0:.0f} s wall")
    print(f"found {len(found)}/{len(positives)} (recall {len(found) / max(1, len(positives)):.3f}), "
          f"reviewed {reviewed} ({reviewed / len(days):.2f} a day), "
          f"precision {len(found) / max(1, reviewed):.3f}, busiest day "
          f"{max(r['proposed'] for r in rows)}; days by count reviewed: "
          f"{dict(sorted(Counter(r['proposed'] for r in rows).items()))}")
    print(f"daily CPU incl. imports: median {statistics.median(cpus):.2f} s, "
          f"max {max(cpus):.2f} s")
    if filed:
        first = sum(said == true for _, said, _, true in filed)
        second = sum(said == true or alt == true for _, said, alt, true in filed)
        print(f"section: the maintainer's suggested first for {first}/{len(filed)} approvals "
              f"({first / len(filed):.2f}), first or runner-up {second}/{len(filed)} "
              f"({second / len(filed):.2f})")
        for pid, said, alt, true in filed:
            if said != true:
                print(f"  {pid} {title[pid][:60]!r}: suggested {said!r}"
                      f"{f' (runner-up {alt!r})' if alt else ''}, filed under {true!r}")
    for key in missed:
        print(f"  missed {key} {title[key][:90]}")
    print(f"README.md: {sum(1 for _ in parse(readme).entries())} entries, lints clean")
    if args.out:
        Path(args.out).write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
