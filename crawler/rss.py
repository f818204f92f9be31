"""arXiv's RSS announcement feed (rss.arxiv.org, the format since February 2024).

One request a day for all configured categories joined with ``+``
(``https://rss.arxiv.org/rss/cs.LG+cs.CL+cs.AI+cs.CV``). Items of announce type ``new`` and
``cross`` are new papers; ``replace`` and ``replace-cross`` are new versions of old ones and are
dropped. "Today" is the listing day the channel's ``pubDate`` names (``Thu, 24 Sep 2026
00:00:00 -0400``), never the machine clock. A feed without items (weekend, holiday) is "no
announcement". The Atom variant (rss.arxiv.org/atom/...) parses too; the RDF feed of before
2024 is refused with a clear error.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import html
import logging
import re
from dataclasses import dataclass, field
from typing import Optional

import feedparser

from crawler.errors import BadResponse
from crawler.parsing import check_xml, clean_xml, entry_categories, split_authors
from store.paper import Paper, arxiv_id, clean_text

log = logging.getLogger(__name__)

NEW_TYPES = ("new", "cross")
_ABSTRACT = re.compile(r"^\s*arXiv:\S+\s+Announce Type:\s*(\S+)\s*Abstract:\s*", re.S)


@dataclass
class Listing:
    """One day's feed: the listing day it names and its new papers."""
    day: Optional[dt.date]
    papers: list[Paper] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)      # malformed items, described


def feed_url(base: str, categories: list[str]) -> str:
    return base.rstrip("/") + "/" + "+".join(categories)


def _local_date(text: str) -> Optional[dt.date]:
    """The calendar date of an RFC 822 or ISO date in its own time zone."""
    if not text:
        return None
    try:
        return email.utils.parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return dt.datetime.fromisoformat(text.strip()).date()
    except ValueError:
        return None


def parse_rss(content: bytes, url: str = "") -> Listing:
    """The listing in an RSS 2.0 (or Atom) announcement feed."""
    content = clean_xml(content, url)
    check_xml(content, url)
    # not sanitized: an abstract's "<think>" is text, not a tag to strip
    d = feedparser.parse(content, sanitize_html=False)
    if d.get("bozo") and not d.entries and not d.feed:
        raise BadResponse(f"not a feed ({d.get('bozo_exception')})", url)
    version = d.get("version", "")
    if version == "rss10":
        raise BadResponse("old arXiv RSS 1.0/RDF feed format (before February 2024) is not "
                          "supported; use https://rss.arxiv.org/rss/", url, retry=False)
    if not version.startswith(("rss2", "atom")):
        raise BadResponse(f"unexpected feed format {version or 'unknown'!r}", url, retry=False)
    day = _local_date(d.feed.get("published", ""))
    if day is None and d.entries:
        day = _local_date(d.entries[0].get("published", ""))
    listing = Listing(day=day if d.entries else None)
    if d.entries and day is None:
        raise BadResponse("the feed names no listing day (no channel pubDate)", url,
                          retry=False)
    for n, e in enumerate(d.entries, start=1):
        raw_id = e.get("id") or e.get("guid") or e.get("link") or ""
        pid = arxiv_id(raw_id) or arxiv_id(e.get("link", ""))
        title = clean_text(e.get("title"))
        summary = e.get("summary") or e.get("description") or ""
        if (e.get("summary_detail") or {}).get("type") == "text/html":
            # feedparser reads the description as HTML and gives it back as HTML ("video
            # Q&amp;A"): the abstract is its text, as the export API gives it ("video Q&A")
            summary = html.unescape(summary)
        m = _ABSTRACT.match(summary)
        atype = (e.get("arxiv_announce_type") or (m.group(1) if m else "")).strip().lower()
        if atype and atype not in NEW_TYPES:      # replace / replace-cross: an old paper
            continue
        if not pid or not title:
            what = "no id" if not pid else "no title"
            listing.skipped.append(f"item {n} ({what}; {pid or title or raw_id or 'empty'})")
            continue
        abstract = clean_text(summary[m.end():] if m else summary)
        listing.papers.append(Paper(
            id=pid, title=title, abstract=abstract,
            authors=split_authors(e.get("author") or e.get("dc_creator") or ""),
            categories=entry_categories(e), date=day.isoformat() if day else "",
            announce_type=atype or "new"))
    return listing
