"""What a crawl run fetches, in which order, and what counts as new.

A normal run (no range given):
1. Fetch today's RSS feed (one request, all categories). Its channel ``pubDate`` is "today",
   the listing day; an empty feed (weekend, holiday) means no announcement: nothing to do and
   the cursor stays where it is.
2. With no cursor yet (the first run), today's announcement is all there is.
3. With a cursor, every listing day after it and before today was missed (a failed run,
   downtime). Each missed day D is fetched from the export API: the submissions received in
   D's window (between the 14:00 Eastern cutoffs of the two working days before it, see
   `crawler.schedule`), queried by ``submittedDate`` with a margin before the window and
   deduplicated by the ids already seen. Up to `API_DAYS` consecutive days share one query
   (their windows are contiguous), each paper put on its day by its submission time: fewer
   requests, while every query stays small (arXiv's advice against deep paging). A gap longer
   than `OAI_DAYS` listing days is fetched through OAI-PMH instead (one harvest instead of a
   query per day).
   A day is never passed over on one interface's word: a listing day of the calendar for
   which the export API gives no paper (its known transient empty feed, or a query whose
   other days had papers) is asked of OAI-PMH, and a day OAI-PMH gives none for is asked of
   the export API. If the other interface has its papers, they are taken from it. If every
   interface answers it empty, the run fails (exit 1, `EmptyAnnouncement`, the days named)
   and the cursor stays: an announcement the calendar expects is never skipped quietly. The
   maintainer who knows arXiv announced nothing that day (an unscheduled holiday) confirms it
   with ``opdlist daily --accept-empty DAY``: days in `accept_empty` may be empty. If the
   other interface cannot be asked, the run fails too and the next run asks again. (The RSS
   feed only ever serves today's listing, so for a missed day OAI-PMH is the second
   interface; days the calendar knows have no listing are never asked for.)
4. Today's feed comes last, so the batches are oldest first.

A range (``start``/``end``, `opdlist crawl --from/--to`) fetches those listing days the same
way. It never moves the cursor backwards, and forwards only when it joins up with it.

`crawl()` reads nothing from disk and writes nothing: the caller stores the papers and then
writes `new_cursor`. Any failure raises `store.errors.RunFailed` before anything is returned,
so a failed run changes nothing and the next run redoes the same days.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Iterable, Optional

from crawler import api, oai, rss, schedule
from crawler.errors import ArxivError
from crawler.http import Client
from store.errors import RunFailed
from store.paper import Paper

log = logging.getLogger(__name__)

OAI_DAYS = 15                       # missed listing days above which OAI-PMH is used (3 weeks)
MARGIN = dt.timedelta(hours=1)      # queried before each submission window
API_DAYS = 4                        # listing days per API query: ~450 papers a day in the
                                    # four default categories, so mostly one 2000-result page


@dataclass
class DayBatch:
    day: dt.date
    papers: list[Paper] = field(default_factory=list)
    source: str = "rss"             # rss | api | oai


@dataclass
class CrawlResult:
    days: list[DayBatch] = field(default_factory=list)
    today: Optional[dt.date] = None
    new_cursor: Optional[dt.date] = None
    plan: list[str] = field(default_factory=list)     # what a dry run would fetch
    requests: int = 0                                 # HTTP requests started
    waited: float = 0.0                               # seconds spent in polite waits

    @property
    def papers(self) -> list[Paper]:
        return [p for b in self.days for p in b.papers]


class EmptyAnnouncement(RunFailed):
    """Listing days of arXiv's calendar for which every interface answers no paper."""

    def __init__(self, days: list[dt.date]):
        self.days = days
        span = " ".join(map(str, days))
        confirm = " ".join(f"--accept-empty {d}" for d in days)
        super().__init__(f"no papers for listing day(s) {span}, which arXiv's calendar has "
                         "an announcement on: the export API and OAI-PMH both answer empty. "
                         "Nothing was changed; run again later, or, if arXiv announced nothing "
                         f"then, confirm it: opdlist daily {confirm}")


class _Dedup:
    """Keys already known (`seen`) or returned in this run: a paper is new exactly once."""

    def __init__(self, seen: Iterable[str], categories: list[str]):
        self.seen = set(seen or ())
        self.categories = set(categories)

    def take(self, papers: Iterable[Paper], day: dt.date) -> list[Paper]:
        out = []
        for p in papers:
            if p.key in self.seen:
                continue
            if p.categories and self.categories and not self.categories & set(p.categories):
                continue
            self.seen.add(p.key)
            p.date = day.isoformat()
            if not p.announce_type:
                p.announce_type = "new" if not p.categories or \
                    p.categories[0] in self.categories else "cross"
            out.append(p)
        return out


