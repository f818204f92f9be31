"""`opdlist refresh`: listed entries that stay true. Asks arXiv for the listed papers' current
metadata (one id_list request per 100 ids, nothing else) and proposes, in the review file, the
updates it calls for: a venue the comment or journal reference now states, a title changed in
a newer version, a withdrawal (`scripts.arxiv_words.updates`). The maintainer decides them
like candidates; `merge` applies an approved one in place. `daily` runs this every
`refresh_days` (7) days."""
from __future__ import annotations

import datetime as dt
import sys

from scripts import arxiv_words
from scripts.cli import subcommand
from store import listfile
from store.decisions import read_decisions
from store.files import write_together
from store.lock import RepoLock
from store.review import read_review
from store.state import Cursor


def cmd_refresh(args, cfg) -> int:
    from crawler.http import Client
    from scripts.daily import journal_path, repair

    with RepoLock(cfg.lock_path, cfg.run_budget):
        repair(cfg)
        review = read_review(cfg.review_path)
        doc = listfile.load(cfg.readme_path, strict=False)
        decisions = read_decisions(cfg.decisions_path)
        ids = [e.arxiv_id for _, e in doc.entries() if e.arxiv_id]
        with Client(cfg) as client:
            now = arxiv_words.current(cfg, ids, client=client, progress=sys.stderr.isatty())
        today = dt.datetime.now(dt.timezone.utc).date()
        new = arxiv_words.updates(doc, now, decisions, review.candidates, today.isoformat())
        for c in new:
            print(f"~ {c.id}  {c.change()}  ({c.source})")
        print(f"refresh: {len(now)} of {len(ids)} listed arXiv paper(s) asked, {len(new)} "
              f"update(s) proposed" + ("" if args.dry_run or not new else
                                       f" in {cfg.review_file}"))
        if args.dry_run:
            return 0
        cursor = Cursor.read(cfg.cursor_path)
        cursor.refreshed = today
        review.append(new)
        write_together({cfg.review_path: review.dump(), cfg.cursor_path: cursor.text()},
                       journal_path(cfg))
    return 0


def register(sub) -> None:
    p = subcommand(sub, "refresh", "Ask arXiv for the listed papers' current metadata (an "
                   "id_list request per 100 ids) and propose, in the review file, the updates "
                   "it calls for: a venue its comment or journal reference now states, a title "
                   "changed in a newer version, a withdrawal; decide them like candidates, "
                   "merge applies the approved ones in place (daily does this every "
                   "refresh_days)", "opdlist refresh --dry-run")
    p.add_argument("--dry-run", action="store_true",
                   help="print the updates arXiv calls for; write nothing")
    p.set_defaults(func=cmd_refresh)
