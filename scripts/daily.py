"""The daily job: crawl what is new -> score -> append the best candidates to the review file.

`run_daily` wires crawler/, classifier/ and store/ together under the repository lock; the
choice of candidates (`classifier.budget.pick`, shared with `evaluate --online` and `audit`)
is a pure function of the scored papers and the maintainer's steering (include / exclude
phrases, followed authors). The cursor is advanced last, so a run killed at any point is
redone by the next one without losing or doubling a candidate.
The whole run has one deadline (`run_budget`), shared by the crawl and the metadata look-ups;
the crawl comes first, so a run that cannot reach arXiv fails with one line, and nothing is
written until everything is fetched: a failed run (exit 1) leaves every state file as it was.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sys

from classifier.budget import RECENT_CAP, Pick, pick, recent
from store import listfile
from store.candidate import Candidate, Like, default_venue
from store.config import Config
from store.decisions import read_decisions
from store.entry_text import plain_title, short_authors
from store.errors import BadInput, OpdError
from store.files import atomic_write, recover, write_together
from store.lock import RepoLock
from store.paper import KnownPapers, arxiv_id
from store.review import MAX_BYTES, read_review
from scripts import arxiv_words
from scripts.metadata import fill_list_metadata
from store.state import Cursor, PaperCache, paper_cache
from store.training import repo_training

log = logging.getLogger("opdlist")


def journal_path(cfg: Config):
    return cfg.state_path / ".journal"


def repair(cfg: Config) -> None:
    """Finish (or sweep) the file updates of a run that was killed; call under the lock."""
    folders = {cfg.repo, cfg.state_path, cfg.review_path.parent, cfg.readme_path.parent,
               cfg.cache_folder}
    if recover(journal_path(cfg), folders):
        log.info("finished the file updates of an interrupted run")


# ---- a candidate as the maintainer would enter it (its text: store/entry_text.py) --------------

def candidate(pk: Pick, day: str, cfg: Config) -> Candidate:
    """A review-file candidate as the maintainer would enter it: plain-text title, a short
    author line for a long author list; both editable in the review file."""
    paper = pk.paper
    short = short_authors(paper.authors, cfg.max_authors, cfg.first_authors)
    return Candidate.of(paper, title=plain_title(paper.title),
                        authors=short if short else list(paper.authors), score=pk.score,
                        section=pk.section, section_alternative=pk.section_alternative or "",
                        venue=default_venue(paper.id), why=pk.terms,
                        like=Like(*pk.like) if pk.like else None, announced=day)


def background_days(newest: dt.date, n: int) -> list[dt.date]:
    """The `n` listing days up to `newest` (included) whose papers are the model's background."""
    from crawler import schedule
    days = [newest]
    while len(days) < n:
        days.insert(0, schedule.previous_listing_day(days[0]))
    return days


def _prune(cache: PaperCache, keep: set[str], newest: dt.date, days: int) -> None:
    """Keep listed, reviewed and decided papers, and the listings of the last `days` listing
    days."""
    cutoff = background_days(newest, max(days, 1))[0].isoformat()
    for key in [k for k, p in cache.papers.items()
                if k not in keep and p.date and p.date < cutoff]:
        del cache.papers[key]
        cache.dirty = True


def _top_up_background(cfg: Config, cache: PaperCache, newest: dt.date, handled: set,
                       client, progress: bool) -> None:
    """The first run of a repository, or a run on a fresh machine (the paper cache is not
    committed), has only the day it handles: the model would calibrate its scores against one
    day of listings, and a paper's score would depend on how old the repository is. The model
    fits on the newest listing days up to `budget.RECENT_CAP` papers; while the cache's last
    `cache_days` listing days up to `newest` hold fewer than that, the missing days are
    fetched from the export API (a query per four days), into the cache only: they were
    handled before (or before the list began), so none of their papers becomes a candidate.
    So every repository scores a day against the same background, however new it is. A
    failure here is a warning: the day's candidates do not depend on it, and the next run
    asks again."""
    from crawler import crawl
    wanted = background_days(newest, cfg.cache_days)
    dates = {d.isoformat() for d in wanted}
    have = {p.date for p in cache.papers.values() if p.date} | {d.isoformat() for d in handled}
    missing = [d for d in wanted if d.isoformat() not in have]
    held = sum(1 for p in cache.papers.values() if p.date in dates)
    if not missing or held >= RECENT_CAP:
        return
    log.info("fetching the listings of %d earlier day(s) (%s .. %s) as the model's background",
             len(missing), missing[0], missing[-1])
    try:
        got = crawl(cfg, seen=set(cache.papers), start=missing[0], end=missing[-1],
                    progress=progress, client=client, accept_empty=wanted)
    except OpdError as e:
        log.warning("could not fetch the earlier listings (%s): the model calibrates on fewer "
                    "days this run; the next run asks again", e)
        return
    cache.add(p for b in got.days if b.day in missing for p in b.papers)


