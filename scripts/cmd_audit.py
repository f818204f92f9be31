"""`opdlist audit`: what the tool would have missed, and what the list may have missed.

For the listing days of a range, the model is fitted as it would have stood before the
range (the list's papers outside the range, the rejected papers as negatives, the range's
listings as background: a listed paper of the range is held out, never its own training
example) and every paper of the range is scored. Then, day by day, the daily rule
(`classifier.budget.pick`, the same function `daily` calls) says what would have been proposed:

- listed papers of the range the model would NOT have proposed: day, score, rank in their day;
- unlisted papers (not listed, not decided): the best-scoring of each week, the ones the list
  may have missed (those already in the review file are marked).

Where the papers of the range come from: a crawl of the range (export API for a few weeks,
OAI-PMH for longer, as `crawl` decides; nothing is cached), or `--input FILE` (Paper JSONL,
e.g. written by `opdlist crawl --from .. --to .. --output FILE`), which needs no network.
Read-only: no file is written and no lock taken (state files are replaced atomically, so
each is read whole).
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from dataclasses import dataclass, field

from scripts.cli import iso_date, subcommand
from store.errors import BadInput

log = logging.getLogger("opdlist")

EXAMPLE = """opdlist audit --from 2025-10-01 --to 2025-12-31
  opdlist audit --from 2026-01-05 --json > audit.json
  opdlist crawl --from 2025-10-01 --to 2025-12-31 --output q4.jsonl.gz   # once, then offline:
  opdlist audit --from 2025-10-01 --to 2025-12-31 --input q4.jsonl.gz --top 3"""



def register(sub) -> None:
    p = subcommand(
        sub, "audit",
        "Audit a range of listing days (read-only): the listed papers the model would not "
        "have proposed (score, rank in their day), and the best-scoring unlisted papers of "
        "each week. The range's papers come from a crawl of it (export API, or OAI-PMH for "
        "more than a few weeks; nothing is cached), or from --input",
        EXAMPLE)
    p.add_argument("--from", dest="start", type=iso_date, required=True, metavar="DATE",
                   help="first listing day (YYYY-MM-DD)")
    p.add_argument("--to", dest="end", type=iso_date, metavar="DATE",
                   help="last listing day (default: today's feed)")
    p.add_argument("--input", metavar="FILE",
                   help="the range's papers as Paper JSONL (gz or plain, each with its "
                        "listing 'date') instead of crawling arXiv")
    p.add_argument("--top", type=int, default=5, metavar="N",
                   help="unlisted papers shown per week (default 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object for scripts")
    p.set_defaults(func=cmd_audit)


@dataclass
class Audit:
    start: str
    end: str
    papers: int = 0
    days: int = 0
    listed_in_range: int = 0
    missed: list[dict] = field(default_factory=list)       # listed, not proposed
    proposed_listed: list[str] = field(default_factory=list)
    unlisted: list[dict] = field(default_factory=list)     # best of each week
    training: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: dict) -> "Audit":
        return cls(start=d["from"], end=d["to"], papers=d["papers"], days=d["days"],
                   training=d["training"], listed_in_range=d["listed"]["in_range"],
                   proposed_listed=d["listed"]["proposed"], missed=d["listed"]["not_proposed"],
                   unlisted=d["unlisted_best_per_week"])

    def to_dict(self) -> dict:
        return {"from": self.start, "to": self.end, "papers": self.papers, "days": self.days,
                "training": self.training,
                "listed": {"in_range": self.listed_in_range,
                           "proposed": self.proposed_listed, "not_proposed": self.missed},
                "unlisted_best_per_week": self.unlisted}


def range_papers(args, cfg):
    """The papers of the range, by listing day."""
    from store.files import read_papers
    if args.input:
        papers = read_papers(args.input, unique=True)
        undated = sum(1 for p in papers if not p.date)
        if undated:
            raise BadInput(f"{undated} record(s) without a listing 'date'", file=args.input,
                           field="date")
        lo, hi = args.start.isoformat(), (args.end or dt.date.max).isoformat()
        return [p for p in papers if lo <= p.date <= hi]
    from crawler import crawl
    progress = sys.stderr.isatty()
    result = crawl(cfg, seen=(), start=args.start, end=args.end, progress=progress)
    log.info("audit: %d paper(s) of %d listing day(s) from arXiv in %d request(s)",
             len(result.papers), len(result.days), result.requests)
    return result.papers


def audit(cfg, papers, start: dt.date, end: dt.date | None, top: int) -> Audit:
    """The audit of `papers` (the range's listings) against the repository's list."""
    from classifier import TrainingError, TrainingSet, fit
    from classifier.budget import phrases_in, pick
    from scripts.daily import topic
    from store import listfile
    from store.decisions import read_decisions
    from store.paper import KnownPapers, arxiv_id
    from store.review import read_review
    from store.state import paper_cache, read_not_on_arxiv
    from store.training import repo_training

    doc = listfile.load(cfg.readme_path, strict=False)
    cache = paper_cache(cfg)
    positives, negatives, sections = repo_training(cfg, doc=doc, cache=cache)
    in_range = {p.key for p in papers}
    listed = KnownPapers()
    listed_section = {}
    for section, e in doc.entries():
        listed.add(e.key, e.plain_title)
        listed_section[e.key] = section.label
    rejected = KnownPapers()      # approved papers are listed, and audited as listed
    for d in read_decisions(cfg.decisions_path):
        if d.decision == "reject" and not d.update:
            rejected.add(d.paper.key, d.paper.title)
    in_review = set()
    if cfg.review_path.exists():
        in_review = {c.paper.key for c in read_review(cfg.review_path).candidates}

    # listed papers of the range are held out: the model as it stood before the range
    held = [p for p in positives if p.key in in_range]
    train = [p for p in positives if p.key not in in_range]
    gaps = read_not_on_arxiv(cfg.state_path / "not_on_arxiv.json")
    bare = sum(1 for p in train if not p.abstract and arxiv_id(p.id) and p.key not in gaps)
    if bare:
        log.info("audit: %d listed paper(s) have no abstract in the paper cache and train on "
                 "their titles (a first 'opdlist daily' fetches them)", bare)
    background = [p for p in papers if not listed.has(p.key, p.title)]
    log.info("audit: fitting the model on %d listed paper(s) outside the range, %d rejected "
             "and %d background (a quarter takes about a minute) ...", len(train),
             len(negatives), len(background))
    try:
        model = fit(TrainingSet(positives=train, negatives=negatives, background=background,
                                sections=sections, topic=topic(cfg)))
    except TrainingError as e:
        raise BadInput(f"cannot fit a model without the range's own papers: {e}",
                       file=str(cfg.readme_path)) from None
    scored = dict(zip((p.key for p in papers), model.score(papers)))

    last = end.isoformat() if end else max((p.date for p in papers), default=start.isoformat())
    out = Audit(start=start.isoformat(), end=last,
                papers=len(papers), listed_in_range=len(held),
                training={"listed": len(train), "held_out": len(held),
                          "rejected": len(negatives), "background": len(background)})
    days: dict[str, list] = {}
    for p in papers:
        days.setdefault(p.date, []).append(p)
    out.days = len(days)
    candidates = []
    for day in sorted(days):
        pool = [p for p in days[day] if not rejected.has(p.key, p.title)]
        ranked = sorted(pool, key=lambda p: (-scored[p.key].score, p.key))
        rank = {p.key: i for i, p in enumerate(ranked, 1)}
        chosen = {pk.paper.key for pk in pick(pool, [scored[p.key] for p in pool], cfg)}
        for p in pool:
            s = scored[p.key]
            row = {"day": day, "id": p.key, "score": round(s.score, 4), "rank": rank[p.key],
                   "of": len(pool), "section": s.section, "title": p.title}
            if listed.has(p.key, p.title):
                if p.key in chosen:
                    out.proposed_listed.append(p.key)
                else:
                    row["listed_in"] = listed_section.get(p.key, "")
                    row["why_not"] = (
                        "exclude phrase" if phrases_in(p, cfg.exclude_phrases)
                        else f"score < min_score {cfg.min_score:g}" if s.score < cfg.min_score
                        else f"beyond the cap of {cfg.max_per_day} a day")
                    out.missed.append(row)
            else:
                row["proposed"] = p.key in chosen
                row["in_review"] = p.key in in_review
                candidates.append(row)
    weeks: dict[str, list] = {}
    for row in candidates:
        d = dt.date.fromisoformat(row["day"])
        week = (d - dt.timedelta(days=d.weekday())).isoformat()
        weeks.setdefault(week, []).append({"week": week, **row})
    for week in sorted(weeks):
        out.unlisted += sorted(weeks[week], key=lambda r: (-r["score"], r["id"]))[:top]
    return out


def render(a: Audit) -> str:
    """The audit as readable tables (pandas)."""
    import textwrap

    from scripts.tables import WIDTH, table as text_table

    def table(rows, columns):
        # for 100 columns: one status column, a short reason, a section by its leaf heading
        rows = [{**r, "rank": f"{r['rank']} of {r['of']}",
                 "why_not": r.get("why_not", "").replace("min_score ", ""),
                 "status": "proposed" if r.get("proposed") else
                           "in review" if r.get("in_review") else "",
                 "section": (r.get("section") or "").split(" / ")[-1],
                 "listed_in": (r.get("listed_in") or "").split(" / ")[-1]} for r in rows]
        return text_table(rows, columns, shrink=("title", "section", "listed_in"),
                          headers={"rank": "rank in day", "why_not": "why not",
                                   "listed_in": "listed in"})

    def say(text: str) -> str:
        return textwrap.fill(text, WIDTH)

    t = a.training
    lines = [say(f"audit of {a.start} .. {a.end}: {a.papers} paper(s) on {a.days} listing "
                 f"day(s); model fitted on {t['listed']} listed paper(s) outside the range, "
                 f"{t['rejected']} rejected, {t['background']} background"),
             "",
             say(f"Listed papers of the range: {a.listed_in_range}; the model would have "
                 f"proposed {len(a.proposed_listed)}, not these {len(a.missed)}:")]
    if a.missed:
        lines.append(table(a.missed, ["day", "id", "score", "rank", "why_not", "listed_in",
                                      "title"]))
    else:
        lines.append("  (none: every listed paper of the range would have been proposed)")
    lines += ["", say("Best unlisted papers of each week (status proposed: the daily rule "
                      "would have proposed it; in review: in the review file already):")]
    if a.unlisted:
        lines.append(table(a.unlisted, ["day", "id", "score", "rank", "status", "section",
                                        "title"]))
    else:
        lines.append("  (none)")
    return "\n".join(lines)


def cmd_audit(args, cfg) -> int:
    if args.end is not None and args.end < args.start:
        raise BadInput(f"--to {args.end} is before --from {args.start}", field="--to")
    if args.top < 1:
        raise BadInput("--top must be at least 1", field="--top")
    papers = range_papers(args, cfg)
    if not papers:
        raise BadInput(f"no papers listed between {args.start} and {args.end or 'today'}",
                       field="--from")
    a = audit(cfg, papers, args.start, args.end, args.top)
    print(json.dumps(a.to_dict(), ensure_ascii=False, indent=1) if args.json else render(a))
    return 0
