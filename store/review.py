"""`review/candidates.yaml`: the candidates the maintainer approves or rejects.

Read and written with ruamel.yaml in round-trip mode, so the maintainer's comments, order and
edits survive every run. The shape is fixed by DESIGN.md::

    candidates:
      - id: "2601.07155"
        title: "..."
        authors: ["Ijun Jang", "Jewon Yeom"]     # or one string, rendered as written
        link: "https://arxiv.org/pdf/2601.07155"
        announced: "2026-01-13"
        score: 0.91
        section: "Teacher–Student–Based OPD"
        venue: "Arxiv2026"
        why: ["on-policy distillation", "student", "teacher"]
        abstract: "..."
        decision: ""                              # approve | reject | empty = undecided

Faults are found on YAML nodes built from the parser's events (libyaml's, when
ruamel.yaml.clib is installed), so each one names its line: tags that would build Python
objects (``!!python/...``) and any other non-standard tag, anchors and aliases (a maintainer
never needs them; alias expansion is the "billion laughs" attack), nesting deeper than
`MAX_DEPTH`, files over `MAX_BYTES`, characters YAML forbids, unknown keys. Reading never
builds the round-trip document: merge removes decided candidates from the text itself and
daily appends to it, so a 1,000-candidate file loads and merges in well under a second and
every byte the maintainer wrote elsewhere stays as it was. The round-trip document
(`ReviewFile.data`) is built only when a command edits fields in place (`opdlist review`).
"""
from __future__ import annotations

import difflib
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Q

from store.errors import BadInput
from store.paper import Paper, arxiv_id, id_month

HEADER = """\
# Candidates for the On-Policy Distillation list, written by `opdlist daily`.
# For each one set `decision: approve` or `decision: reject` (leave it empty to decide later);
# change `section`, `venue`, `title` or `authors` if needed, then run `opdlist merge`.
# `score` is the classifier's probability that the paper belongs in the list; `why` lists the
# terms that drove it. A comment you write on a candidate (e.g. after its decision) is kept
# with the decision, as its `note` in state/decisions.jsonl.
"""

try:                                   # libyaml's parser: ~50x faster than the pure one
    from _ruamel_yaml import CParser
except ImportError:                    # pragma: no cover - ruamel.yaml.clib not installed
    CParser = None

log = logging.getLogger("opdlist")

_STD_TAGS = {"tag:yaml.org,2002:" + t for t in
             ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")}
_NULL, _STR = "tag:yaml.org,2002:null", "tag:yaml.org,2002:str"
_NULLS = ("", "~", "null", "Null", "NULL")
DECISIONS = ("approve", "reject")
MAX_BYTES = 10 * 2 ** 20   # ~5,000 candidates with abstracts
MAX_DEPTH = 16             # the file needs 4: the file, candidates, a candidate, its authors
# YAML's printable characters (YAML 1.2, 5.1); anything else is refused with its line
_FORBIDDEN = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD"
                        "\U00010000-\U0010FFFF]")
# the fields of a candidate: DESIGN.md's shape and what the team's tools add
_SCALAR_FIELDS = ("id", "title", "link", "announced", "score", "section", "venue", "abstract",
                  "decision", "date")
_OPTIONAL_SCALARS = ("like", "section_alternative", "note")
FIELDS = ("id", "title", "authors", "link", "announced", "score", "section", "venue", "why",
          "abstract", "decision", "date", "like", "section_alternative", "categories", "note",
          "notes", "comment")

