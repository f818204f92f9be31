"""The daily job: crawl what is new -> score -> append the best candidates to the review file.

`run_daily` wires crawler/, classifier/ and store/ together under the repository lock; the
choice of candidates (`classifier.budget.pick`, shared with `evaluate --online` and `audit`)
is a pure function of the scored papers and the maintainer's steering (include / exclude
phrases, followed authors). The cursor is advanced last, so a run
killed at any point is redone by the next one without losing or doubling a candidate.
The whole run has one deadline (`run_budget`), shared by the crawl and the metadata look-ups;
the crawl comes first, so a run that cannot reach arXiv fails with one line, and nothing is
written until everything is fetched: a failed run (exit 1) leaves every state file as it was.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sys

from classifier.budget import Pick, phrases_in, pick  # noqa: F401  (the daily rule)
from store import listfile
from store.config import Config
from store.decisions import read_decisions
from store.entry_text import plain_title, short_authors
from store.errors import BadInput
from store.files import atomic_write, crash_point, recover, write_together
from store.lock import RepoLock
from store.paper import KnownPapers
from store.review import MAX_BYTES, Candidate, default_venue, read_review
from scripts.metadata import fill_list_metadata
from store.state import PaperCache, read_span, write_cursor
from store.training import repo_training

log = logging.getLogger("opdlist")


def journal_path(cfg: Config):
    return cfg.state_path / ".journal"


def repair(cfg: Config) -> None:
    """Finish (or sweep) the file updates of a run that was killed; call under the lock."""
    folders = {cfg.repo, cfg.state_path, cfg.review_path.parent, cfg.readme_path.parent}
    if recover(journal_path(cfg), folders):
        log.info("finished the file updates of an interrupted run")


def like_text(like) -> str:
    """The closest listed paper as the review file shows it: "Title (id)"."""
    if not like:
        return ""
    pid, title = like
    return f"{' '.join(title.split())} ({pid})"


# ---- a candidate as the maintainer would enter it (its text: store/entry_text.py) --------------

def candidate(pk: Pick, day: str, cfg: Config) -> Candidate:
    """A review-file candidate as the maintainer would enter it: plain-text title, a short
    author line for a long author list; both editable in the review file."""
    paper = dataclasses.replace(pk.paper, title=plain_title(pk.paper.title))
    short = short_authors(paper.authors, cfg.max_authors, cfg.first_authors)
    if short:
        paper.authors = [short]
    return Candidate(paper=paper, score=pk.score, section=pk.section,
                     venue=default_venue(paper.id), why=pk.terms, announced=day,
                     authors_text=short, section_alternative=pk.section_alternative or "",
                     like=like_text(pk.like))


def _prune(cache: PaperCache, keep: set[str], newest: str, days: int) -> None:
    """Keep listed, reviewed and decided papers, and the listings of the last `days` days."""
    if not newest:
        return
    cutoff = (dt.date.fromisoformat(newest) - dt.timedelta(days=days)).isoformat()
    for key in [k for k, p in cache.papers.items()
                if k not in keep and p.date and p.date < cutoff]:
        del cache.papers[key]
        cache.dirty = True


def recent(papers):
    from classifier.budget import recent as newest_days
    return newest_days(papers)


def topic(cfg: Config):
    """The part of the configuration the model reads (`classifier.Topic`)."""
    from classifier import Topic
    return Topic(joins=tuple(cfg.phrase_joins), prior=cfg.prior)


def _fit(ts, path):
    """The ranking model for `ts`: the saved one while the labelled data are unchanged and
    the background mostly the same (classifier.persist.reusable), else a new fit (about a
    second: it reuses the saved model's n-gram counts of the papers it still trains on),
    said beforehand so the run is not silent meanwhile."""
    from classifier import fit
    from classifier.persist import load, reusable, save

    saved = load(path)
    if reusable(saved, ts, reuse_background=True):
        return saved
    log.info("fitting the ranking model on %d listed, %d rejected and %d recent paper(s) ...",
             len(ts.positives), len(ts.negatives), len(ts.background))
    model = fit(ts, previous=saved, keep_counts=True)   # counts only the new days' papers
    save(model, path)
    return model


def run_daily(cfg: Config, *, progress: bool | None = None, out=print,
              start: dt.date | None = None) -> int:
    """One daily run; with `start`, a backfill: every listing day from `start` up to today
    that no run has proposed candidates for yet gets them too (see `_crawl_days`)."""
    from classifier import TrainingSet   # heavy: scikit-learn
    from crawler.http import Client, run_deadline

    progress = sys.stderr.isatty() if progress is None else progress
    with RepoLock(cfg.lock_path, cfg.run_budget), run_deadline(cfg.run_budget):
        repair(cfg)
        review = read_review(cfg.review_path)          # a broken review file: exit 2, no crawl
        decisions = read_decisions(cfg.decisions_path)
        span = read_span(cfg.cursor_path)
        cursor = span[1] if span else None
        try:
            doc = listfile.load(cfg.readme_path, strict=False)
            problems = listfile.findings(cfg.readme_path)
            if problems:
                log.warning("%s does not lint (%d problem(s), first on line %d: %s); candidates "
                            "are still written, merge refuses until it is fixed", cfg.readme,
                            len(problems), problems[0].line, problems[0].message)
        except BadInput as e:
            raise BadInput(f"cannot read the list: {e.message}", file=str(cfg.readme_path),
                           line=e.line) from None
        cache = PaperCache(cfg.cache_path)
        with Client(cfg) as client:
            # the crawl first: a run that cannot reach arXiv fails at once, with one line
            days, today, new_cursor, first_day = _crawl_days(cfg, span, start, cache, progress,
                                                             client)
            memo = fill_list_metadata(cfg, doc, cache, progress=progress, client=client)
        positives, negatives, sections = repo_training(cfg, doc=doc, cache=cache)
        if not days:
            cache.save()
            for path, text in memo.items():
                atomic_write(path, text)
            out(f"no new announcement (cursor {cursor or 'unset'}; feed day "
                f"{today or 'empty'})")
            return 0

        known = KnownPapers()     # listed, already in the review file, or decided
        for _, e in doc.entries():
            known.add(e.key, e.plain_title)
        for p in [c.paper for c in review.candidates] + [d.paper for d in decisions]:
            known.add(p.key, p.title)

        new_papers = [p for batch in days for p in batch.papers]
        newest = max(batch.day for batch in days).isoformat()
        cache.add(new_papers)
        _prune(cache, known.keys, newest, cfg.cache_days)
        background = [p for p in cache.papers.values() if p.date and p.key not in known.keys]
        background = recent(background)                # newest days, ~3,000 papers
        unseen = any(not known.has(p.key, p.title) for p in new_papers)
        model = _fit(TrainingSet(positives=positives, negatives=negatives,
                                 background=background, sections=sections, topic=topic(cfg)),
                     cfg.model_path) if unseen else None     # nothing to score: no fit

        added: list[Candidate] = []
        lines = []
        batches = days
        if progress and len(days) > 1:
            from tqdm import tqdm
            batches = tqdm(days, desc="scoring", unit="day", leave=False)
        for batch in batches:
            pool = [p for p in batch.papers if not known.has(p.key, p.title)]
            picks = pick(pool, model.score(pool), cfg) if pool else []
            for pk in picks:
                added.append(candidate(pk, batch.day.isoformat(), cfg))
                known.add(pk.paper.key, pk.paper.title)
            lines.append(f"{batch.day}: {len(batch.papers)} new paper(s), {len(pool)} unseen, "
                         f"{len(picks)} candidate(s)")
        review.append(added)
        text = review.dump()
        if len(text.encode("utf-8")) > MAX_BYTES:    # the next run could not read it back
            raise BadInput(f"{len(added)} new candidate(s) would grow the review file to "
                           f"{len(text.encode('utf-8')) / 2 ** 20:.1f} MB, over the "
                           f"{MAX_BYTES // 2 ** 20} MB it may hold; decide and merge the "
                           "candidates there first" + (", or backfill from a later day"
                                                        if start else ""),
                           file=str(cfg.review_path))
        write_together({cfg.review_path: text, cfg.cache_path: cache.dumps(), **memo},
                       journal_path(cfg))
        cache.dirty = False
        for line in lines:
            out(line)
        crash_point("before-cursor")
        last = new_cursor or cursor
        if last is not None and (last != cursor or (span and first_day != span[0])):
            # last: a crash before redoes the day
            write_cursor(cfg.cursor_path, last, first_day)
        top = max(added, key=lambda c: c.score or 0.0, default=None)
        out(f"daily: {len(days)} day(s) handled ({days[0].day}"
            f"{'' if len(days) == 1 else ' .. ' + str(days[-1].day)}), "
            f"{len(new_papers)} paper(s) seen, {len(added)} candidate(s) added to "
            f"{cfg.review_file}" + (f"; top: {top.paper.id} {top.paper.title!r} "
                                    f"({top.score:.2f}, {top.section})" if top else ""))
        return 0


def _crawl_days(cfg: Config, span, start, cache: PaperCache, progress: bool, client):
    """(day batches oldest first, the feed's day, the new cursor, the first day proposed).

    A plain run handles what is new since the cursor (`crawler.crawl`). A backfill from
    `start` also handles the listing days from `start` up to the day before the first day
    any run proposed candidates for (the cursor file's ``first_day``): API queries for a
    short range, OAI-PMH for a long one, as the crawler decides. Days handled before are
    not fetched again, so a second backfill from the same day adds nothing."""
    from crawler import crawl
    from crawler import schedule

    seen = set(cache.papers)
    cursor = span[1] if span else None
    first_day = span[0] if span else None
    old = []
    if start is not None and span is None:
        # the first run: the feed names today; every listing day from `start` up to it
        result = crawl(cfg, cursor=None, seen=seen, start=start, progress=progress,
                       client=client)
        first_day = start
    else:
        if start is not None:
            end = schedule.previous_listing_day(first_day)
            if start <= end:
                ranged = crawl(cfg, seen=seen, start=start, end=end, progress=progress,
                               client=client)
                old = ranged.days
                seen |= {p.key for b in old for p in b.papers}
                first_day = start
            else:
                log.info("listing days from %s on have had candidates proposed already "
                         "(since %s); only what is new since %s is handled", start, first_day,
                         cursor)
        result = crawl(cfg, cursor=cursor, seen=seen, progress=progress, client=client)
    if first_day is None and result.new_cursor is not None:
        first_day = result.days[0].day if result.days else result.new_cursor
    return old + result.days, result.today, result.new_cursor, first_day