def topic(cfg: Config):
    """The part of the configuration the model reads (`classifier.Topic`)."""
    from classifier import Topic
    return Topic(joins=tuple(cfg.phrase_joins), prior=cfg.prior)


def _fit(ts, path):
    """The ranking model for `ts`: the saved one when it was fitted on exactly `ts` (a run
    repeated on the same day), else a new fit (under a second: it reuses the saved model's
    n-gram counts of the papers it still trains on), said beforehand so the run is not silent
    meanwhile."""
    from classifier import fit
    from classifier.persist import load, reusable, save

    saved = load(path)
    if reusable(saved, ts):
        return saved
    log.info("fitting the ranking model on %d listed, %d rejected and %d recent paper(s) ...",
             len(ts.positives), len(ts.negatives), len(ts.background))
    model = fit(ts, previous=saved, keep_counts=True)   # counts only the new days' papers
    save(model, path)
    return model


def run_daily(cfg: Config, *, progress: bool | None = None, out=print,
              start: dt.date | None = None, accept_empty: tuple = (), limiter=None) -> int:
    """One daily run; with `start`, a backfill: every listing day from `start` up to today
    that no run has proposed candidates for yet gets them too (see `_crawl_days`).
    `accept_empty`: listing days the maintainer confirms arXiv announced nothing on (kept in
    the cursor file, so later crawls over them accept them too). One `Client` asks arXiv for
    everything, so the run keeps one rate limit and one deadline; a process that runs the job
    again and again (the daemon) passes its one `limiter`, so the rate holds across runs."""
    from crawler.http import Client

    progress = sys.stderr.isatty() if progress is None else progress
    with RepoLock(cfg.lock_path, cfg.run_budget), Client(cfg, limiter=limiter) as client:
        repair(cfg)
        review = read_review(cfg.review_path)          # a broken review file: exit 2, no crawl
        decisions = read_decisions(cfg.decisions_path)
        state = Cursor.read(cfg.cursor_path)
        doc = _read_list(cfg)
        cache = paper_cache(cfg)
        # the crawl first: a run that cannot reach arXiv fails at once, with one line
        days, today, new_cursor, first_day = _crawl_days(
            cfg, state.span, start, cache, progress, client,
            state.accepted_empty | set(accept_empty))
        memo = fill_list_metadata(cfg, doc, cache, progress=progress, client=client)
        if days:
            _top_up_background(cfg, cache, max(b.day for b in days), {b.day for b in days},
                               client, progress)
        new_papers = [p for batch in days for p in batch.papers]
        if not new_papers and (not days or state.last_day and max(b.day for b in days) <=
                               state.last_day):
            cache.save()
            for path, text in memo.items():
                atomic_write(path, text)
            out(f"{today} was handled already (cursor {state.last_day}): nothing new"
                if today and state.last_day and today <= state.last_day else
                f"no new announcement (cursor {state.last_day or 'unset'}; feed day "
                f"{today or 'empty'})")
            return 0

        known = KnownPapers()     # listed, already in the review file, or decided
        for _, e in doc.entries():
            known.add(e.key, e.plain_title)
        for p in [c.paper for c in review.candidates] + [d.paper for d in decisions]:
            known.add(p.key, p.title)
        newest = max(batch.day for batch in days)
        cache.add(new_papers)
        _prune(cache, known.keys, newest, cfg.cache_days)
        added, lines = _propose(cfg, days, known, doc, decisions, cache, progress)
        _venues(cfg, added, client)
        refreshed = None
        if cfg.refresh_days and (state.refreshed is None or
                                 (newest - state.refreshed).days >= cfg.refresh_days):
            updates = _refresh(cfg, doc, decisions, review, newest, client)
            if updates is not None:
                refreshed = newest
                lines.append(f"refresh: {len(updates)} update(s) of listed entries proposed")
                added += updates
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
        cache.saved()
        for line in lines:
            out(line)
        last = new_cursor or state.last_day
        if last is not None:       # the cursor last: a crash before it redoes the day
            new = dataclasses.replace(state, last_day=last, first_day=min(first_day or last, last),
                                      accepted_empty=state.accepted_empty | set(accept_empty),
                                      refreshed=refreshed or state.refreshed)
            if new != state:
                new.write(cfg.cursor_path)
        top = max((c for c in added if not c.update), key=lambda c: c.score or 0.0, default=None)
        out(f"daily: {len(days)} day(s) handled ({days[0].day}"
            f"{'' if len(days) == 1 else ' .. ' + str(days[-1].day)}), "
            f"{len(new_papers)} paper(s) seen, {len(added)} candidate(s) added to "
            f"{cfg.review_file}" + (f"; top: {top.paper.id} {top.paper.title!r} "
                                    f"({top.score:.2f}, {top.section})" if top else ""))
        return 0