@dataclass
class Candidate:
    paper: Paper
    score: Optional[float] = None
    section: str = ""
    venue: str = ""
    why: list[str] = field(default_factory=list)
    announced: str = ""
    decision: str = ""                     # approve | reject | ""
    authors_text: Optional[str] = None     # authors given as one string: rendered as written
    date: str = ""                         # YYYY.MM override (entries without an arXiv id)
    note: str = ""                         # the maintainer's comments on it, joined
    section_alternative: str = ""          # runner-up section when the model is unsure
    like: str = ""                         # closest listed paper: "Title (id)"
    line: int = 0                          # line of the item in the file
    lines: dict[str, int] = field(default_factory=dict)   # line of each field

    def line_of(self, name: str) -> int:
        return self.lines.get(name, self.line)

    def to_yaml(self) -> CommentedMap:
        p = self.paper
        m = CommentedMap()
        m["id"] = Q(p.id)
        m["title"] = Q(p.title)
        if self.authors_text is not None:      # one line, rendered as written
            m["authors"] = Q(self.authors_text)
        else:
            authors = CommentedSeq(Q(a) for a in p.authors)
            authors.fa.set_flow_style()
            m["authors"] = authors
        m["link"] = Q(p.link or (f"https://arxiv.org/pdf/{p.id}" if arxiv_id(p.id) else ""))
        m["announced"] = Q(self.announced or p.date)
        m["score"] = round(float(self.score or 0.0), 3)
        m["section"] = Q(self.section)
        if self.section_alternative:
            m["section_alternative"] = Q(self.section_alternative)
        m["venue"] = Q(self.venue)
        why = CommentedSeq(Q(w) for w in self.why)
        why.fa.set_flow_style()
        m["why"] = why
        if self.like:
            m["like"] = Q(self.like)
        m["abstract"] = Q(p.abstract)
        m["decision"] = Q("")
        return m

def default_venue(paper_id: str) -> str:
    month = id_month(paper_id) if arxiv_id(paper_id) else None
    return f"Arxiv{month[:4]}" if month else ""

class ReviewFile:
    """The review file: its candidates, and its text, edited in place.

    `remove` and `append` edit the text (`layout` says which lines each candidate spans);
    `data`, the ruamel.yaml round-trip document, is built on first use, after which edits go
    through it and `dump` serialises it."""

    def __init__(self, path: Path, data: Optional[CommentedMap] = None,
                 candidates: Optional[list[Candidate]] = None, *, text: str = "",
                 layout: Optional["_Layout"] = None):
        self.path = Path(path)
        self._data = data
        self.candidates = candidates if candidates is not None else []
        self.text = text
        self.layout = layout if data is None else None
        self.warnings: list[str] = []

    @property
    def data(self) -> CommentedMap:
        if self._data is None:
            loaded = _yaml().load(self.text) if self.text.strip() else None
            self._data = loaded if isinstance(loaded, CommentedMap) else CommentedMap()
            self.layout = None
        return self._data

    def keys(self) -> set[str]:
        return {c.paper.key for c in self.candidates}

    def append(self, new: list[Candidate]) -> None:
        if not new:
            return
        if self._data is None and self.layout is not None and self.layout.items:
            self.text = self.layout.append(self.text, [c.to_yaml() for c in new])
            self.candidates.extend(new)
            return
        seq = self.data.get("candidates")
        if not isinstance(seq, list) or not seq:     # a fresh block list, not "[]" in flow style
            seq = CommentedSeq()
            self.data["candidates"] = seq
        for c in new:
            seq.append(c.to_yaml())
            self.candidates.append(c)

    def remove(self, decided: list[Candidate]) -> None:
        """Drop the given candidates (decided ones) from the file, keeping everything else."""
        gone = {id(c) for c in decided}
        keep = [i for i, c in enumerate(self.candidates) if id(c) not in gone]
        if len(keep) == len(self.candidates):
            return
        if self._data is None and self.layout is not None:
            self.text = self.layout.remove(self.text, set(range(len(self.candidates))) -
                                           set(keep))
        else:
            seq = self.data.get("candidates")
            if isinstance(seq, list):
                for i in reversed(range(len(self.candidates))):
                    if i not in keep:
                        del seq[i]
        self.candidates = [self.candidates[i] for i in keep]

    def dump(self) -> str:
        if self._data is None and self.text.strip():
            text = self.text
        else:
            buf = io.StringIO()
            _yaml().dump(self.data, buf)
            text = buf.getvalue()
        return text if text.startswith("#") else HEADER + text


