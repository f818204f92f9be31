"""arXiv's export API (``/api/query``, Atom 1.0): metadata by id and searches for catch-up.

`Search` says *what* to ask (a ``search_query`` and/or an ``id_list``, a page size);
`results()` pages through it with a `crawler.http.Client`, the *how*. Paging is honest:
``start`` advances by the entries actually received and stops at ``totalResults``; a page
that comes back empty although more results are promised (a known transient of the API,
arxiv.py #119/#175) is asked again, bounded. An error feed (one entry titled ``Error``, sent
with HTTP 400 or 200) becomes an error naming the URL and arXiv's message.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Iterator

import feedparser

from crawler.errors import BadResponse, EmptyPage
from crawler.http import Client
from crawler.parsing import check_xml, clean_xml, entry_categories
from store.paper import Paper, arxiv_id, clean_text

log = logging.getLogger(__name__)

MAX_PAGE = 2000          # the API's limit per call
ID_BATCH = 200           # ids per id_list look-up: a 180-entry list in one request, the
                         # URL still under 3 kB


class ApiError(BadResponse):
    """The API's own error feed (a bad query or id); asking again will not help."""

    def __init__(self, message: str, url: str = ""):
        super().__init__(message, url, retry=False)


@dataclass
class Search:
    """What to ask the export API."""
    query: str = ""
    id_list: list[str] = field(default_factory=list)
    page_size: int = MAX_PAGE
    sort_by: str = "submittedDate"
    sort_order: str = "ascending"

    def params(self, start: int) -> dict:
        p = {"search_query": self.query, "id_list": ",".join(self.id_list),
             "start": start, "max_results": min(self.page_size, MAX_PAGE)}
        if self.query:
            p.update(sortBy=self.sort_by, sortOrder=self.sort_order)
        return p


def categories_query(categories: list[str]) -> str:
    cats = " OR ".join(f"cat:{c}" for c in categories)
    return f"({cats})" if len(categories) > 1 else cats


def submitted_query(categories: list[str], start: dt.datetime, end: dt.datetime) -> str:
    """``(cat:A OR cat:B) AND submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]`` (times in GMT)."""
    fmt = "%Y%m%d%H%M"
    utc = dt.timezone.utc
    return (f"{categories_query(categories)} AND submittedDate:"
            f"[{start.astimezone(utc).strftime(fmt)} TO {end.astimezone(utc).strftime(fmt)}]")


@dataclass
class ApiPage:
    total: int
    start: int
    papers: list[Paper]
    published: dict[str, dt.datetime]      # id -> first-version submission time
    skipped: list[str]
    entries: int


def parse_api(content: bytes, url: str = "") -> ApiPage:
    """One page of the export API (today's format and the legacy one of 2016 alike)."""
    content = clean_xml(content, url)
    check_xml(content, url)
    d = feedparser.parse(content)
    if not d.get("version", "").startswith("atom"):
        raise BadResponse(f"not an Atom feed ({d.get('version') or 'unknown format'})", url)
    entries = d.entries
    if len(entries) == 1 and clean_text(entries[0].get("title")) == "Error" and \
            "/api/errors" in entries[0].get("id", ""):
        raise ApiError(f"arXiv API error: {clean_text(entries[0].get('summary'))}", url)
    try:
        total = int(d.feed.get("opensearch_totalresults", len(entries)))
        start = int(d.feed.get("opensearch_startindex", 0))
    except (TypeError, ValueError):
        raise BadResponse("unreadable opensearch totals", url) from None
    page = ApiPage(total=total, start=start, papers=[], published={}, skipped=[],
                   entries=len(entries))
    for n, e in enumerate(entries, start=1):
        pid = arxiv_id(e.get("id", ""))
        title = clean_text(e.get("title"))
        if not pid or not title:
            what = "no id" if not pid else "no title"
            page.skipped.append(f"entry {n} ({what}; {pid or title or e.get('id') or 'empty'})")
            continue
        authors = [clean_text(a.get("name")) for a in e.get("authors", []) if a.get("name")]
        page.papers.append(Paper(id=pid, title=title, abstract=clean_text(e.get("summary")),
                                 authors=authors, categories=entry_categories(e),
                                 comment=clean_text(e.get("arxiv_comment")),
                                 journal_ref=clean_text(e.get("arxiv_journal_ref"))))
        if e.get("published"):
            try:
                page.published[pid] = dt.datetime.fromisoformat(
                    e["published"].replace("Z", "+00:00"))
            except ValueError:
                pass
    return page


class NoResults(EmptyPage):
    """No result at all where some were expected (arXiv's transient empty feeds, arxiv.py
    #119/#158), still so after the retries."""


def results(client: Client, base: str, search: Search, *, empty_retries: int = 3,
            expect_some: bool = False, on_page=None) -> Iterator[ApiPage]:
    """Every page of `search`, in order. With `expect_some`, an answer of no results at all
    is asked again like an empty page; `NoResults` if it stays empty."""
    start = 0
    while True:
        page = _page(client, base, search, start, empty_retries, expect_some)
        if on_page:
            on_page(page)
        yield page
        # a short page advances by what came; a page with extra (repeated) entries by no
        # more than was asked for, so nothing is skipped
        start += min(page.entries, min(search.page_size, MAX_PAGE))
        if page.entries == 0 or start >= page.total:
            return


def _page(client: Client, base: str, search: Search, start: int, empty_retries: int,
          expect_some: bool = False) -> ApiPage:
    def parse(content: bytes, url: str) -> ApiPage:
        page = parse_api(content, url)
        if page.entries == 0 and start < page.total:
            raise EmptyPage(f"empty page at start={start} of {page.total} results", url)
        if expect_some and start == 0 and page.total == 0:
            raise NoResults("no results where some were expected", url)
        return page
    return client.fetch(base, search.params(start), parse, allow_400=True,
                        retries=max(client.content_retries, empty_retries))


def fetch_ids(client: Client, base: str, ids: list[str], batch: int = ID_BATCH) -> list[Paper]:
    """Metadata of `ids` (versions dropped, duplicates once) through ``id_list`` in batches;
    ids arXiv does not know are left out (the caller, who knows what they are, says so). A
    batch answered with no result at all is asked again like an empty page (the API's
    transient empty feed) and is `NoResults` if it stays so: its ids are not "unknown to
    arXiv", the next run asks again."""
    wanted: list[str] = []
    for i in ids:
        k = arxiv_id(i) or i
        if k not in wanted:
            wanted.append(k)
    found: dict[str, Paper] = {}
    for i in range(0, len(wanted), batch):
        chunk = wanted[i:i + batch]
        for page in results(client, base, Search(id_list=chunk, page_size=len(chunk)),
                            expect_some=True):
            for p in page.papers:
                found.setdefault(p.key, p)
    missing = [k for k in wanted if k not in found]
    if missing:
        log.debug("arXiv knows no paper %s", ", ".join(missing))
    return [found[k] for k in wanted if k in found]
