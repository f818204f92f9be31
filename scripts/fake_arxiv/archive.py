"""The fake arXiv's data: real papers, their listing days, derived submission times, "today",
silent days, and the revisions a test makes (a new comment, a new title, a withdrawal).

**Submission times are derived, not real.** The data carry the listing day only, so each
paper's first-version time is made up from arXiv's announcement schedule
(`crawler.schedule`): a paper listed on day D was received in D's window, between the
14:00 US-Eastern cutoff of the previous listing day of the data and D's own cutoff (the
latest weekday before D); the papers of a day are spread evenly over that window in id
order. Its OAI datestamp is the announcement evening, D - 1.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading
from collections import defaultdict
from typing import Iterable, Optional

from crawler import schedule
from store.errors import BadInput
from store.files import read_json_lines
from store.paper import Paper

# what a revision may change: the fields arXiv's interfaces carry
REVISABLE = ("title", "abstract", "authors", "comment", "journal_ref")


class Archive:
    """The papers arXiv knows, by key; only those listed by `today` are announced."""

    def __init__(self, papers: Iterable[Paper], today: dt.date | str | None = None):
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
        self.set_today(today or (self.days[-1] if self.days else dt.date.today()))
        self.silent: set[dt.date] = set()      # listing days announced empty (`silence`)
        self.versions: dict[str, int] = {}     # key -> latest version, after a revision
        self.lock = threading.Lock()

    def set_today(self, day: dt.date | str) -> None:
        self.today = dt.date.fromisoformat(day) if isinstance(day, str) else day

    def silence(self, days: Iterable[dt.date | str]) -> None:
        """Make every interface answer as if nothing was announced on `days`."""
        with self.lock:
            self.silent |= {dt.date.fromisoformat(d) if isinstance(d, str) else d
                            for d in days}

    def revise(self, key: str, **fields) -> Paper:
        """A new version of paper `key` with `fields` changed (title, abstract, authors,
        comment, journal_ref), as its authors would post it; its listing day stays."""
        unknown = set(fields) - set(REVISABLE)
        if unknown or key not in self.papers:
            raise BadInput(f"cannot revise {key}: " + (f"unknown field(s) {sorted(unknown)}"
                                                      if unknown else "no such paper"),
                           field="revise")
        with self.lock:
            paper = dataclasses.replace(self.papers[key], **fields)
            self.papers[key] = paper
            for day, papers in self.by_day.items():
                self.by_day[day] = [paper if p.key == key else p for p in papers]
            self.versions[key] = self.versions.get(key, 1) + 1
        return paper

    def version(self, key: str) -> int:
        return self.versions.get(key, 1)

    def announced(self, key: str) -> bool:
        p = self.papers[key]
        if not p.date:
            return False
        day = dt.date.fromisoformat(p.date)
        return day <= self.today and day not in self.silent

    def listing(self, day: dt.date, categories: set[str]) -> list[Paper]:
        """The papers announced on listing `day` in any of `categories` (all when empty)."""
        if day in self.silent:
            return []
        return [p for p in sorted(self.by_day.get(day, []), key=lambda p: p.key)
                if not categories or categories & set(p.categories)]

    _CAT = re.compile(r"cat:([A-Za-z\-]+(?:\.[A-Za-z\-]+)?)")
    _DATE = re.compile(r"submittedDate:\s*\[\s*(\d{12})\s+TO\s+(\d{12})\s*\]")
    _SHAPE = re.compile(r"^\(?\s*cat:\S+?(\s+OR\s+cat:\S+?)*\s*\)?"
                        r"(\s+AND\s+submittedDate:\s*\[\s*\d{12}\s+TO\s+\d{12}\s*\])?$")

    def search(self, query: str) -> Optional[list[str]]:
        """Keys matching an export API ``search_query`` of ``cat:`` terms joined with OR,
        optionally AND ``submittedDate:[...]``, by submission time; None for any other
        query."""
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

    def harvest(self, lo: dt.date, hi: dt.date, set_spec: str) -> list[str]:
        """Keys of an OAI-PMH harvest of datestamps `lo`..`hi` in archive `set_spec`."""
        keys = []
        for day in self.days:
            stamp = day - dt.timedelta(days=1)
            if day > self.today or day in self.silent or not (lo <= stamp <= hi):
                continue
            for p in sorted(self.by_day[day], key=lambda p: p.key):
                if not set_spec or any(c.split(".")[0] == set_spec for c in p.categories):
                    keys.append(p.key)
        return keys


def load(paths: Iterable[str]) -> list[Paper]:
    """The papers of Paper JSONL files (gz or plain). A record with an ``id`` and arXiv's
    words on it (``comment``, ``journal_ref``) but no title, as in
    ``../shared/arxiv/comments.jsonl``, adds them to the paper of that id."""
    papers: dict[str, Paper] = {}
    words: dict[str, dict] = {}
    for path in paths:
        for line, obj in read_json_lines(path):
            if "title" not in obj and obj.get("id") and \
                    set(obj) <= {"id", "comment", "journal_ref"}:
                key = Paper(id=str(obj["id"]), title="-").key
                words.setdefault(key, {}).update(
                    {k: v for k, v in obj.items() if k != "id" and isinstance(v, str)})
                continue
            p = Paper.from_dict(obj, file=str(path), line=line)
            old = papers.get(p.key)
            if old is None or (not old.date and p.date):
                papers[p.key] = p
    for key, extra in words.items():
        if key in papers:
            papers[key] = dataclasses.replace(papers[key], **extra)
    return list(papers.values())