@dataclass
class _Layout:
    """Where the block sequence of candidates sits in the text: the column of its dashes,
    the first line of each item (0-based) and the line where the sequence ends."""
    column: int
    items: list[int]
    end: int

    def remove(self, text: str, drop: set[int]) -> str:
        lines = text.splitlines(keepends=True)
        bounds = self.items + [self.end]
        out = lines[:self.items[0]]
        kept = []
        for i, start in enumerate(self.items):
            if i not in drop:
                kept.append(len(out))
                out += lines[start:bounds[i + 1]]
            else:       # comment lines at the dashes' column after it are the next one's
                out += _comments_above_next(lines[start:bounds[i + 1]], self.column)
        out += lines[self.end:]
        if not kept:        # the last one went: an empty list, still a valid review file
            key = self.items[0] - 1
            while key >= 0 and not re.match(r"^candidates:\s*(#.*)?$", out[key]):
                key -= 1
            if key >= 0:
                out[key] = "candidates: []\n"
        shift = len(lines) - len(out)
        self.items, self.end = kept, self.end - shift
        return "".join(out)

    def append(self, text: str, items: list[CommentedMap]) -> str:
        seq = CommentedSeq(items)
        buf = io.StringIO()
        _yaml().dump(CommentedMap([("candidates", seq)]), buf)
        new = buf.getvalue().splitlines(keepends=True)[1:]        # without "candidates:"
        shift = self.column - 2
        new = [(" " * shift + ln) if shift >= 0 else ln[-shift:] for ln in new]
        lines = text.splitlines(keepends=True)
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
        at = min(self.end, len(lines))
        firsts = [at + i for i, ln in enumerate(new) if ln.lstrip().startswith("- ")
                  and len(ln) - len(ln.lstrip()) == self.column]
        self.items += firsts
        self.end = at + len(new)
        return "".join(lines[:at] + new + lines[at:])


def _comments_above_next(span: list[str], column: int) -> list[str]:
    """The comment lines that end an item's lines and are indented no deeper than the
    sequence's dashes: written above the next item, so not removed with this one."""
    tail = []
    for line in reversed(span[1:]):
        stripped = line.strip()
        if stripped and not (stripped.startswith("#") and
                             len(line) - len(line.lstrip()) <= column):
            break
        tail.insert(0, line)
    while tail and not tail[0].strip():
        tail.pop(0)
    return tail


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 100
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True
    return y

class Node:
    """A YAML node with the marks of where it stands (lighter than ruamel.yaml's nodes)."""
    __slots__ = ("tag", "value", "start_mark", "end_mark", "flow_style", "style")

    def __init__(self, tag, value, start_mark, end_mark, flow_style=None, style=None):
        self.tag, self.value, self.start_mark, self.end_mark = tag, value, start_mark, end_mark
        self.flow_style, self.style = flow_style, style


class ScalarNode(Node):
    __slots__ = ()


class SequenceNode(Node):
    __slots__ = ()


class MappingNode(Node):
    __slots__ = ()


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _events(text: str) -> Iterator:
    if CParser is not None:
        parser = CParser(io.StringIO(text))
        try:
            while True:
                event = parser.get_event()
                yield event
                if type(event).__name__ == "StreamEndEvent":
                    return
        finally:
            parser.dispose()
    else:
        yield from YAML(typ="rt", pure=True).parse(text)


