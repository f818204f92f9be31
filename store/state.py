"""The repository's committed state: the crawl cursor and the paper cache.

- `state/cursor.json` (`Cursor`): ``{"last_day": "YYYY-MM-DD", "first_day": "YYYY-MM-DD",
  "accepted_empty": [...], "refreshed": "YYYY-MM-DD"}``: the last announcement day handled,
  the first one `daily` proposed candidates for (a backfill, `daily --from`, moves it back;
  absent in older files, where it counts as ``last_day``), the listing days the maintainer
  confirmed arXiv announced nothing on (`daily --accept-empty`; a later crawl over them
  accepts them too), and the day the listed entries were last refreshed (`opdlist refresh`).
- `state/not_on_arxiv.json`: listed entries that have no arXiv metadata to fetch (ids arXiv
  does not know, links that are not arXiv's), each with the day it was reported, so the
  maintainer hears of each once and the API is not asked again on every run.
- the paper cache, `<cache_dir>/papers.jsonl.gz` (`.opdlist-cache/`, git-ignored): Paper
  JSONL of every paper seen (listed, reviewed, recent listings), keyed by arXiv id; the
  crawler's memory of what it returned already and the source of the abstracts the classifier
  trains on. It can all be fetched again, so it is not committed: a run without it (a fresh
  runner) asks arXiv for the listed papers and the recent listing days it needs. Older
  versions committed it as `state/papers.jsonl.gz`; it is read from there until the next
  daily run moves it.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from store.errors import BadInput
from store.files import atomic_write, jsonl_bytes, read_papers
from store.paper import Paper


@dataclass
class Cursor:
    """`state/cursor.json`: where the crawl stands (see the module docstring)."""
    last_day: Optional[dt.date] = None          # None before the first run
    first_day: Optional[dt.date] = None         # None: the same as last_day
    accepted_empty: frozenset = frozenset()     # listing days confirmed as without papers
    refreshed: Optional[dt.date] = None         # the last `opdlist refresh` of the list

    @classmethod
    def read(cls, path: Path) -> "Cursor":
        if not path.exists():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            last = dt.date.fromisoformat(data["last_day"]) if data.get("last_day") or \
                not data.get("refreshed") else None      # refreshed before any crawl
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError) as e:
            raise BadInput(f"unreadable cursor ({e.__class__.__name__}); expected "
                           '{"last_day": "YYYY-MM-DD"}', file=str(path), line=1,
                           field="last_day") from None
        out = cls(last)
        for name, read in (("first_day", dt.date.fromisoformat),
                           ("accepted_empty",
                            lambda days: frozenset(map(dt.date.fromisoformat, days))),
                           ("refreshed", dt.date.fromisoformat)):
            if data.get(name):
                try:
                    setattr(out, name, read(data[name]))
                except (ValueError, TypeError) as e:
                    raise BadInput(f"unreadable ({e.__class__.__name__}); expected YYYY-MM-DD",
                                   file=str(path), line=1, field=name) from None
        return out

    @property
    def span(self) -> Optional[tuple[dt.date, dt.date]]:
        """(first day proposed, last day handled), or None before the first run."""
        if self.last_day is None:
            return None
        return min(self.first_day or self.last_day, self.last_day), self.last_day

    def text(self) -> str:
        data = {"last_day": self.last_day.isoformat(),
                "first_day": self.span[0].isoformat()} if self.last_day else {}
        if self.accepted_empty:
            data["accepted_empty"] = sorted(d.isoformat() for d in self.accepted_empty)
        if self.refreshed:
            data["refreshed"] = self.refreshed.isoformat()
        return json.dumps(data) + "\n"

    def write(self, path: Path) -> None:
        atomic_write(path, self.text())


def read_cursor(path: Path) -> Optional[dt.date]:
    """The last announcement day handled, or None before the first run."""
    return Cursor.read(path).last_day


def read_span(path: Path) -> Optional[tuple[dt.date, dt.date]]:
    """(first day proposed, last day handled), or None before the first run."""
    return Cursor.read(path).span


def read_accepted_empty(path: Path) -> set[dt.date]:
    """The listing days the maintainer confirmed as having no announcement."""
    return set(Cursor.read(path).accepted_empty)


def write_cursor(path: Path, day: dt.date, first_day: Optional[dt.date] = None,
                 accepted_empty: Iterable[dt.date] = ()) -> None:
    """The cursor with `day` as the last day handled; `first_day` as given, else kept from
    the file, else `day` (the first run); accepted empty days added to the file's."""
    cursor = Cursor.read(path)
    first = first_day or (cursor.span[0] if cursor.span else day)
    cursor.last_day, cursor.first_day = day, min(first, day)
    cursor.accepted_empty = cursor.accepted_empty | frozenset(accepted_empty)
    cursor.write(path)


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
    """Papers by key, loaded from and saved to one gzipped Paper JSONL file (or, while that
    does not exist yet, read from `legacy`, where an older version kept it)."""

    def __init__(self, path: Path, legacy: Optional[Path] = None):
        self.path = Path(path)
        self.papers: dict[str, Paper] = {}
        self.legacy = Path(legacy) if legacy and not self.path.exists() and \
            Path(legacy).exists() else None
        source = self.legacy or self.path
        if source.exists():
            for p in read_papers(source):
                self.papers[p.key] = p
        self.dirty = self.legacy is not None

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
        self.saved()

    def saved(self) -> None:
        """The file at `path` is written: the legacy copy (committed by an older version)
        goes; the workflows commit its removal with the rest of state/."""
        if self.legacy is not None:
            self.legacy.unlink(missing_ok=True)
            self.legacy = None


def paper_cache(cfg) -> PaperCache:
    """The repository's paper cache (`cfg`: a store.config.Config)."""
    return PaperCache(cfg.cache_path, legacy=cfg.legacy_cache_path)
