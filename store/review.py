"""`review/candidates.yaml`: the candidates the maintainer approves or rejects.

Written by `daily`, edited by the maintainer (or `opdlist review`, `opdlist decide`), consumed
by `merge`. A candidate's fields are defined once, in store/candidate.py (`Candidate`); the
file's YAML is read safely by store/yamlnodes.py, so every fault names its line (files over
`MAX_BYTES`, characters YAML forbids, unknown keys, and what yamlnodes refuses).

Reading never builds ruamel.yaml's round-trip document: merge removes decided candidates
from the text itself and daily appends to it (`_Layout`), so a 1,000-candidate file loads and
merges in well under a second and every byte the maintainer wrote elsewhere stays as it was.
The round-trip document (`ReviewFile.data`, comments and order kept) is built only when a
command edits fields in place (`opdlist review`, `opdlist decide`).
"""
from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from store.candidate import DECISIONS, FIELDS, Candidate, default_venue  # noqa: F401
from store.errors import BadInput
from store.yamlnodes import NULL, MappingNode, ScalarNode, SequenceNode, compose, line_of, scalar

HEADER = """\
# Candidates for the On-Policy Distillation list, written by `opdlist daily`.
# For each one set `decision: approve` or `decision: reject` (leave it empty to decide later);
# change `section`, `venue`, `title` or `authors` if needed, then run `opdlist merge`.
# `score` is the classifier's probability that the paper belongs in the list; `why` lists the
# terms that drove it. A comment you write on a candidate (e.g. after its decision) is kept
# with the decision, as its `note` in state/decisions.jsonl.
"""

log = logging.getLogger("opdlist")

MAX_BYTES = 10 * 2 ** 20   # ~5,000 candidates with abstracts
# YAML's printable characters (YAML 1.2, 5.1); anything else is refused with its line
_FORBIDDEN = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD"
                        "\U00010000-\U0010FFFF]")


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
        gone = {(c.key, c.line) for c in decided}
        keep = [i for i, c in enumerate(self.candidates) if (c.key, c.line) not in gone]
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
    y.width = 4096           # never fold a line: a name or a term split over two lines is
                             # awkward to edit (and one long abstract line is fine in an editor)
    y.indent(mapping=2, sequence=4, offset=2)
    y.preserve_quotes = True
    return y

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
        root = compose(text, shown)
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
    if root is None or (isinstance(root, ScalarNode) and root.tag == NULL):
        return ReviewFile(path, None, [], text=text)
    if not isinstance(root, MappingNode):
        raise BadInput("the review file must be a mapping with a 'candidates' list", file=shown,
                       line=line_of(root))
    cands_node = None
    for k, v in root.value:
        name = scalar(k, "key", shown)
        if name != "candidates":
            raise BadInput(f"unknown top-level key '{name}'; the review file holds only "
                           "'candidates:' (a comment starts with '#')", file=shown,
                           line=line_of(k), field=name)
        if cands_node is not None:
            raise BadInput("'candidates' appears twice", file=shown, line=line_of(k))
        cands_node = v
    if cands_node is None or (isinstance(cands_node, ScalarNode) and cands_node.tag == NULL):
        return ReviewFile(path, None, [], text=text)
    if not isinstance(cands_node, SequenceNode):
        raise BadInput("'candidates' must be a list", file=shown, line=line_of(cands_node),
                       field="candidates")
    warnings: list[BadInput] = []
    candidates = [Candidate.from_node(n, shown, warnings) for n in cands_node.value]
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
                _add_note(review.candidates[i], comment_note(items[i]))
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
        _add_note(review.candidates[i], comment_note(item))


def _add_note(c: Candidate, comments: str) -> None:
    c.note = "; ".join(x for x in (c.note, comments) if x)


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