def _warn_skipped(skipped: list[str], url: str) -> None:
    for s in skipped:
        log.warning("skipped malformed %s in %s", s, url)


class Crawler:
    def __init__(self, cfg, client: Client, seen: Iterable[str], page_size: int = api.MAX_PAGE,
                 progress: bool = False, accept_empty: Iterable[dt.date] = ()):
        self.cfg, self.client = cfg, client
        self.cats = list(cfg.categories)
        self.dedup = _Dedup(seen, self.cats)
        self.page_size = page_size
        self.progress = progress
        self.accept_empty = frozenset(accept_empty)     # days that may have no papers

    # ---- the three sources ------------------------------------------------------------
    def feed(self) -> rss.Listing:
        url = rss.feed_url(self.cfg.rss_url, self.cats)
        listing = self.client.fetch(url, None, rss.parse_rss)
        _warn_skipped(listing.skipped, url)
        return listing

    def _api_papers(self, days: list[dt.date], margin_ok: bool = True) -> dict:
        """Day -> papers of consecutive listing days `days` from one export API query: the
        submissions of their windows (`crawler.schedule`), each paper put on its day by its
        first-version time. The query reaches `MARGIN` into the window before, so a paper
        near the cutoff is not lost between two runs; those early ones are kept (on the first
        day) only when the day before counts as handled (`margin_ok`), else they belong to a
        day outside the range asked for. An answer of no results at all (after its retries)
        is no paper for any of the days."""
        start = schedule.submission_window(days[0])[0]
        end = schedule.submission_window(days[-1])[1]
        search = api.Search(api.submitted_query(self.cats, start - MARGIN, end),
                            page_size=self.page_size)
        by_day: dict[dt.date, list[Paper]] = {d: [] for d in days}
        try:
            pages = list(api.results(self.client, self.cfg.api_url, search, expect_some=True))
        except api.NoResults:
            pages = []
        for page in pages:
            _warn_skipped(page.skipped, self.cfg.api_url)
            for p in page.papers:
                sub = page.published.get(p.id)
                if sub is None:
                    day = days[-1]
                elif sub > end or (sub <= start and not margin_ok):
                    continue                        # another day's paper
                elif sub <= start:
                    day = days[0]
                else:
                    day = schedule.listing_day_of(sub)
                    day = next((d for d in days if d >= day), days[-1])
                by_day[day].append(p)
        return by_day

    def _api_papers_of(self, days: list[dt.date]) -> dict:
        """`_api_papers` for any listing days: a query per run of consecutive ones."""
        out: dict[dt.date, list[Paper]] = {}
        for run in _runs(days):
            for i in range(0, len(run), API_DAYS):
                out.update(self._api_papers(run[i:i + API_DAYS], margin_ok=False))
        return out

    def _confirm(self, papers: dict, asked: str, other: str, ask, announced: bool) -> dict:
        """Days of `papers` (day -> papers from the interface `asked`) with none, and not in
        `accept_empty`, are asked of the `other` interface (`ask(days)` -> day -> papers):
        its papers are taken; days it has none for either fail the run (EmptyAnnouncement),
        unless they may not have been announced yet (not `announced`, and no later day has
        papers); if it cannot be asked, the run fails (the cursor stays, the next run asks
        again). Returns day -> source of the days taken from `other`."""
        empty = [d for d, got in papers.items() if not got and d not in self.accept_empty]
        if not announced:      # the days after the last one with papers: not announced yet
            last = max((d for d, got in papers.items() if got), default=None)
            empty = [d for d in empty if last is not None and d < last]
        if not empty:
            return {}
        span = " ".join(map(str, empty))
        log.debug("the %s answers no papers for %s; asking %s", asked, span, other)
        try:
            more = ask(empty)
        except EmptyAnnouncement:
            raise
        except RunFailed as e:
            raise ArxivError(f"the {asked} answers no papers for listing day(s) {span} and "
                             f"{other} could not confirm it ({e}); the cursor stays, the next "
                             "run asks again") from None
        for d in empty:
            papers[d] = more.get(d, [])
        still = [d for d in empty if not papers[d]]
        if still:
            raise EmptyAnnouncement(still)
        log.warning("the %s answered no papers for %s: took %d from %s", asked, span,
                    sum(len(papers[d]) for d in empty), other)
        return dict.fromkeys(empty, "oai" if other == "OAI-PMH" else "api")

    def _oai_papers(self, days: list[dt.date]) -> dict:
        """Day -> papers of the listing days `days` from one OAI-PMH harvest of the first to
        the last of them (only the days asked for are kept)."""
        first, last = days[0], days[-1]
        by_day: dict[dt.date, list[Paper]] = {d: [] for d in days}
        # datestamps are announcement days: the evening before each listing day
        pages = oai.list_records(self.client, self.cfg.oai_url, first - dt.timedelta(days=1),
                                 last - dt.timedelta(days=1), set_spec=self._oai_set())
        bar = None
        if self.progress:      # records, out of the harvest's completeListSize once known
            from tqdm import tqdm
            bar = tqdm(desc="OAI-PMH", unit="record", leave=False)
        for page in pages:
            if bar is not None:
                if page.total and bar.total != page.total:
                    bar.total = page.total
                bar.update(len(page.records) + len(page.skipped))
            _warn_skipped(page.skipped, self.cfg.oai_url)
            for rec in page.records:
                day = self._oai_day(rec, first, last)
                if day in by_day:
                    by_day[day].append(rec.paper)
        if bar is not None:
            bar.close()
        return by_day

    def _oai_set(self) -> str:
        archives = {c.split(".")[0] for c in self.cats}
        return archives.pop() if len(archives) == 1 else ""

    @staticmethod
    def _oai_day(rec: oai.OaiRecord, first: dt.date, last: dt.date) -> Optional[dt.date]:
        """The listing day of a record: from its first version's submission time. A record
        whose first version is older than the range is an update of an old paper, unless it
        is recent (held back by moderation, up to 60 days), then it counts on the first day."""
        if rec.submitted is None:
            return first if rec.datestamp and rec.datestamp >= first - dt.timedelta(days=1) \
                else None
        day = schedule.listing_day_of(rec.submitted)
        if day > last:
            return None
        if day < first:
            return first if rec.submitted.date() >= first - dt.timedelta(days=60) else None
        return day

    # ---- the plan ---------------------------------------------------------------------
    def backfill(self, days: list[dt.date], joins_cursor: bool = False,
                 announced: bool = False) -> list[DayBatch]:
        """Batches of the listing days `days` (consecutive): export API queries of up to
        `API_DAYS` days, or one OAI-PMH harvest for more than `OAI_DAYS`, a day one interface
        has no papers for asked of the other (`_confirm`). `joins_cursor`: the day before the
        first one was handled by an earlier run; `announced`: every one of the days has been
        announced (they are before the feed's day), so none may be empty."""
        if not days:
            return []
        if len(days) > OAI_DAYS:
            log.info("backfilling %d listing days %s..%s through OAI-PMH", len(days),
                     days[0], days[-1])
            papers = self._oai_papers(days)
            source, sources = "oai", self._confirm(papers, "OAI-PMH harvest", "export API",
                                                   self._api_papers_of, announced)
        else:
            chunks = [days[i:i + API_DAYS] for i in range(0, len(days), API_DAYS)]
            it = chunks
            if self.progress:
                from tqdm import tqdm
                it = tqdm(chunks, desc="catch-up", unit="query", leave=False)
            papers = {}
            for i, chunk in enumerate(it):
                papers.update(self._api_papers(chunk, margin_ok=joins_cursor or i > 0))
            source, sources = "api", self._confirm(papers, "export API", "OAI-PMH",
                                                   self._oai_papers, announced)
        return [DayBatch(d, self.dedup.take(papers[d], d), sources.get(d, source))
                for d in days]

    def describe(self, days: list[dt.date]) -> list[str]:
        if len(days) > OAI_DAYS:
            return [f"OAI-PMH ListRecords {self.cfg.oai_url} set={self._oai_set() or '(all)'} "
                    f"from={days[0] - dt.timedelta(days=1)} until={days[-1] - dt.timedelta(days=1)}"
                    f" ({len(days)} listing days)"]
        out = []
        for i in range(0, len(days), API_DAYS):
            chunk = days[i:i + API_DAYS]
            start = schedule.submission_window(chunk[0])[0]
            end = schedule.submission_window(chunk[-1])[1]
            out.append(f"{chunk[0]}..{chunk[-1]}: API {self.cfg.api_url} search_query="
                       f"{api.submitted_query(self.cats, start - MARGIN, end)}")
        return out


