"""The one data model of a paper, and its identity (arXiv id, normalised title).

Every part of opdlist passes `Paper` records: the crawler makes them, the classifier scores
them, the store keeps them. On disk a Paper is one JSON object per line (Paper JSONL, the
contract in DESIGN.md): ``id``, ``title``, ``abstract``, ``authors`` (list), optional
``categories``, ``date``, ``announce_type``, ``section``, ``label``, ``link``, and arXiv's own
words on the paper, ``comment`` and ``journal_ref`` (where the venue suggestion reads them).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any, Optional

from store.errors import BadInput

NEW_ID = re.compile(r"^(\d{4}\.\d{4,5})(?:v\d+)?$")
OLD_ID = re.compile(r"^([a-z][a-z-]*(?:\.[A-Za-z]{2})?/\d{7})(?:v\d+)?$")
_ARXIV_URL = re.compile(
    r"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/(.+?)(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)
_PREFIX = re.compile(r"^(?:arxiv:|oai:arxiv\.org:)", re.IGNORECASE)


def arxiv_id(text: str | None) -> Optional[str]:
    """The arXiv id without version in `text` (a bare id, ``arXiv:``/``oai:`` form or any
    arxiv.org abs/pdf/html link), or None when `text` names no arXiv paper."""
    if not text:
        return None
    s = text.strip()
    m = _ARXIV_URL.match(s)
    if m:
        s = m.group(1)
    s = _PREFIX.sub("", s)
    for pattern in (NEW_ID, OLD_ID):
        m = pattern.match(s)
        if m:
            return m.group(1)
    return None


def paper_key(id_or_link: str) -> str:
    """Identity of a paper: its arXiv id without version, else the URL itself."""
    return arxiv_id(id_or_link) or id_or_link.strip()


_LATEX_CMD = re.compile(r"\\[a-zA-Z]+\s*")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def strip_accents(text: str) -> str:
    """The text without its accents ("Ré-Ranking" -> "Re-Ranking")."""
    if text.isascii():      # most titles and abstracts: no accent to strip
        return text
    t = unicodedata.normalize("NFKD", text)
    return "".join(c for c in t if not unicodedata.combining(c))


def normalise_title(title: str) -> str:
    """A title reduced for duplicate detection: case, accents, LaTeX, punctuation, spacing."""
    t = _LATEX_CMD.sub(" ", strip_accents(title)).replace("$", " ")
    t = _NON_WORD.sub(" ", t.casefold())
    return " ".join(t.split())


def id_month(paper_id: str) -> Optional[str]:
    """``YYYY.MM`` of a new-style arXiv id (``2601.18734`` -> ``2026.01``), or of an old one."""
    m = re.match(r"^(?:[a-z-]+(?:\.[A-Za-z]{2})?/)?(\d{2})(\d{2})", paper_id or "")
    if not m:
        return None
    yy, mm = int(m.group(1)), m.group(2)
    year = 2000 + yy if yy < 91 else 1900 + yy
    return f"{year}.{mm}"


def clean_text(text: str | None) -> str:
    """Whitespace (and LaTeX line breaks ``\\\\``) collapsed to single spaces."""
    if not text:
        return ""
    return " ".join(text.replace("\\\\", " ").split())


class KnownPapers:
    """Papers already seen, by key (arXiv id without version, else URL) and by normalised
    title, so the same work under a new version, another id or as a blog post is known too."""

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.titles: set[str] = set()

    def add(self, key: str, title: str) -> None:
        self.keys.add(key)
        self.titles.add(normalise_title(title))

    def has(self, key: str, title: str) -> bool:
        """Known by key, or by a title with words in it (a title of punctuation alone,
        which normalises to nothing, names no paper)."""
        t = normalise_title(title)
        return key in self.keys or (bool(t) and t in self.titles)


@dataclass
class Paper:
    id: str
    title: str
    abstract: str = ""
    authors: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    date: str = ""                 # announcement day YYYY-MM-DD ("" when unknown)
    announce_type: str = ""        # new | cross (RSS); "" when unknown
    link: str = ""                 # where the paper lives when not on arXiv
    section: Optional[str] = None  # the list's section (training data, listed papers)
    label: Optional[int] = None    # 1 relevant, 0 rejected, None unknown
    comment: str = ""              # arXiv's author comment ("Accepted to ICLR 2026", ...)
    journal_ref: str = ""          # arXiv's journal reference, when the authors gave one

    @property
    def key(self) -> str:
        return paper_key(self.id)

    def to_dict(self) -> dict[str, Any]:
        """The Paper JSONL record: the four core fields always, the others when set (lists
        copied; `dataclasses.asdict` deep-copies every value, a tenth of saving a cache)."""
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        return {k: list(v) if isinstance(v, list) else v for k, v in d.items()
                if k in ("id", "title", "abstract", "authors") or v not in (None, "", [])}

    @classmethod
    def from_dict(cls, d: Any, *, file: str | None = None, line: int | None = None) -> "Paper":
        """A Paper from one decoded JSON record; BadInput naming file, line and field."""
        def bad(fld: str, msg: str) -> BadInput:
            return BadInput(msg, file=file, line=line, field=fld)

        if not isinstance(d, dict):
            raise bad("record", "not a JSON object")
        for fld in ("id", "title"):
            v = d.get(fld)
            if not isinstance(v, str) or not v.strip():
                raise bad(fld, "missing or empty")
        authors = d.get("authors") or []
        if isinstance(authors, str):
            authors = [a.strip() for a in authors.split(",") if a.strip()]
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            raise bad("authors", "must be a list of strings")
        cats = d.get("categories") or []
        if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
            raise bad("categories", "must be a list of strings")
        for fld in ("abstract", "date", "announce_type", "link", "section", "comment",
                    "journal_ref"):
            if d.get(fld) is not None and not isinstance(d.get(fld), str):
                raise bad(fld, "must be a string")
        label = d.get("label")
        if label is not None:
            if isinstance(label, bool) or label not in (0, 1):
                raise bad("label", "must be 0 or 1")
        raw_id = d["id"].strip()
        return cls(
            id=arxiv_id(raw_id) or raw_id,
            title=clean_text(d["title"]),
            abstract=clean_text(d.get("abstract")),
            authors=[clean_text(a) for a in authors],
            categories=list(cats),
            date=d.get("date") or "",
            announce_type=d.get("announce_type") or "",
            link=d.get("link") or "",
            section=d.get("section") or None,
            label=label,
            comment=clean_text(d.get("comment")),
            journal_ref=clean_text(d.get("journal_ref")),
        )
