"""A hostile or mistyped review file (issue 11.5, 11.9): refused fast, with its line.

`merge.yml` runs on any push to the review file, so whatever a pull request puts there must
be refused in well under a second with a message naming the file, the line and the field;
an ordinary large file must load and merge quickly, its untouched text kept byte for byte."""
from __future__ import annotations

import json
import logging

import pytest

from store.errors import BadInput
from store.files import read_papers
from store.candidate import Candidate
from store.review import HEADER, MAX_BYTES, read_review
from conftest import ARXIV

GOOD = """\
candidates:
  - id: "2601.07155"
    title: "Stable On-Policy Distillation"
    authors: ["Ijun Jang"]
    decision: ""
"""


def write(tmp_path, text: str):
    path = tmp_path / "candidates.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refused(tmp_path, text: str) -> BadInput:
    with pytest.raises(BadInput) as e:        # at the first fault, before expanding anything
        read_review(write(tmp_path, text))
    assert "\n" not in str(e.value) and str(e.value).startswith(str(tmp_path))
    return e.value


def laughs(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for k in range(1, levels + 1):
        lines.append(f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]")
    return "\n".join(lines) + f"\ncandidates: *a{levels}\n"


def test_alias_expansion_is_refused_at_once(tmp_path):
    e = refused(tmp_path, laughs(8))        # was 240 s
    assert e.line == 1 and "anchors and aliases" in e.message


def test_an_anchor_or_alias_anywhere_is_refused_with_its_line(tmp_path):
    e = refused(tmp_path, GOOD.replace('authors: ["Ijun Jang"]', 'authors: &who ["Ijun Jang"]'))
    assert e.line == 4
    e = refused(tmp_path, GOOD + '  - id: "2601.00001"\n    authors: *who\n')
    assert e.line == 7


def test_deep_nesting_is_refused_with_a_message_not_a_recursion_error(tmp_path):
    e = refused(tmp_path, "candidates: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert e.line == 1 and "nested deeper than" in e.message


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "candidates.yaml"
    with open(path, "wb") as f:
        f.truncate(MAX_BYTES + 1)         # sparse: costs no disk
    with pytest.raises(BadInput, match=r"candidates.yaml: the file is 10.0 MB; a review file"):
        read_review(path)


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f"])
def test_control_characters_give_their_line_and_column(tmp_path, char):
    e = refused(tmp_path, GOOD.replace("Stable On-Policy", f"Stable{char} On-Policy"))
    assert e.line == 3 and f"U+{ord(char):04X} at column 19" in e.message


def test_unknown_keys_are_refused_or_reported_with_their_line(tmp_path, caplog):
    e = refused(tmp_path, "settings: {}\n" + GOOD)
    assert (e.line, e.field) == (1, "settings") and "unknown top-level key" in e.message
    e = refused(tmp_path, GOOD.replace('decision: ""', "decison: approve"))
    assert (e.line, e.field) == (5, "decison") and "did you mean 'decision'" in e.message
    e = refused(tmp_path, GOOD + '    decision: "approve"\n')
    assert (e.line, e.field) == (6, "decision") and "appears twice" in e.message
    with caplog.at_level(logging.WARNING, logger="opdlist"):
        review = read_review(write(tmp_path, GOOD + "    mood: happy\n"))
    assert review.warnings == [f"{tmp_path}/candidates.yaml:6: mood: unknown field 'mood' is "
                               "ignored (fields: id, title, authors, link, announced, score, "
                               "section, section_alternative, venue, source, why, like, "
                               "abstract, update, was, decision)"]
    assert "mood" in caplog.text
    # the fields the team's tools add are known
    extra = ('    like: {id: "2601.00002", title: "A listed paper"}\n'
             '    section_alternative: "Application"\n    categories: ["cs.LG"]\n'
             '    note: "asked Anhao"\n    date: "2026.01"\n')
    assert read_review(write(tmp_path, GOOD + extra)).warnings == []


def big_review(n: int) -> str:
    """A review file of `n` candidates as daily writes it, from real papers of the list."""
    papers = read_papers(ARXIV / "list_papers.jsonl")
    q = lambda v: json.dumps(v, ensure_ascii=False)        # noqa: E731
    out = []
    for i in range(n):
        p = papers[i % len(papers)]
        out.append(f'  - id: "2601.{i:05d}"\n    title: {q(p.title)}\n    authors: {q(p.authors)}\n'
                   f'    link: "https://arxiv.org/pdf/2601.{i:05d}"\n    announced: "2026-01-13"\n'
                   f'    score: 0.5\n    section: "Application"\n    venue: "Arxiv2026"\n'
                   f'    why: ["teacher"]\n    abstract: {q(p.abstract)}\n    decision: ""\n')
    return "candidates:\n  # a maintainer's note\n" + "".join(out)


def test_a_thousand_candidates_edit_in_place_and_keep_every_other_byte(tmp_path):
    path = write(tmp_path, big_review(1000))
    text = path.read_text(encoding="utf-8")
    review = read_review(path)
    assert len(review.candidates) == 1000
    review.remove(review.candidates[1:1000:2])
    extra = read_papers(ARXIV / "list_papers.jsonl")[0]
    review.append([Candidate.of(extra, score=0.7, section="Application", venue="Arxiv2025",
                             why=["student"], announced="2026-01-14")])
    out = review.dump()
    assert out.startswith(HEADER + text[:text.index("  - id:", text.index("  - id:") + 1)])
    path.write_text(out, encoding="utf-8")
    again = read_review(path)
    assert [c.paper.id for c in again.candidates] == \
        [f"2601.{i:05d}" for i in range(0, 1000, 2)] + [extra.id]
    assert again.candidates[-1].score == 0.7 and "# a maintainer's note" in out


@pytest.mark.parametrize("text", [
    "candidates:\n- id: \"2601.00001\"\n  decision: approve\n# about the next one\n- id: "
    "\"2601.00002\"\n  title: \"Kept\"\n-\n  id: \"2601.00003\"\n  decision: reject\n",
    "# header\ncandidates:\n    -   id: \"2601.00001\"   # odd indent\n        decision: approve\n"
    "    -   id: \"2601.00002\"\n        title: \"Kept\"\n    -   id: \"2601.00003\"\n"
    "        decision: reject\n# trailing comment\n",
    'candidates: [{id: "2601.00001", decision: approve}, {id: "2601.00002", title: "Kept"},'
    ' {id: "2601.00003", decision: reject}]\n',
])
def test_decided_candidates_leave_any_layout_and_new_ones_append(tmp_path, text):
    path = write(tmp_path, text)
    review = read_review(path)
    review.remove([c for c in review.candidates if c.decision])
    extra = read_papers(ARXIV / "list_papers.jsonl")[0]
    review.append([Candidate.of(extra, score=0.7, section="Application", venue="Arxiv2025",
                             why=["student"], announced="2026-01-14")])
    path.write_text(review.dump(), encoding="utf-8")
    again = read_review(path)
    assert [(c.paper.id, c.paper.title) for c in again.candidates] == \
        [("2601.00002", "Kept"), (extra.id, extra.title)]
    review = read_review(path)
    review.remove(review.candidates)            # all decided: an empty, valid file
    path.write_text(review.dump(), encoding="utf-8")
    assert read_review(path).candidates == []
    review = read_review(path)                  # the next day's candidates: a block list again
    review.append([Candidate.of(extra, score=0.7, section="Application", why=["student"])])
    assert f'\n  - id: "{extra.id}"\n' in review.dump()
