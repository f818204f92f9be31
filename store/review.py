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

Faults are found on the composed YAML nodes, so each one names its line; tags that would
build Python objects (``!!python/...``) and any other non-standard tag are refused.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Q

from store.errors import BadInput
from store.paper import Paper, arxiv_id, id_month
from store.readme import VENUE

HEADER = """\
# Candidates for the On-Policy Distillation list, written by `opdlist daily`.
# For each one set `decision: approve` or `decision: reject` (leave it empty to decide later);
# change `section`, `venue`, `title` or `authors` if needed, then run `opdlist merge`.
# `score` is the classifier's probability that the paper belongs in the list; `why` lists the
# terms that drove it. A comment you write on a candidate (e.g. after its decision) is kept
# with the decision, as its `note` in state/decisions.jsonl.
"""

_STD_TAGS = {"tag:yaml.org,2002:" + t for t in
             ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")}
DECISIONS = ("approve", "reject")

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

@dataclass
class ReviewFile:
    path: Path
    data: CommentedMap
    candidates: list[Candidate]

    def keys(self) -> set[str]:
        return {c.paper.key for c in self.candidates}

    def append(self, new: list[Candidate]) -> None:
        seq = self.data.get("candidates")
        if not isinstance(seq, list):
            seq = CommentedSeq()
            self.data["candidates"] = seq
        for c in new:
            seq.append(c.to_yaml())
            self.candidates.append(c)

    def remove(self, decided: list[Candidate]) -> None:
        """Drop the given candidates (decided ones) from the file, keeping everything else."""
        gone = {id(c) for c in decided}
        seq = self.data.get("candidates")
        keep = [i for i, c in enumerate(self.candidates) if id(c) not in gone]
        if isinstance(seq, list):
            for i in reversed(range(len(self.candidates))):
                if i not in keep:
                    del seq[i]
        self.candidates = [self.candidates[i] for i in keep]

    def dump(self) -> str:
        buf = io.StringIO()
        _yaml().dump(self.data, buf)
        text = buf.getvalue()
        return text if text.startswith("#") else HEADER + text

def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.width = 100
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True
    return y

def _line(node: Node) -> int:
    return node.start_mark.line + 1

def _check_tags(node: Node, path: str) -> None:
    if node.tag not in _STD_TAGS:
        raise BadInput(f"tag '{node.tag}' is not allowed in the review file (plain YAML only)",
                       file=path, line=_line(node))
    if isinstance(node, MappingNode):
        for k, v in node.value:
            _check_tags(k, path)
            _check_tags(v, path)
    elif isinstance(node, SequenceNode):
        for v in node.value:
            _check_tags(v, path)

def _scalar(node: Node, name: str, path: str) -> str:
    if not isinstance(node, ScalarNode):
        raise BadInput("must be a single value", file=path, line=_line(node), field=name)
    return "" if node.tag.endswith(":null") else str(node.value).strip()

def _candidate(node: Node, path: str) -> Candidate:
    if not isinstance(node, MappingNode):
        raise BadInput("a candidate must be a mapping of fields (id, title, ...)", file=path,
                       line=_line(node))
    raw: dict[str, Node] = {}
    lines: dict[str, int] = {}
    for k, v in node.value:
        name = _scalar(k, "field", path)
        raw[name] = v
        lines[name] = _line(v)
    s = {name: _scalar(v, name, path) for name, v in raw.items()
         if name not in ("authors", "why")}

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
        if isinstance(why_node, SequenceNode) else []

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
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadInput("not valid UTF-8", file=shown,
                       line=path.read_bytes()[:e.start].count(b"\n") + 1) from None
    try:
        root = _yaml().compose(text)
        if root is not None:
            _check_tags(root, shown)
        data = _yaml().load(text) if root is not None else CommentedMap()
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
    if root is None:
        return ReviewFile(path, CommentedMap(), [])
    if not isinstance(root, MappingNode):
        raise BadInput("the review file must be a mapping with a 'candidates' list", file=shown,
                       line=_line(root))
    cands_node = next((v for k, v in root.value if k.value == "candidates"), None)
    if cands_node is None or (isinstance(cands_node, ScalarNode) and cands_node.tag.endswith(":null")):
        return ReviewFile(path, data, [])
    if not isinstance(cands_node, SequenceNode):
        raise BadInput("'candidates' must be a list", file=shown, line=_line(cands_node),
                       field="candidates")
    candidates = [_candidate(n, shown) for n in cands_node.value]
    for c, item in zip(candidates, data["candidates"]):
        c.note = comment_note(item)
    return ReviewFile(path, data, candidates)


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