def crawl(cfg, cursor: Optional[dt.date] = None, seen: Optional[Iterable[str]] = None,
          start: Optional[dt.date] = None, end: Optional[dt.date] = None,
          dry_run: bool = False, progress: bool = False, *,
          page_size: int = api.MAX_PAGE, client: Optional[Client] = None,
          accept_empty: Iterable[dt.date] = ()) -> "CrawlResult":
    """Fetch every new paper since `cursor` (or of `start`..`end`); see the module docstring.
    `accept_empty`: listing days that may have no papers (confirmed by the maintainer)."""
    own = client is None
    client = client or Client(cfg)
    c = Crawler(cfg, client, seen or (), page_size, progress, accept_empty)
    result = CrawlResult()
    requests0, waited0 = client.limiter.requests, client.limiter.waited
    try:
        if dry_run:
            result.plan = _plan(c, cfg, cursor, start, end)
            return result
        if start is not None and end is not None:
            days = schedule.listing_days(start, end)
            result.days = c.backfill(days, _joins(cursor, days))
            last = _last_filled(result.days)
        else:
            listing = c.feed()
            result.today = listing.day
            if listing.day is None:
                log.info("the feed is empty: no announcement today")
                if start is None:
                    return result
            today = listing.day
            if start is not None:
                # an empty feed names no day: up to the clock's date (days not announced
                # yet come back empty, and the cursor does not move past them)
                upto = today - dt.timedelta(days=1) if today else dt.date.today()
                days = schedule.listing_days(start, upto)
            elif cursor is not None and today is not None and cursor < today:
                days = schedule.listing_days(cursor + dt.timedelta(days=1),
                                             today - dt.timedelta(days=1))
            else:
                days = []
            result.days = c.backfill(days, _joins(cursor, days), announced=today is not None)
            if today is not None:
                result.days.append(DayBatch(today, c.dedup.take(listing.papers, today), "rss"))
            last = today or _last_filled(result.days)
        joins = cursor is None or start is None or \
            start <= (schedule.listing_days(cursor + dt.timedelta(days=1),
                                            cursor + dt.timedelta(days=10)) or [start])[0]
        if last is not None and joins and (cursor is None or last > cursor):
            result.new_cursor = last
        return result
    finally:
        result.requests = client.limiter.requests - requests0
        result.waited = client.limiter.waited - waited0
        if own:
            client.close()


