"""Helpers the three parsers share: well-formedness, HTML error pages, authors, categories."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from crawler.http import BadResponse

_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html)", re.I)


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
