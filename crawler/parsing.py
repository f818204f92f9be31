"""Helpers the three parsers share: characters XML forbids, well-formedness, HTML error pages,
authors, categories."""
from __future__ import annotations

import logging
import re
import xml.etree.ElementTree as ET

from crawler.errors import BadResponse

log = logging.getLogger(__name__)

_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html)", re.I)
# XML 1.0 allows #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]: in
# UTF-8 the other control characters are single bytes, U+FFFE/U+FFFF three bytes
_RAW_FORBIDDEN = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
_CHAR_REF = re.compile(rb"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));")
_ITEM_START = re.compile(rb"<(?:item|entry|record)[\s>]")
_ITEM_ID = re.compile(rb"(\d{4}\.\d{4,5}|[a-z][a-z-]*(?:\.[A-Za-z]{2})?/\d{7})")


def _allowed(code: int) -> bool:
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or \
        0x10000 <= code <= 0x10FFFF


def _forbidden_ref(m: re.Match) -> bool:
    code = int(m.group(1), 16) if m.group(1) is not None else int(m.group(2))
    return not _allowed(code)


def clean_xml(content: bytes, url: str = "") -> bytes:
    """`content` without the characters XML 1.0 forbids, raw (U+0007) or as a character
    reference (``&#0;``): one such character in one item must not make a whole day's feed
    unreadable. Each item that had one is logged by its id."""
    spots = [m.start() for m in _RAW_FORBIDDEN.finditer(content)] + \
        [m.start() for m in _CHAR_REF.finditer(content) if _forbidden_ref(m)]
    if not spots:
        return content
    cleaned = _RAW_FORBIDDEN.sub(b"", content)
    cleaned = _CHAR_REF.sub(lambda m: b"" if _forbidden_ref(m) else m.group(0), cleaned)
    items: dict[str, int] = {}
    for pos in spots:
        where = _item_at(content, pos)
        items[where] = items.get(where, 0) + 1
    for where, n in items.items():
        log.warning("removed %d character(s) XML 1.0 forbids from %s in %s", n, where,
                    url or "arXiv's answer")
    return cleaned


def _item_at(content: bytes, pos: int) -> str:
    """"item 2510.01234" for the item (entry, record) around byte `pos`."""
    starts = [m.start() for m in _ITEM_START.finditer(content, 0, pos)]
    if not starts:
        return "the feed's header"
    m = _ITEM_ID.search(content, starts[-1], starts[-1] + 4000)
    return f"item {m.group(1).decode('ascii')}" if m else f"the item at byte {starts[-1]}"


def check_xml(content: bytes, url: str) -> ET.Element:
    """The document's root; BadResponse (retryable) for an HTML page, an empty body or XML
    that is not well-formed (a truncated answer)."""
    if not content or not content.strip():
        raise BadResponse("empty answer from arXiv", url)
    if _HTML.match(content[:200]):
        title = re.search(rb"<title>(.*?)</title>", content[:2000], re.I | re.S)
        what = title.group(1).decode("utf-8", "replace").strip() if title else "no title"
        raise BadResponse(f"arXiv answered an HTML page ({what}), not a feed", url)
    try:
        return ET.fromstring(content)
    except ET.ParseError as e:
        raise BadResponse(f"malformed or truncated XML ({e})", url) from None


def split_authors(text: str) -> list[str]:
    """``A, B and C`` -> [A, B, C] (RSS dc:creator, arXivRaw authors)."""
    text = " ".join((text or "").split())
    if not text:
        return []
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+", text)]
    return [p for p in parts if p]


def entry_categories(entry) -> list[str]:
    """Categories of a feedparser entry, the primary (when named) first."""
    cats = [t.get("term") for t in entry.get("tags", []) if t.get("term")]
    primary = (entry.get("arxiv_primary_category") or {}).get("term")
    if primary:
        cats = [primary] + [c for c in cats if c != primary]
    seen, out = set(), []
    for c in cats:
        if c not in seen:
            seen.add(c)
            out.append(c)
    return out
