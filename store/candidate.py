"""A candidate of the review file (`review/candidates.yaml`), defined once.

The fields of `Candidate`, in order, are the fields of the file: each one's `metadata` says
its kind (how it is read and written) and whether `daily` writes it always, only when it has
a value, or never (a field the maintainer may add). The YAML writer (`Candidate.to_yaml`), the
reader with its line-numbered errors (`Candidate.from_node`) and the list of known fields
(`FIELDS`) all come from this one definition: a new field is one line here.

Kinds:
- ``text``: one string (a YAML null reads as "").
- ``texts``: a list of strings, in flow style (one string reads as a list of one).
- ``authors``: a list of names, or one string the maintainer wrote ("LLM-Core Xiaomi"),
  rendered into the list as written.
- ``number``: a float (the score), written with three decimals.

An update of a listed entry (`update`, from `opdlist refresh`) has no score and no why: those
fields are written when set.
- ``decision``: approve | reject | "" (either case on reading).
- ``paper``: a listed paper, ``{id: ..., title: ...}`` (`like`); the older one-line form
  ``"Title (id)"`` reads too.
"""
from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Optional

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Q

from store.errors import BadInput
from store.paper import Paper, arxiv_id, id_month
from store.yamlnodes import MappingNode, Node, SequenceNode, line_of, scalar

DECISIONS = ("approve", "reject")
ALWAYS, IF_SET, NEVER = "always", "if set", "never"      # when `daily` writes a field


def _f(kind: str, written: str = ALWAYS, default: Any = "", help: str = "") -> Any:
    meta = {"kind": kind, "written": written, "help": help}
    if isinstance(default, list):
        return field(default_factory=list, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class Like:
    """The listed paper a candidate is closest to."""
    id: str
    title: str

    def __str__(self) -> str:
        return f"{' '.join(self.title.split())} ({self.id})"


@dataclass
class Candidate:
    id: str = _f("text", help="arXiv id (or empty, with a link)")
    title: str = _f("text")
    authors: Any = _f("authors", default=[])
    link: str = _f("text")
    announced: str = _f("text", help="listing day YYYY-MM-DD")
    score: Optional[float] = _f("number", IF_SET, default=None)
    section: str = _f("text", help="suggested; the maintainer may change it")
    section_alternative: str = _f("text", IF_SET, help="runner-up when the model is unsure")
    venue: str = _f("text", help="badge, e.g. ICLR2026")
    source: str = _f("text", IF_SET, help="arXiv's words behind the venue or the update")
    why: list = _f("texts", IF_SET, default=[])
    like: Optional[Like] = _f("paper", IF_SET, default=None)
    abstract: str = _f("text")
    update: str = _f("text", IF_SET, help="venue | title | withdrawn: an update of a listed entry")
    was: str = _f("text", IF_SET, help="what the listed entry says now (an update)")
    decision: str = _f("decision", help="approve | reject | empty = undecided")
    date: str = _f("text", NEVER, help="YYYY.MM, for an entry without an arXiv id")
    categories: list = _f("texts", NEVER, default=[])
    note: str = _f("text", NEVER, help="the maintainer's reason (comments join it)")
    # where it stands in the file read (not fields of the file)
    line: int = field(default=0, compare=False, metadata={"kind": None})
    lines: dict = field(default_factory=dict, compare=False, metadata={"kind": None})

    # ---- the paper behind it ---------------------------------------------------------------
    @classmethod
    def of(cls, paper: Paper, **fields) -> "Candidate":
        """A candidate for `paper`, its other fields as given."""
        link = paper.link or (f"https://arxiv.org/pdf/{paper.id}" if arxiv_id(paper.id) else "")
        base = dict(id=paper.id, title=paper.title, authors=list(paper.authors), link=link,
                    announced=paper.date, abstract=paper.abstract,
                    categories=list(paper.categories))
        return cls(**{**base, **fields})

    @property
    def authors_text(self) -> Optional[str]:
        """The authors as one string the maintainer wrote (rendered as written), or None."""
        return self.authors if isinstance(self.authors, str) else None

    @property
    def author_list(self) -> list[str]:
        return [self.authors] if isinstance(self.authors, str) else list(self.authors)

    @property
    def paper(self) -> Paper:
        """The paper as the file describes it now (a new object each time)."""
        pid = arxiv_id(self.id) or arxiv_id(self.link) or self.id or self.link
        return Paper(id=pid, title=" ".join(self.title.split()), abstract=self.abstract,
                     authors=self.author_list, categories=list(self.categories),
                     date=self.announced, link=self.link, section=self.section or None)

    @property
    def key(self) -> str:
        return self.paper.key

    @property
    def ref(self) -> str:
        """What names this candidate in the file: its key, and the kind of an update (a
        listed paper may have a venue and a title update waiting at once)."""
        return f"{self.key}:{self.update}" if self.update else self.key

    def change(self) -> str:
        """What an update of a listed entry changes, in words ("" for a new candidate)."""
        if self.update == "venue":
            return f"venue {self.was or '?'} -> {self.venue}"
        if self.update == "title":
            return f"title -> '{self.title}' (was '{self.was}')"
        if self.update == "withdrawn":
            return "withdrawn on arXiv: out of the list"
        return ""

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)

    # ---- writing ---------------------------------------------------------------------------
    def to_yaml(self) -> CommentedMap:
        """The candidate as `daily` writes it: every ALWAYS field, the IF_SET ones that have
        a value, the decision empty."""
        m = CommentedMap()
        for f in dataclasses.fields(self):
            kind, written = f.metadata.get("kind"), f.metadata.get("written")
            value = getattr(self, f.name)
            if kind is None or written == NEVER or (written == IF_SET and
                                                    value in (None, "", [])):
                continue
            m[f.name] = _WRITE[kind](self, value)
        return m

    # ---- reading ---------------------------------------------------------------------------
    @classmethod
    def from_node(cls, node: Node, path: str, warnings: list) -> "Candidate":
        """The candidate of one YAML mapping; BadInput naming the line and field of a fault,
        a warning for an unknown field (an error when it looks like a known one misspelt)."""
        if not isinstance(node, MappingNode):
            raise BadInput("a candidate must be a mapping of fields (id, title, ...)",
                           file=path, line=line_of(node))
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for k, v in node.value:
            name = scalar(k, "field", path)
            if name in lines:
                raise BadInput(f"field '{name}' appears twice in this candidate (also on line "
                               f"{lines[name]})", file=path, line=line_of(k), field=name)
            lines[name] = line_of(v)
            if name not in _KIND:
                close = difflib.get_close_matches(name, FIELDS, n=1, cutoff=0.75)
                if close:     # a typo: `decison: approve` must not pass as undecided
                    raise BadInput(f"unknown field '{name}'; did you mean '{close[0]}'?",
                                   file=path, line=line_of(k), field=name)
                warnings.append(BadInput(f"unknown field '{name}' is ignored (fields: "
                                         f"{', '.join(WRITTEN)})", file=path, line=line_of(k),
                                         field=name))
                continue
            values[name] = _READ[_KIND[name]](v, name, path)
        return cls(**values, line=line_of(node), lines=lines)


