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

**Submission times are derived, not real.** The data carry the listing day only, so each
paper's first-version time is made up from arXiv's announcement schedule
(`crawler.schedule`): a paper listed on day D was received in D's window, between the
14:00 US-Eastern cutoff of the previous listing day of the data and D's own cutoff (the
latest weekday before D); the papers of a day are spread evenly over that window in id
order. Its OAI datestamp is the announcement evening, D - 1.

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
returns them as JSON and ``POST /control`` with ``{"today": ..., "fault": ..., "reset": true,
"silence": [day, ...]}`` changes the server while it runs.

Silent days (`silence`, ``--silence DAY``): listing days of the data that arXiv announced
nothing for, as far as every interface can tell (an unscheduled holiday, or an announcement
lost on arXiv's side): their papers are in no feed, no API answer and no OAI-PMH harvest.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import json
import math
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterable, Optional
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from crawler import schedule
from store.errors import BadInput
from store.files import read_papers
from store.paper import NEW_ID, OLD_ID, Paper

FAULT_KINDS = ("429", "429date", "503", "500", "hang", "truncated", "html", "empty", "zero",
               "dup", "holiday", "trickle", "blackhole", "badchars")
TRICKLE_GAP = 0.05          # seconds between two bytes of a trickled answer
ITEM_TAGS = (b"<item>", b"<entry>", b"<record>")
ENDPOINTS = ("rss", "api", "oai")
API_MAX = 2000


@dataclass
class Fault:
    kind: str
    count: int = 1
    endpoint: str = ""          # "" = any

    @classmethod
    def parse(cls, spec: str) -> "Fault":
        parts = spec.strip().split(":")
        endpoint = parts.pop(0) if parts and parts[0] in ENDPOINTS else ""
        if not parts or parts[0] not in FAULT_KINDS or len(parts) > 2:
            raise BadInput(f"bad fault {spec!r}: want [rss|api|oai:]KIND[:COUNT] with KIND one "
                           f"of {', '.join(FAULT_KINDS)}", field="--fault")
        try:
            count = int(parts[1]) if len(parts) == 2 else 1
        except ValueError:
            raise BadInput(f"bad fault count in {spec!r}", field="--fault") from None
        return cls(parts[0], count, endpoint)


def _rfc822(t: dt.datetime) -> str:
    return email.utils.format_datetime(t)


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeArxiv:
    """The data, the clock ("today"), the faults and the request log of one fake arXiv."""

    def __init__(self, papers: Iterable[Paper], today: Optional[dt.date] = None,
                 retry_after: float = 1.0, hang: float = 5.0, oai_page: int = 1000):
        self.papers: dict[str, Paper] = {}
        for p in papers:
            old = self.papers.get(p.key)
            if old is None or (not old.date and p.date):
                self.papers[p.key] = p
        self.by_day: dict[dt.date, list[Paper]] = defaultdict(list)
        for p in self.papers.values():
            if p.date:
                self.by_day[dt.date.fromisoformat(p.date)].append(p)
        self.days = sorted(self.by_day)
        self.submitted: dict[str, dt.datetime] = {}
        prev: Optional[dt.date] = None
        for day in self.days:
            start, end = schedule.submission_window(day, previous=prev)
            prev = day
            todays = sorted(self.by_day[day], key=lambda p: p.key)
            step = (end - start) / (len(todays) + 1)
            for i, p in enumerate(todays, start=1):
                self.submitted[p.key] = (start + step * i).replace(microsecond=0)
        self.by_time = sorted(self.submitted, key=lambda k: (self.submitted[k], k))
        self.today = today or (self.days[-1] if self.days else dt.date.today())
        self.retry_after = retry_after
        self.hang = hang
        self.oai_page = oai_page
        self.faults: list[Fault] = []
        self.silent: set[dt.date] = set()      # listing days announced empty (`silence`)
        self.requests: list[tuple[float, str, int]] = []    # (arrival, path?query, status)
        self.user_agents: set[str] = set()
        self.lock = threading.Lock()
        self.server: Optional[ThreadingHTTPServer] = None
        self._base = ""
        self.thread: Optional[threading.Thread] = None
        self.stopping = threading.Event()      # releases black holes and trickles on stop
        self.aborted = 0                       # answers the client hung up on midway

    # ---- control ------------------------------------------------------------------------
    def set_today(self, day: dt.date | str) -> None:
        self.today = dt.date.fromisoformat(day) if isinstance(day, str) else day

    def silence(self, days: Iterable[dt.date | str]) -> None:
        """Make every interface answer as if nothing was announced on `days`."""
        with self.lock:
            self.silent |= {dt.date.fromisoformat(d) if isinstance(d, str) else d
                            for d in days}

    def add_fault(self, spec: str | Fault) -> None:
        with self.lock:
            self.faults.append(Fault.parse(spec) if isinstance(spec, str) else spec)

    def clear(self) -> None:
        """No faults, no silent days, an empty request log."""
        with self.lock:
            self.faults.clear()
            self.silent.clear()
            self.requests.clear()

    def gaps(self) -> list[float]:
        times = [t for t, _, _ in self.requests]
        return [b - a for a, b in zip(times, times[1:])]

    def count(self, endpoint: str = "") -> int:
        return sum(1 for _, path, _ in self.requests if path.startswith("/" + endpoint))

    def _take_fault(self, endpoint: str) -> Optional[str]:
        with self.lock:
            for f in self.faults:
                if f.count > 0 and f.endpoint in ("", endpoint):
                    f.count -= 1
                    kind = f.kind
                    self.faults = [g for g in self.faults if g.count > 0]
                    return kind
        return None

    def announced(self, key: str) -> bool:
        p = self.papers[key]
        if not p.date:
            return False
        day = dt.date.fromisoformat(p.date)
        return day <= self.today and day not in self.silent

    # ---- serving ------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve in a background thread; returns the base URL ``http://host:port``."""
        self.stopping.clear()
        self.server = _QuietServer((host, port), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()
        host, port = self.server.server_address[:2]
        self._base = f"http://{host}:{port}"
        return self.base

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT`` (still known after `stop`)."""
        return self._base

    @property
    def urls(self) -> dict[str, str]:
        return {"rss_url": f"{self.base}/rss/", "api_url": f"{self.base}/api/query",
                "oai_url": f"{self.base}/oai"}

    def stop(self) -> None:
        self.stopping.set()
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict, bytes]:
        """(status, headers, body) of one request, faults applied."""
        endpoint = path.strip("/").split("/")[0]
        endpoint = {"rss": "rss", "api": "api", "oai": "oai"}.get(endpoint, "")
        fault = self._take_fault(endpoint) if endpoint else None
        if fault in ("429", "429date", "503", "500"):
            status = int(fault[:3])
            headers = {"Content-Type": "text/plain"}
            if fault == "429date":
                when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=self.retry_after)
                headers["Retry-After"] = email.utils.format_datetime(when, usegmt=True)
            elif status in (429, 503):
                # whole seconds, as HTTP has it (0: no advice, the client backs off itself)
                headers["Retry-After"] = str(math.floor(self.retry_after + 0.5))
            return status, headers, f"{status} fake arXiv fault\n".encode()
        if fault == "hang":
            time.sleep(self.hang)
        if fault == "blackhole":
            self.stopping.wait(3600)
            return 0, {}, b""                    # the handler closes without a word
        if fault == "html":
            return 200, {"Content-Type": "text/html"}, (
                b"<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable"
                b"</title></head><body><h1>Service Temporarily Unavailable</h1></body></html>")
        if endpoint == "rss":
            cats = path.strip("/").split("/", 1)[1] if "/" in path.strip("/") else ""
            body = self.rss(cats.split("+") if cats else [], holiday=fault == "holiday",
                            dup=fault == "dup")
            status, ctype = 200, "application/rss+xml; charset=utf-8"
        elif endpoint == "api":
            status, body = self.api(query, empty=fault == "empty", dup=fault == "dup",
                                    zero=fault == "zero")
            ctype = "application/atom+xml; charset=utf-8"
        elif endpoint == "oai":
            status, body = self.oai(query, dup=fault == "dup", zero=fault == "zero")
            ctype = "text/xml; charset=utf-8"
        else:
            return 404, {"Content-Type": "text/plain"}, b"not found\n"
        if fault == "truncated":
            body = body[: max(1, len(body) // 2)]
        headers = {"Content-Type": ctype}
        if fault == "trickle":
            headers[TRICKLE] = str(self.hang)
        if fault == "badchars":
            body = _bad_chars(body)
        return status, headers, body

    # ---- RSS ----------------------------------------------------------------------------
    def rss(self, cats: list[str], holiday: bool = False, dup: bool = False) -> bytes:
        want = set(cats)
        day = self.today
        midnight = dt.datetime.combine(day, dt.time(0), tzinfo=schedule.EASTERN)
        items = [] if holiday or day in self.silent else [
            p for p in sorted(self.by_day.get(day, []), key=lambda p: p.key)
            if not want or want & set(p.categories)]
        out = [
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            '<rss xmlns:arxiv="http://arxiv.org/schemas/atom" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:atom="http://www.w3.org/2005/Atom" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">\n'
            "  <channel>\n",
            f"    <title>{escape(', '.join(cats))} updates on arXiv.org</title>\n",
            f"    <link>{escape(self.base)}/rss/{escape('+'.join(cats))}</link>\n",
            f"    <description>{escape(', '.join(cats))} updates on the arXiv.org e-print "
            "archive.</description>\n",
            "    <docs>http://www.rssboard.org/rss-specification</docs>\n"
            "    <language>en-us</language>\n",
            f"    <lastBuildDate>{_rfc822((midnight + dt.timedelta(minutes=1)).astimezone(dt.timezone.utc))}</lastBuildDate>\n",
            "    <managingEditor>rss-help@arxiv.org</managingEditor>\n",
            f"    <pubDate>{_rfc822(midnight)}</pubDate>\n",
            "    <skipDays>\n      <day>Sunday</day>\n      <day>Saturday</day>\n    </skipDays>\n",
        ]
        entries = [(p, p.announce_type or ("new" if p.categories and p.categories[0] in want
                                           else "cross"), 1) for p in items]
        if items:   # a few updates of older papers, as in every real feed
            older = [d for d in self.days if d < day][-3:-2]
            for i, p in enumerate(self.by_day[older[0]][:3] if older else []):
                entries.append((p, "replace-cross" if i == 2 else "replace", 2))
        if dup:
            entries += entries[:3]
        for p, atype, version in entries:
            out.append(self._rss_item(p, atype, version, midnight))
        out.append("  </channel>\n</rss>\n")
        return "".join(out).encode("utf-8")

    @staticmethod
    def _rss_item(p: Paper, atype: str, version: int, midnight: dt.datetime) -> str:
        cats = "".join(f"      <category>{escape(c)}</category>\n" for c in p.categories)
        return (
            "    <item>\n"
            f"      <title>{escape(p.title)}</title>\n"
            f"      <link>https://arxiv.org/abs/{escape(p.key)}</link>\n"
            f"      <description>arXiv:{escape(p.key)}v{version} Announce Type: {atype} \n"
            f"Abstract: {escape(p.abstract)}</description>\n"
            f'      <guid isPermaLink="false">oai:arXiv.org:{escape(p.key)}v{version}</guid>\n'
            f"{cats}"
            f"      <pubDate>{_rfc822(midnight)}</pubDate>\n"
            f"      <arxiv:announce_type>{atype}</arxiv:announce_type>\n"
            "      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>\n"
            f"      <dc:creator>{escape(', '.join(p.authors))}</dc:creator>\n"
            "    </item>\n")

    # ---- export API -----------------------------------------------------------------------
    def api(self, q: dict[str, list[str]], empty: bool = False, dup: bool = False,
            zero: bool = False) -> tuple[int, bytes]:
        get = lambda k, d="": (q.get(k) or [d])[0]  # noqa: E731
        query, id_list = get("search_query"), get("id_list")
        try:
            start = int(get("start", "0"))
            size = int(get("max_results", "10"))
            if start < 0 or size < 0 or start + size > 30000:
                raise ValueError
        except ValueError:
            return 400, self._api_error("max_results", "max_results must be an integer "
                                        "between 0 and 30000")
        size = min(size, API_MAX)
        keys: list[str]
        if id_list:
            keys = []
            for raw in id_list.split(","):
                raw = raw.strip()
                m = NEW_ID.match(raw) or OLD_ID.match(raw)
                if not m:
                    return 400, self._api_error(f"incorrect_id_format_for_{raw}",
                                                f"incorrect id format for {raw}")
                if m.group(1) in self.papers and m.group(1) not in keys:
                    keys.append(m.group(1))
        else:
            keys = []
        if query:
            sel = self._select(query)
            if sel is None:
                return 400, self._api_error("unsupported_query",
                                            f"the fake arXiv does not understand {query}")
            keys = [k for k in keys if k in sel] if id_list else sel
        if not id_list and not query:
            keys = []
        keys = [k for k in keys if self.papers[k].date == "" and id_list or self.announced(k)]
        if zero:
            keys = []
        total = len(keys)
        page = keys[start:start + size]
        if dup and start > 0:
            page = keys[max(0, start - 2):start] + page
        if empty:
            page = []
        entries = "".join(self._api_entry(self.papers[k]) for k in page)
        body = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
            'xmlns:arxiv="http://arxiv.org/schemas/atom">\n'
            f"  <id>https://arxiv.org/api/fake</id>\n"
            f"  <title>arXiv Query: search_query={escape(query)}&amp;id_list={escape(id_list)}"
            f"&amp;start={start}&amp;max_results={size}</title>\n"
            f"  <updated>{_iso(dt.datetime.now(dt.timezone.utc))}</updated>\n"
            f"  <opensearch:itemsPerPage>{size}</opensearch:itemsPerPage>\n"
            f"  <opensearch:totalResults>{total}</opensearch:totalResults>\n"
            f"  <opensearch:startIndex>{start}</opensearch:startIndex>\n"
            f"{entries}</feed>\n")
        return 200, body.encode("utf-8")

    _CAT = re.compile(r"cat:([A-Za-z\-]+(?:\.[A-Za-z\-]+)?)")
    _DATE = re.compile(r"submittedDate:\s*\[\s*(\d{12})\s+TO\s+(\d{12})\s*\]")
    _SHAPE = re.compile(r"^\(?\s*cat:\S+?(\s+OR\s+cat:\S+?)*\s*\)?"
                        r"(\s+AND\s+submittedDate:\s*\[\s*\d{12}\s+TO\s+\d{12}\s*\])?$")

    def _select(self, query: str) -> Optional[list[str]]:
        query = " ".join(query.split())
        if not self._SHAPE.match(query):
            return None
        cats = set(self._CAT.findall(query))
        m = self._DATE.search(query)
        lo = hi = None
        if m:
            fmt = "%Y%m%d%H%M"
            lo = dt.datetime.strptime(m.group(1), fmt).replace(tzinfo=dt.timezone.utc)
            hi = dt.datetime.strptime(m.group(2), fmt).replace(tzinfo=dt.timezone.utc) + \
                dt.timedelta(minutes=1)
        out = []
        for k in self.by_time:
            t = self.submitted[k]
            if lo is not None and not (lo <= t < hi):
                continue
            if cats & set(self.papers[k].categories):
                out.append(k)
        return out

    def _api_entry(self, p: Paper) -> str:
        t = self.submitted.get(p.key)
        when = _iso(t) if t else "2000-01-01T00:00:00Z"
        authors = "".join(f"    <author>\n      <name>{escape(a)}</name>\n    </author>\n"
                          for a in p.authors)
        cats = "".join(f'    <category term={quoteattr(c)} scheme="http://arxiv.org/schemas/atom"/>\n'
                       for c in p.categories)
        primary = (f"    <arxiv:primary_category term={quoteattr(p.categories[0])}/>\n"
                   if p.categories else "")
        return (
            "  <entry>\n"
            f"    <id>http://arxiv.org/abs/{escape(p.key)}v1</id>\n"
            f"    <title>{escape(p.title)}</title>\n"
            f"    <updated>{when}</updated>\n"
            f'    <link href="https://arxiv.org/abs/{escape(p.key)}v1" rel="alternate" type="text/html"/>\n'
            f'    <link href="https://arxiv.org/pdf/{escape(p.key)}v1" rel="related" type="application/pdf" title="pdf"/>\n'
            f"    <summary>{escape(p.abstract)}</summary>\n"
            f"{cats}"
            f"    <published>{when}</published>\n"
            f"{primary}"
            f"{authors}"
            "  </entry>\n")

    @staticmethod
    def _api_error(reason: str, message: str) -> bytes:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom" '
            'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">\n'
            "  <id>https://arxiv.org/api/fake-error</id>\n  <title>arXiv Query: error</title>\n"
            "  <opensearch:itemsPerPage>1</opensearch:itemsPerPage>\n"
            "  <opensearch:totalResults>1</opensearch:totalResults>\n"
            "  <opensearch:startIndex>0</opensearch:startIndex>\n"
            "  <entry>\n"
            f"    <id>https://arxiv.org/api/errors#{escape(reason)}</id>\n"
            "    <title>Error</title>\n"
            f"    <summary>{escape(message)}</summary>\n"
            "    <author><name>arXiv api core</name></author>\n"
            "  </entry>\n</feed>\n").encode("utf-8")

    # ---- OAI-PMH --------------------------------------------------------------------------
    def oai(self, q: dict[str, list[str]], dup: bool = False,
            zero: bool = False) -> tuple[int, bytes]:
        get = lambda k: (q.get(k) or [""])[0]  # noqa: E731
        verb = get("verb")
        if verb != "ListRecords":
            return 200, self._oai_error("badVerb", "the fake arXiv answers ListRecords only",
                                        q)
        token = get("resumptionToken")
        if token:
            parts = token.split("|")
            if len(parts) != 5 or parts[0] != "fake" or not parts[4].isdigit():
                return 200, self._oai_error("badResumptionToken", "bad token", q)
            _, first, last, set_spec, offset = parts
            offset = int(offset)
        else:
            if get("metadataPrefix") != "arXivRaw":
                return 200, self._oai_error("cannotDisseminateFormat",
                                            "the fake arXiv serves arXivRaw only", q)
            first, last, set_spec, offset = get("from"), get("until"), get("set"), 0
        try:
            lo = dt.date.fromisoformat(first) if first else dt.date.min
            hi = dt.date.fromisoformat(last) if last else dt.date.max
        except ValueError:
            return 200, self._oai_error("badArgument", "bad from/until", q)
        keys = []
        for day in self.days:
            stamp = day - dt.timedelta(days=1)
            if day > self.today or day in self.silent or not (lo <= stamp <= hi):
                continue
            for p in sorted(self.by_day[day], key=lambda p: p.key):
                if not set_spec or any(c.split(".")[0] == set_spec for c in p.categories):
                    keys.append(p.key)
        if not keys or zero:
            return 200, self._oai_error("noRecordsMatch", "The combination of the values of the "
                                        "from, until, set and metadataPrefix arguments results "
                                        "in an empty list.", q)
        page = keys[offset:offset + self.oai_page]
        if dup and offset > 0:
            page = keys[offset - 2:offset] + page
        nxt = offset + self.oai_page
        token_xml = (f'<resumptionToken cursor="{offset}" completeListSize="{len(keys)}">'
                     f"fake|{first}|{last}|{set_spec}|{nxt}</resumptionToken>"
                     if nxt < len(keys) else
                     f'<resumptionToken cursor="{offset}" completeListSize="{len(keys)}"/>')
        records = "".join(self._oai_record(self.papers[k]) for k in page)
        return 200, self._oai_wrap(f"<ListRecords>\n{records}{token_xml}\n</ListRecords>", q)

    def _oai_record(self, p: Paper) -> str:
        t = self.submitted[p.key]
        stamp = dt.date.fromisoformat(p.date) - dt.timedelta(days=1)
        return (
            "<record>\n<header>\n"
            f"  <identifier>oai:arXiv.org:{escape(p.key)}</identifier>\n"
            f"  <datestamp>{stamp.isoformat()}</datestamp>\n"
            f"  <setSpec>{escape(p.categories[0].split('.')[0] if p.categories else 'cs')}</setSpec>\n"
            "</header>\n<metadata>\n"
            '<arXivRaw xmlns="http://arxiv.org/OAI/arXivRaw/">\n'
            f"  <id>{escape(p.key)}</id>\n"
            f"  <submitter>{escape(p.authors[0] if p.authors else '')}</submitter>\n"
            f'  <version version="v1"><date>{email.utils.format_datetime(t, usegmt=True)}'
            "</date><size>1kb</size></version>\n"
            f"  <title>{escape(p.title)}</title>\n"
            f"  <authors>{escape(', '.join(p.authors))}</authors>\n"
            f"  <categories>{escape(' '.join(p.categories))}</categories>\n"
            f"  <abstract>{escape(p.abstract)}</abstract>\n"
            "</arXivRaw>\n</metadata>\n</record>\n")

    def _oai_wrap(self, inner: str, q: dict[str, list[str]]) -> bytes:
        attrs = "".join(f" {k}={quoteattr(v[0])}" for k, v in sorted(q.items())
                        if re.match(r"^[A-Za-z]+$", k))
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">\n'
            f"<responseDate>{_iso(dt.datetime.now(dt.timezone.utc))}</responseDate>\n"
            f"<request{attrs}>{escape(self.base)}/oai</request>\n"
            f"{inner}\n</OAI-PMH>\n").encode("utf-8")

    def _oai_error(self, code: str, message: str, q) -> bytes:
        return self._oai_wrap(f"<error code={quoteattr(code)}>{escape(message)}</error>", q)

    # ---- control endpoint -------------------------------------------------------------------
    def control(self, body: bytes) -> dict:
        if body:
            cmd = json.loads(body)
            if cmd.get("reset"):
                self.clear()
            if cmd.get("today"):
                self.set_today(cmd["today"])
            for spec in ([cmd["fault"]] if isinstance(cmd.get("fault"), str)
                         else cmd.get("fault") or []):
                self.add_fault(spec)
            if cmd.get("silence"):
                self.silence(cmd["silence"])
        return {"today": self.today.isoformat(),
                "silent": sorted(d.isoformat() for d in self.silent),
                "faults": [f"{f.endpoint + ':' if f.endpoint else ''}{f.kind}:{f.count}"
                           for f in self.faults],
                "requests": [{"t": t, "path": p, "status": s} for t, p, s in self.requests],
                "gaps": self.gaps()}


TRICKLE = "X-Fake-Trickle"        # internal: the handler sends this answer a byte at a time


def _bad_chars(body: bytes) -> bytes:
    """`body` with a raw U+0007 in the title of its first item (entry, record) and ``&#0;``
    in the second's: both forbidden in XML 1.0, as a real feed once had them."""
    starts = sorted(i for tag in ITEM_TAGS for i in _find_all(body, tag))[:2]
    out = body
    for start, bad in reversed(list(zip(starts, (b"\x07", b"&#0;")))):
        end = out.find(b"</title>", start)
        if end != -1:
            out = out[:end] + bad + out[end:]
    return out


def _find_all(body: bytes, tag: bytes) -> list[int]:
    out, i = [], body.find(tag)
    while i != -1:
        out.append(i)
        i = body.find(tag, i + 1)
    return out


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up (after its timeout) is no error of the fake's."""

    def handle_error(self, request, client_address) -> None:
        pass


def _handler(fake: FakeArxiv):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "FakeArxiv/1.0"

        def log_message(self, *args):   # quiet
            pass

        def _send(self, status: int, headers: dict, body: bytes) -> None:
            if status == 0:                  # a black hole: never a word
                self.close_connection = True
                return
            trickle = float(headers.pop(TRICKLE, 0) or 0)
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if trickle:
                    self._trickle(body, trickle)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
                if trickle:
                    with fake.lock:
                        fake.aborted += 1

        def _trickle(self, body: bytes, seconds: float) -> None:
            """A byte every TRICKLE_GAP seconds for `seconds`, then the rest."""
            self.wfile.flush()
            end, i = time.monotonic() + seconds, 0
            while i < len(body) and time.monotonic() < end and not fake.stopping.is_set():
                self.wfile.write(body[i:i + 1])
                i += 1
                time.sleep(TRICKLE_GAP)
            self.wfile.write(body[i:])

        def do_GET(self):
            split = urlsplit(self.path)
            if split.path.rstrip("/") == "/control":
                return self._send(200, {"Content-Type": "application/json"},
                                  json.dumps(fake.control(b"")).encode())
            arrived = time.monotonic()
            with fake.lock:
                fake.requests.append((arrived, self.path, 0))
                fake.user_agents.add(self.headers.get("User-Agent", ""))
                index = len(fake.requests) - 1
            status, headers, body = fake.answer(split.path, parse_qs(split.query))
            with fake.lock:
                fake.requests[index] = (arrived, self.path, status)
            self._send(status, headers, body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if urlsplit(self.path).path.rstrip("/") != "/control":
                return self._send(404, {"Content-Type": "text/plain"}, b"not found\n")
            try:
                out = fake.control(body)
            except (ValueError, BadInput) as e:
                return self._send(400, {"Content-Type": "text/plain"}, f"{e}\n".encode())
            self._send(200, {"Content-Type": "application/json"}, json.dumps(out).encode())

    return Handler


def load(paths: Iterable[str]) -> list[Paper]:
    papers: list[Paper] = []
    for path in paths:
        papers.extend(read_papers(path))
    return papers