def _runs(days: list[dt.date]) -> list[list[dt.date]]:
    """`days` (sorted listing days) cut into runs of consecutive listing days."""
    runs: list[list[dt.date]] = []
    for d in sorted(days):
        if runs and schedule.previous_listing_day(d) == runs[-1][-1]:
            runs[-1].append(d)
        else:
            runs.append([d])
    return runs


def _last_filled(days: list[DayBatch]) -> Optional[dt.date]:
    """The last day of a range that had papers: the cursor never moves past a day that
    may not have been announced yet."""
    return max((b.day for b in days if b.papers), default=None)


def _joins(cursor: Optional[dt.date], days: list[dt.date]) -> bool:
    """Whether the range `days` starts right after the cursor's day."""
    return bool(days) and cursor is not None and \
        schedule.previous_listing_day(days[0]) <= cursor < days[0]


def _plan(c: Crawler, cfg, cursor, start, end) -> list[str]:
    feed = f"RSS {rss.feed_url(cfg.rss_url, c.cats)} (today = the day its pubDate names)"
    if start is not None and end is not None:
        return c.describe(schedule.listing_days(start, end))
    if start is not None:
        return [feed, f"then listing days {start}..(the feed's day - 1):"] + \
            c.describe(schedule.listing_days(start, dt.date.today()))[:3] + ["..."]
    if cursor is None:
        return [feed, "no cursor yet: today's announcement only"]
    return [feed, f"then, if the feed's day is later than the next listing day after {cursor}, "
                  "each missed listing day from the export API (OAI-PMH above "
                  f"{OAI_DAYS} days), e.g.:"] + \
        c.describe(schedule.listing_days(cursor + dt.timedelta(days=1),
                                         cursor + dt.timedelta(days=3)))


def fetch_metadata(cfg, ids: list[str], *, client: Optional[Client] = None,
                   progress: bool = False, batch: int = api.ID_BATCH) -> list[Paper]:
    """Metadata of arXiv `ids` from the export API's ``id_list``, `batch` ids a request (one
    request for a list of up to 200 papers); ids arXiv does not know are left out."""
    own = client is None
    client = client or Client(cfg)
    chunks = [ids[i:i + batch] for i in range(0, len(ids), batch)]
    if progress:
        from tqdm import tqdm
        chunks = tqdm(chunks, desc="metadata", unit="request", leave=False)
    try:
        return [p for chunk in chunks
                for p in api.fetch_ids(client, cfg.api_url, list(chunk), batch=batch)]
    finally:
        if own:
            client.close()