def _compose(text: str, path: str) -> Optional[Node]:
    """The document's node tree, built from the parser's events without recursion; refuses
    anchors and aliases, non-standard tags, nesting deeper than MAX_DEPTH and a second
    document, each with its line."""
    stack: list[Node] = []
    root: Optional[Node] = None
    documents = 0
    for e in _events(text):
        kind = type(e).__name__
        line = e.start_mark.line + 1
        if kind == "DocumentStartEvent":
            documents += 1
            if documents > 1:
                raise BadInput("a second YAML document ('---'); the review file is one",
                               file=path, line=line)
            continue
        if kind in ("StreamStartEvent", "StreamEndEvent", "DocumentEndEvent"):
            continue
        if kind == "AliasEvent" or getattr(e, "anchor", None):
            raise BadInput("YAML anchors and aliases (&name, *name) are not allowed in the "
                           "review file; write each value out", file=path, line=line)
        if kind in ("SequenceEndEvent", "MappingEndEvent"):
            done = stack.pop()
            done.end_mark = e.end_mark
            continue
        ctag = getattr(e, "ctag", None)       # the str of a Tag costs a URI decode
        tag = None if ctag is None else str(e.tag)
        if tag is not None and tag not in _STD_TAGS:
            raise BadInput(f"tag '{tag}' is not allowed in the review file (plain YAML only)",
                           file=path, line=line)
        if kind == "ScalarEvent":
            plain = e.style in (None, "") and (e.implicit is True or
                                               (isinstance(e.implicit, tuple) and e.implicit[0]))
            tag = tag or (_NULL if plain and e.value in _NULLS else _STR)
            node = ScalarNode(tag, e.value, e.start_mark, e.end_mark, style=e.style)
        elif kind == "SequenceStartEvent":
            node = SequenceNode(tag or "tag:yaml.org,2002:seq", [], e.start_mark, None,
                                flow_style=e.flow_style)
        else:
            node = MappingNode(tag or "tag:yaml.org,2002:map", [], e.start_mark, None,
                               flow_style=e.flow_style)
        if stack:
            parent = stack[-1]
            if isinstance(parent, SequenceNode):
                parent.value.append(node)
            elif parent.value and parent.value[-1][1] is None:
                parent.value[-1] = (parent.value[-1][0], node)
            else:
                parent.value.append((node, None))
        else:
            root = node
        if kind != "ScalarEvent":
            stack.append(node)
            if len(stack) > MAX_DEPTH:
                raise BadInput(f"nested deeper than {MAX_DEPTH} levels; a review file needs 4",
                               file=path, line=line)
    return root


def _layout(text: str, seq: SequenceNode) -> Optional[_Layout]:
    """Where each candidate of a block sequence starts, for editing the text in place; None
    when the layout is unusual (a flow list), so edits go through the round-trip document."""
    if seq.flow_style or not seq.value or seq.end_mark is None or \
            not all(isinstance(n, MappingNode) and not n.flow_style for n in seq.value):
        return None
    lines = text.splitlines()
    col = seq.start_mark.column
    starts, low = [], seq.start_mark.line
    for item in seq.value:
        j = item.start_mark.line
        while j >= low and not (lines[j][col:col + 1] == "-" and not lines[j][:col].strip()):
            j -= 1
        if j < low or (starts and j <= starts[-1]):
            return None
        starts.append(j)
        low = j + 1
    end = seq.end_mark.line + (1 if seq.end_mark.column > 0 else 0)
    return _Layout(col, starts, max(end, starts[-1] + 1))


def _scalar(node: Node, name: str, path: str) -> str:
    if not isinstance(node, ScalarNode):
        raise BadInput("must be a single value", file=path, line=_line(node), field=name)
    return "" if node.tag.endswith(":null") else str(node.value).strip()

