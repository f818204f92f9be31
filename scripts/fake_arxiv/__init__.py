"""A fake arXiv on 127.0.0.1, serving real listings: RSS, export API and OAI-PMH.

    opdlist fake-arxiv --data ../shared/arxiv/windowA.jsonl.gz --port 8765 --today 2025-10-07

answers, under one base URL each,

- ``/rss/<cat>+<cat>...``: today's announcement in the RSS 2.0 shape of rss.arxiv.org
  (fixture ``rss_multi_...xml``): channel ``pubDate`` = the listing day at 00:00 US Eastern
  (``-0400``/``-0500``), items of announce type ``new``/``cross`` from the data, plus a few
  ``replace``/``replace-cross`` items (older papers of the data) as the real feed has. A day
  with no listing in the data (weekend, holiday) gets an empty feed.
- ``/api/query``: ``id_list`` look-ups and ``search_query`` of ``cat:`` terms joined with OR,
  optionally AND ``submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]``; ``start``/``max_results``
  paging (at most 2000 a page, honest ``opensearch:totalResults``), sorted by submission
  time; the API's error feed with HTTP 400 for a bad id or ``max_results``.
- ``/oai``: ``ListRecords`` in ``arXivRaw`` with ``set`` (an archive, e.g. ``cs``),
  ``from``/``until`` on datestamps and ``resumptionToken`` paging; ``noRecordsMatch`` when
  empty.

Only papers announced by "today" exist (listing day <= today); records without a date
(e.g. ``list_papers.jsonl``) are known to ``id_list`` only and have no listing day.

Submission times are derived from arXiv's schedule, not real (see `archive`). arXiv's words
on a paper (``comment``, ``journal_ref``) are served where the real interfaces have them (the
export API and OAI-PMH, not the RSS feed), from the data records that carry them or from
records with only an ``id`` and those words (``--data ../shared/arxiv/comments.jsonl``, merged
by id). A test can post a new version of a paper (`FakeArxiv.revise`: a new title, comment or
journal reference), as authors do.

Faults (`Fault`, ``--fault [rss|api|oai:]KIND[:COUNT]``, the next COUNT matching requests):
``429`` (Retry-After in seconds), ``429date`` (Retry-After as an HTTP-date), ``503`` (with
Retry-After), ``500``, ``hang`` (answers only after `hang` seconds, past the client's
timeout), ``truncated`` (half the XML), ``html`` (an HTML error page with status 200),
``empty`` (an API page without entries though more are promised), ``zero`` (an API answer
of no results at all, the transient empty feed; on OAI-PMH ``noRecordsMatch``), ``dup`` (entries repeated
from the previous page, or repeated items in the feed), ``holiday`` (an empty feed),
``trickle`` (the right answer, but sent a byte at a time over `hang` seconds: each byte comes
well within the client's timeout, the whole answer does not), ``blackhole`` (the connection
is accepted and never answered, until the server stops), ``badchars`` (characters XML 1.0
forbids in two items: a raw U+0007 in the first one's title, ``&#0;`` in the second's).
Every request is recorded with its arrival time (`requests`, `gaps()`); ``GET /control``
says the state in a few lines (today, faults, silent days, how many requests, the last three),
``GET /control/requests`` gives every request with its time, and ``POST /control`` with ``{"today": ..., "fault": ..., "reset": true,
"silence": [day, ...], "revise": {id: {field: value}}}`` changes the server while it runs.

Silent days (`silence`, ``--silence DAY``): listing days of the data that arXiv announced
nothing for, as far as every interface can tell (an unscheduled holiday, or an announcement
lost on arXiv's side): their papers are in no feed, no API answer and no OAI-PMH harvest.

Modules: `archive` (the data and its clock), `answers` (the XML of the three interfaces),
`server` (faults, request log, HTTP handler, control).
"""
from scripts.fake_arxiv.archive import Archive, load
from scripts.fake_arxiv.server import FAULT_KINDS, FakeArxiv, Fault

__all__ = ["Archive", "FAULT_KINDS", "FakeArxiv", "Fault", "load"]
