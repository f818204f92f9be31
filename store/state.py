"""The repository's committed state: the crawl cursor and the paper cache.

- `state/cursor.json`: ``{"last_day": "YYYY-MM-DD"}``, the last announcement day handled.
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


def write_cursor(path: Path, day: dt.date) -> None:
    atomic_write(path, json.dumps({"last_day": day.isoformat()}) + "\n")


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