def _read_list(cfg: Config):
    """The list, parsed (a README that does not lint still gets candidates: said once)."""
    try:
        doc = listfile.load(cfg.readme_path, strict=False)
        problems = listfile.findings(cfg.readme_path)
    except BadInput as e:
        raise BadInput(f"cannot read the list: {e.message}", file=str(cfg.readme_path),
                       line=e.line) from None
    if problems:
        log.warning("%s does not lint (%d problem(s), first on line %d: %s); candidates "
                    "are still written, merge refuses until it is fixed", cfg.readme,
                    len(problems), problems[0].line, problems[0].message)
    return doc


def _propose(cfg: Config, days, known: KnownPapers, doc, decisions, cache: PaperCache,
             progress: bool) -> tuple[list[Candidate], list[str]]:
    """The candidates of each day batch (the daily rule, `pick`) and a line per day; fits
    the model (or reuses yesterday's) only when there is an unseen paper to score."""
    from classifier import TrainingSet   # heavy: scikit-learn

    new_papers = [p for batch in days for p in batch.papers]
    model = None
    if any(not known.has(p.key, p.title) for p in new_papers):
        positives, negatives, sections = repo_training(cfg, doc=doc, cache=cache,
                                                       decisions=decisions)
        # the newest of the last `cache_days` listing days, ~3,000 papers, as they were
        # listed: the same papers in a repository started today and in one that has run for
        # weeks. A candidate still waiting for a decision is unlabelled like the rest
        # (leaving the strongest papers of the last days out would lift today's scores); a
        # listed or decided paper is a positive or a negative, not background
        # (classifier.ranker._split); an older paper the cache keeps because it was
        # proposed is not background either
        newest = max(batch.day for batch in days)
        span = {d.isoformat() for d in background_days(newest, cfg.cache_days)}
        background = recent([p for p in cache.papers.values() if p.date in span])
        model = _fit(TrainingSet(positives=positives, negatives=negatives,
                                 background=background, sections=sections, topic=topic(cfg)),
                     cfg.model_path)
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
    return added, lines


def _venues(cfg: Config, added: list[Candidate], client) -> None:
    """The venue of each new candidate from arXiv's words on it (its comment and journal
    reference, which the RSS feed does not carry): one id_list request for the day's
    candidates. Without an answer they keep Arxiv<year>, said once."""
    from crawler.api import ID_BATCH
    ids = [c.id for c in added if arxiv_id(c.id) and not c.update]
    if not ids:
        return
    try:
        words = arxiv_words.current(cfg, ids, client=client, batch=ID_BATCH)
    except OpdError as e:
        log.warning("could not ask arXiv for the candidates' comments (%s): their venues stay "
                    "Arxiv<year>", e)
        return
    arxiv_words.with_venues(added, words)


def _refresh(cfg: Config, doc, decisions, review, today: dt.date, client):
    """`opdlist refresh` within the daily run (every `refresh_days`): the updates of listed
    entries arXiv's metadata calls for; None when arXiv could not be asked (the next run
    asks again)."""
    ids = [e.arxiv_id for _, e in doc.entries() if e.arxiv_id]
    try:
        now = arxiv_words.current(cfg, ids, client=client)
    except OpdError as e:
        log.warning("could not refresh the listed entries (%s); the next run asks again", e)
        return None
    return arxiv_words.updates(doc, now, decisions, review.candidates, today.isoformat())


def _crawl_days(cfg: Config, span, start, cache: PaperCache, progress: bool, client,
                accept_empty=frozenset()):
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
                       client=client, accept_empty=accept_empty)
        first_day = start
    else:
        if start is not None:
            end = schedule.previous_listing_day(first_day)
            if start <= end:
                # papers of days before the first day handled are in the cache only as the
                # model's background (`_top_up_background`): they are new to this backfill
                before = first_day.isoformat()
                handled = {k for k, p in cache.papers.items() if not p.date or p.date >= before}
                ranged = crawl(cfg, seen=handled, start=start, end=end, progress=progress,
                               client=client, accept_empty=accept_empty)
                old = ranged.days
                seen |= {p.key for b in old for p in b.papers}
                first_day = start
            else:
                log.info("listing days from %s on have had candidates proposed already "
                         "(since %s); only what is new since %s is handled", start, first_day,
                         cursor)
        result = crawl(cfg, cursor=cursor, seen=seen, progress=progress, client=client,
                       accept_empty=accept_empty)
    if first_day is None and result.new_cursor is not None:
        first_day = result.days[0].day if result.days else result.new_cursor
    return old + result.days, result.today, result.new_cursor, first_day
