"""The repository's committed state: the crawl cursor and the paper cache.

- `state/cursor.json`: ``{"last_day": "YYYY-MM-DD", "first_day": "YYYY-MM-DD"}``: the last
  announcement day handled, and the first one `daily` proposed candidates for (a backfill,
  `daily --from`, moves it back; absent in older files, where it counts as ``last_day``).
- `state/not_on_arxiv.json`: listed entries that have no arXiv metadata to fetch (ids arXiv
  does not know, links that are not arXiv's), each with the day it was reported, so the
  maintainer hears of each once and the API is not asked again on every run.
- `state/papers.jsonl.gz`: Paper JSONL of every paper seen (listed, reviewed, recently
  crawled), keyed by arXiv id; the crawler's memory of what it returned already and the
  source of the abstracts the classifier trains on.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Iterable, Optional

from store.errors import BadInput
from store.files import atomic_write, jsonl_bytes, read_papers
from store.paper import Paper


def read_cursor(path: Path) -> Optional[dt.date]:
    """The last announcement day handled, or None before the first run."""
    if not path.exists():
        return None
    try:
        return dt.date.fromisoformat(json.loads(path.read_text(encoding="utf-8"))["last_day"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as e:
        raise BadInput(f"unreadable cursor ({e.__class__.__name__}); expected "
                       '{"last_day": "YYYY-MM-DD"}', file=str(path), line=1,
                       field="last_day") from None


def read_span(path: Path) -> Optional[tuple[dt.date, dt.date]]:
    """(first day proposed, last day handled), or None before the first run."""
    last = read_cursor(path)
    if last is None:
        return None
    try:
        first = json.loads(path.read_text(encoding="utf-8")).get("first_day")
        first = dt.date.fromisoformat(first) if first else last
    except (ValueError, TypeError, AttributeError):
        raise BadInput("unreadable cursor; expected first_day as YYYY-MM-DD", file=str(path),
                       line=1, field="first_day") from None
    return min(first, last), last


def cursor_text(path: Path, day: dt.date, first_day: Optional[dt.date] = None) -> str:
    """The cursor file with `day` as the last day handled; `first_day` as given, else kept
    from the file, else `day` (the first run)."""
    if first_day is None:
        span = read_span(path) if path.exists() else None
        first_day = span[0] if span else day
    return json.dumps({"last_day": day.isoformat(),
                       "first_day": min(first_day, day).isoformat()}) + "\n"


def write_cursor(path: Path, day: dt.date, first_day: Optional[dt.date] = None) -> None:
    atomic_write(path, cursor_text(path, day, first_day))


def read_not_on_arxiv(path: Path) -> dict[str, dict]:
    """Key -> {"reason": ..., "reported": "YYYY-MM-DD"} of the listed entries already reported
    as having no arXiv metadata."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
            raise ValueError("not an object of objects")
        return data
    except (ValueError, UnicodeDecodeError) as e:
        raise BadInput(f"unreadable ({e.__class__.__name__}); expected "
                       '{"<id or link>": {"reason": ..., "reported": "YYYY-MM-DD"}}',
                       file=str(path), line=1) from None


def not_on_arxiv_text(entries: dict[str, dict]) -> str:
    return json.dumps(dict(sorted(entries.items())), indent=1, ensure_ascii=False) + "\n"


class PaperCache:
    """Papers by key, loaded from and saved to one gzipped Paper JSONL file."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.papers: dict[str, Paper] = {}
        if self.path.exists():
            for p in read_papers(self.path):
                self.papers[p.key] = p
        self.dirty = False

    def __contains__(self, key: str) -> bool:
        return key in self.papers

    def __len__(self) -> int:
        return len(self.papers)

    def get(self, key: str) -> Optional[Paper]:
        return self.papers.get(key)

    def add(self, papers: Iterable[Paper]) -> int:
        """Add or refresh papers; returns how many were new."""
        new = 0
        for p in papers:
            new += p.key not in self.papers
            self.papers[p.key] = p
            self.dirty = True
        return new

    def dumps(self) -> bytes:
        """The cache file's bytes: gzipped Paper JSONL sorted by key."""
        return jsonl_bytes((p.to_dict() for _, p in sorted(self.papers.items())),
                           gz=self.path.suffix == ".gz")

    def save(self) -> None:
        if self.dirty or not self.path.exists():
            atomic_write(self.path, self.dumps())
            self.dirty = False