def _candidate(node: Node, path: str, warnings: list) -> Candidate:
    if not isinstance(node, MappingNode):
        raise BadInput("a candidate must be a mapping of fields (id, title, ...)", file=path,
                       line=_line(node))
    raw: dict[str, Node] = {}
    lines: dict[str, int] = {}
    for k, v in node.value:
        name = _scalar(k, "field", path)
        if name in raw:
            raise BadInput(f"field '{name}' appears twice in this candidate (also on line "
                           f"{lines[name]})", file=path, line=_line(k), field=name)
        if name not in FIELDS:
            close = difflib.get_close_matches(name, FIELDS, n=1, cutoff=0.75)
            if close:     # a typo: `decison: approve` must not pass as undecided
                raise BadInput(f"unknown field '{name}'; did you mean '{close[0]}'?",
                               file=path, line=_line(k), field=name)
            warnings.append(BadInput(f"unknown field '{name}' is ignored (fields: "
                                     f"{', '.join(FIELDS[:11])})", file=path, line=_line(k),
                                     field=name))
        raw[name] = v
        lines[name] = _line(v)
    s = {name: _scalar(v, name, path) for name, v in raw.items()
         if name in _SCALAR_FIELDS or (name in _OPTIONAL_SCALARS and isinstance(v, ScalarNode))}

    authors_node = raw.get("authors")
    authors: list[str] = []
    authors_text = None
    if isinstance(authors_node, SequenceNode):
        authors = [_scalar(a, "authors", path) for a in authors_node.value]
        authors = [a for a in authors if a]
    elif authors_node is not None:
        authors_text = _scalar(authors_node, "authors", path) or None
        authors = [authors_text] if authors_text else []
    why_node = raw.get("why")
    why = [_scalar(w, "why", path) for w in why_node.value] \
        if isinstance(why_node, SequenceNode) else \
        ([_scalar(why_node, "why", path)] if why_node is not None else [])
    why = [w for w in why if w]

    decision = s.get("decision", "").lower()
    if decision not in ("",) + DECISIONS:
        raise BadInput(f"decision must be approve, reject or empty, not '{s['decision']}'",
                       file=path, line=lines["decision"], field="decision")
    score = None
    if s.get("score"):
        try:
            score = float(s["score"])
        except ValueError:
            raise BadInput(f"score must be a number, not '{s['score']}'", file=path,
                           line=lines["score"], field="score") from None
    pid = arxiv_id(s.get("id", "")) or arxiv_id(s.get("link", "")) or s.get("id") \
        or s.get("link", "")
    paper = Paper(id=pid, title=" ".join(s.get("title", "").split()), abstract=s.get("abstract", ""),
                  authors=authors, date=s.get("announced", ""), link=s.get("link", ""),
                  section=s.get("section") or None)
    return Candidate(paper=paper, score=score, section=s.get("section", ""),
                     venue=s.get("venue", ""), why=why, announced=s.get("announced", ""),
                     decision=decision, authors_text=authors_text, date=s.get("date", ""),
                     section_alternative=s.get("section_alternative", ""),
                     like=s.get("like", ""), line=_line(node), lines=lines)