# ---- the kinds ---------------------------------------------------------------------------------

def _flow(items) -> CommentedSeq:
    seq = CommentedSeq(Q(x) for x in items)
    seq.fa.set_flow_style()
    return seq


def _write_like(c: Candidate, like: Like) -> CommentedMap:
    m = CommentedMap([("id", Q(like.id)), ("title", Q(" ".join(like.title.split())))])
    m.fa.set_flow_style()
    return m


_WRITE = {
    "text": lambda c, v: Q(v),
    "texts": lambda c, v: _flow(v),
    "authors": lambda c, v: Q(v) if isinstance(v, str) else _flow(v),
    "number": lambda c, v: round(float(v or 0.0), 3),
    "decision": lambda c, v: Q(""),
    "paper": _write_like,
}


def _read_texts(node: Node, name: str, path: str) -> list[str]:
    if isinstance(node, SequenceNode):
        items = [scalar(x, name, path) for x in node.value]
    else:
        items = [scalar(node, name, path)]
    return [x for x in items if x]


def _read_authors(node: Node, name: str, path: str):
    if isinstance(node, SequenceNode):
        return _read_texts(node, name, path)
    return scalar(node, name, path) or []


def _read_number(node: Node, name: str, path: str) -> Optional[float]:
    text = scalar(node, name, path)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise BadInput(f"must be a number, not '{text}'", file=path, line=line_of(node),
                       field=name) from None


def _read_decision(node: Node, name: str, path: str) -> str:
    text = scalar(node, name, path)
    if text.lower() not in ("",) + DECISIONS:
        raise BadInput(f"must be approve, reject or empty, not '{text}'", file=path,
                       line=line_of(node), field=name)
    return text.lower()


_LIKE_LINE = re.compile(r"^(?P<title>.*\S)\s+\((?P<id>[^()\s]+)\)$")


def _read_like(node: Node, name: str, path: str) -> Optional[Like]:
    if isinstance(node, MappingNode):
        got = {scalar(k, name, path): scalar(v, name, path) for k, v in node.value}
        if not got.get("id") and not got.get("title"):
            return None
        return Like(got.get("id", ""), got.get("title", ""))
    text = scalar(node, name, path)
    m = _LIKE_LINE.match(text)
    return Like(m.group("id"), m.group("title")) if m else (Like("", text) if text else None)


_READ = {"text": scalar, "texts": _read_texts, "authors": _read_authors,
         "number": _read_number, "decision": _read_decision, "paper": _read_like}
_KIND = {f.name: f.metadata["kind"] for f in dataclasses.fields(Candidate)
         if f.metadata.get("kind")}
FIELDS = tuple(_KIND)
WRITTEN = tuple(f.name for f in dataclasses.fields(Candidate)
                if f.metadata.get("kind") and f.metadata["written"] != NEVER)


def default_venue(paper_id: str) -> str:
    """The badge of a paper whose venue nobody stated: Arxiv<year of its id>."""
    month = id_month(paper_id) if arxiv_id(paper_id) else None
    return f"Arxiv{month[:4]}" if month else ""