def read_review(path: Path) -> ReviewFile:
    """The review file, validated as a whole (BadInput with the line of the first fault).
    A missing or empty file is an empty review."""
    path = Path(path)
    shown = str(path)
    if not path.exists():
        return ReviewFile(path, CommentedMap(), [])
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise BadInput(f"the file is {size / 2 ** 20:.1f} MB; a review file may hold "
                       f"{MAX_BYTES // 2 ** 20} MB (about 5,000 candidates): decide or delete "
                       "candidates, then run again", file=shown)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadInput("not valid UTF-8", file=shown, line=raw[:e.start].count(b"\n") + 1) \
            from None
    bad = _FORBIDDEN.search(text)
    if bad:
        before = text[:bad.start()]
        raise BadInput(f"control character U+{ord(bad.group()):04X} at column "
                       f"{bad.start() - before.rfind(chr(10))} is not allowed in YAML; delete it "
                       "(or write it as an escape such as \\t inside double quotes)",
                       file=shown, line=before.count("\n") + 1)
    try:
        root = _compose(text, shown)
    except MarkedYAMLError as e:
        # an unterminated quote or bracket is found at the end of the file: its start is
        # the line the maintainer must fix
        at_end = "end of stream" in (e.problem or "") and e.context_mark is not None
        mark = e.context_mark if at_end else (e.problem_mark or e.context_mark)
        what = "; ".join(x for x in (e.context, e.problem) if x)
        raise BadInput(f"not valid YAML ({what})", file=shown,
                       line=mark.line + 1 if mark else None) from None
    except YAMLError as e:
        raise BadInput(f"not valid YAML: {e}", file=shown) from None
    if root is None or (isinstance(root, ScalarNode) and root.tag == _NULL):
        return ReviewFile(path, None, [], text=text)
    if not isinstance(root, MappingNode):
        raise BadInput("the review file must be a mapping with a 'candidates' list", file=shown,
                       line=_line(root))
    cands_node = None
    for k, v in root.value:
        name = _scalar(k, "key", shown)
        if name != "candidates":
            raise BadInput(f"unknown top-level key '{name}'; the review file holds only "
                           "'candidates:' (a comment starts with '#')", file=shown,
                           line=_line(k), field=name)
        if cands_node is not None:
            raise BadInput("'candidates' appears twice", file=shown, line=_line(k))
        cands_node = v
    if cands_node is None or (isinstance(cands_node, ScalarNode) and cands_node.tag == _NULL):
        return ReviewFile(path, None, [], text=text)
    if not isinstance(cands_node, SequenceNode):
        raise BadInput("'candidates' must be a list", file=shown, line=_line(cands_node),
                       field="candidates")
    warnings: list[BadInput] = []
    candidates = [_candidate(n, shown, warnings) for n in cands_node.value]
    review = ReviewFile(path, None, candidates, text=text, layout=_layout(text, cands_node))
    _attach_notes(review)
    seen = set()
    for w in warnings:
        if w.field not in seen:
            seen.add(w.field)
            review.warnings.append(str(w))
            log.warning("%s", w)
    return review


def _attach_notes(review: ReviewFile) -> None:
    """The maintainer's comments on each decided candidate (its `note`, kept with the
    decision). Only the text of decided candidates that hold a '#' is read as round-trip
    YAML, so a large file of undecided candidates costs nothing here."""
    decided = [i for i, c in enumerate(review.candidates) if c.decision]
    if not decided:
        return
    if review.layout is None:
        items = review.data.get("candidates") or []
        for i in decided:
            if i < len(items):
                review.candidates[i].note = comment_note(items[i])
        return
    lines = review.text.splitlines(keepends=True)
    bounds = review.layout.items + [review.layout.end]
    spans = {i: "".join(lines[bounds[i]:bounds[i + 1]]) for i in decided}
    commented = [i for i in decided if "#" in spans[i]]
    if not commented:
        return
    fragment = "candidates:\n" + "".join(spans[i] if spans[i].endswith("\n") else spans[i] + "\n"
                                         for i in commented)
    for i, item in zip(commented, _yaml().load(fragment)["candidates"]):
        review.candidates[i].note = comment_note(item)


def comment_note(item) -> str:
    """The comments the maintainer wrote on one candidate (at the end of its lines or on lines
    of their own among its fields), '; '-joined without the '#'. ruamel.yaml files a comment
    under the field before it, so comment lines indented less than the fields (written above
    the next candidate) are not this candidate's."""
    if not isinstance(item, CommentedMap):
        return ""
    col = item.lc.col or 0
    notes = []

    def tokens(x):
        if isinstance(x, list):
            for y in x:
                yield from tokens(y)
        elif x is not None and hasattr(x, "value"):
            yield x

    for token in tokens(list(item.ca.items.values())):
        for n, line in enumerate(str(token.value).split("\n")):
            if n > 0 and line.strip() and len(line) - len(line.lstrip()) < col:
                break           # above the next candidate
            text = line.strip()
            if text.startswith("#") and text.lstrip("#").strip():
                notes.append(text.lstrip("#").strip())
    return "; ".join(notes)
