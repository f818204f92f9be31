"""Deciding in the pull request: `opdlist pr-body` offers boxes, `opdlist decide --pr-body`
turns the ticked ones into decisions in review/candidates.yaml, `opdlist merge` applies them.

The body is ticked as GitHub leaves it: the browser's edit turns `[ ]` into `[x]` and sends
the body back with CRLF line endings; a hand edit may type `[X]`.
"""
from __future__ import annotations

import difflib
import json
import re

import pytest

from conftest import ARXIV, SEED_README, make_repo, needs_shared, run_here as run_cli
from store.files import read_papers
from store.readme import parse
from store.candidate import Candidate
from store.review import ReviewFile, read_review

pytestmark = needs_shared
REVIEW = "review/candidates.yaml"


@pytest.fixture
def repo(tmp_path):
    """A list with five candidates as `opdlist daily` writes them: the second one has a
    runner-up section; the maintainer already rejected the fifth in the file, with a comment."""
    repo = make_repo(tmp_path / "repo")
    sections = parse(SEED_README.read_text(encoding="utf-8")).section_names()
    papers = [p for p in read_papers(ARXIV / "windowA.jsonl.gz") if p.date == "2025-12-01"][:5]
    review = ReviewFile(repo / REVIEW)
    review.append([Candidate.of(p, score=0.9 - i / 10, section=sections[0],
                                venue="Arxiv2025", why=["on-policy distillation"],
                                announced=p.date,
                                section_alternative=sections[2] if i == 1 else "")
                   for i, p in enumerate(papers)])
    text = review.dump()
    last = text.rindex('decision: ""')
    text = text[:last] + "decision: reject  # dataset distillation, not OPD" + text[last + 12:]
    (repo / "review").mkdir()
    (repo / REVIEW).write_text(text, encoding="utf-8")
    return repo


def ids(repo) -> list[str]:
    return [c.paper.id for c in read_review(repo / REVIEW).candidates]


def body(repo) -> str:
    r = run_cli("--repo", str(repo), "pr-body")
    assert r.returncode == 0, r.stderr
    return r.stdout


def box_lines(text: str, pid: str) -> list[str]:
    return [line for line in text.splitlines() if pid in line and "- [" in line]


def tick(text: str, pid: str, label: str, mark: str = "x") -> str:
    """The body with the box LABEL ('approve', 'reject' or 'runner-up') of PID ticked, as a
    click in GitHub's page does: only the `[ ]` of that line changes."""
    want = {"approve": lambda ln: re.search(r"\] approve", ln) and "runner-up" not in ln,
            "runner-up": lambda ln: "runner-up" in ln,
            "reject": lambda ln: re.search(r"\] reject", ln)}[label]
    (line,) = [ln for ln in box_lines(text, pid) if want(ln)]
    return text.replace(line, line.replace("[ ]", f"[{mark}]", 1), 1)


def decide(repo, text: str, crlf: bool = True):
    path = repo.parent / "body.md"
    path.write_bytes(text.replace("\n", "\r\n" if crlf else "\n").encode("utf-8"))
    return run_cli("--repo", str(repo), "decide", "--pr-body", str(path))


def test_pr_body_has_an_approve_and_a_reject_box_for_every_undecided_candidate(repo):
    text = body(repo)
    first, second, *rest, decided = ids(repo)
    for pid in (first, second, *rest):
        lines = box_lines(text, pid)
        assert [ln.lstrip()[:5] for ln in lines] == ["- [ ]"] * len(lines)
        assert any(ln.lstrip().startswith("- [ ] approve") and "runner-up" not in ln
                   for ln in lines)
        assert any(ln.lstrip().startswith("- [ ] reject") for ln in lines)
    assert len(box_lines(text, first)) == 2
    runner_up = [ln for ln in box_lines(text, second) if "runner-up" in ln]
    assert len(runner_up) == 1 and "*Application*" in runner_up[0]
    assert box_lines(text, decided) == [] and decided not in text
    assert "## 4 candidate(s) to decide" in text


def test_ticks_become_decisions_in_the_file_and_nothing_else_changes(repo):
    before = (repo / REVIEW).read_text(encoding="utf-8")
    first, second, third, fourth, decided = ids(repo)
    text = body(repo)
    text = tick(text, first, "approve")
    text = tick(text, second, "runner-up")
    text = tick(text, third, "reject", mark="X")
    text = tick(tick(text, fourth, "approve"), fourth, "reject")       # both: undecided
    text = tick(text, decided, "approve") if box_lines(text, decided) else text
    r = decide(repo, text)
    assert r.returncode == 0, r.stderr
    titles = {c.paper.id: c.paper.title for c in read_review(repo / REVIEW).candidates}
    assert r.stdout.splitlines() == [
        f"approve {first} into 'Teacher–Student–Based OPD': {titles[first]}",
        f"approve {second} into 'Application': {titles[second]}",
        f"reject {third}: {titles[third]}"]
    assert fourth in r.stderr and "both ticked" in r.stderr
    after = {c.paper.id: (c.decision, c.section) for c in read_review(repo / REVIEW).candidates}
    assert after == {first: ("approve", "Teacher–Student–Based OPD"),
                     second: ("approve", "Application"),
                     third: ("reject", "Teacher–Student–Based OPD"),
                     fourth: ("", "Teacher–Student–Based OPD"),
                     decided: ("reject", "Teacher–Student–Based OPD")}
    # only the decided lines changed: the rest of the file (its comment too) is as it was
    diff = [ln for ln in difflib.unified_diff(before.splitlines(),
                                              (repo / REVIEW).read_text().splitlines(),
                                              lineterm="", n=0)
            if ln[:1] in "+-" and ln[:3] not in ("+++", "---")]
    assert sorted(diff) == sorted(['-    decision: ""'] * 3 + [
        "+    decision: approve", "+    decision: approve", "+    decision: reject",
        '-    section: "Teacher–Student–Based OPD"', '+    section: "Application"'])
    assert "decision: reject  # dataset distillation, not OPD" in \
        (repo / REVIEW).read_text(encoding="utf-8")

    # the refreshed body offers only the undecided one; ticking the same body again is a no-op
    again = body(repo)
    assert [pid for pid in ids(repo) if box_lines(again, pid)] == [fourth]
    assert "## 1 candidate(s) to decide" in again and "3 approved" not in again
    assert "2 approved, 2 rejected" in again
    kept = (repo / REVIEW).read_bytes()
    r = decide(repo, text, crlf=False)
    assert r.returncode == 0 and r.stdout.startswith("no new decision"), r.stdout
    assert (repo / REVIEW).read_bytes() == kept


def test_ticks_for_ids_that_are_not_candidates_change_nothing(repo):
    before = (repo / REVIEW).read_bytes()
    first, *_ = ids(repo)
    text = body(repo).replace(first, "2511.99999")          # a stale or foreign body
    text = tick(text, "2511.99999", "approve")
    text += "\n- [x] approve <!-- opdlist approve 1706.03762 -->\n"
    r = decide(repo, text)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("no new decision")
    warnings = r.stderr.splitlines()
    assert len(warnings) == 2 and all("is not a candidate" in w for w in warnings)
    assert "2511.99999" in warnings[0] and "1706.03762" in warnings[1]
    assert re.search(r"body\.md:\d+: 2511\.99999", warnings[0])
    assert (repo / REVIEW).read_bytes() == before


def test_a_tick_against_a_decision_already_in_the_file_changes_nothing(repo):
    *_, decided = ids(repo)
    text = f"- [x] approve <!-- opdlist approve {decided} -->\n"
    before = (repo / REVIEW).read_bytes()
    r = decide(repo, text)
    assert r.returncode == 0 and "already decided" in r.stderr, r.stderr
    assert (repo / REVIEW).read_bytes() == before


def test_merge_applies_the_ticked_decisions(repo):
    first, second, third, fourth, decided = ids(repo)
    text = tick(tick(tick(body(repo), first, "approve"), second, "runner-up"), third, "reject")
    assert decide(repo, text).returncode == 0
    r = run_cli("--repo", str(repo), "merge")
    assert r.returncode == 0, r.stderr
    doc = parse((repo / "README.md").read_text(encoding="utf-8"))
    where = {e.key: s.label for s, e in doc.entries()}
    assert where[first] == "Teacher–Student–Based OPD" and where[second] == "Application"
    assert third not in where and decided not in where
    decisions = [json.loads(line) for line in
                 (repo / "state" / "decisions.jsonl").read_text().splitlines()]
    assert sorted((d["id"], d["decision"]) for d in decisions) == sorted(
        [(first, "approve"), (second, "approve"), (third, "reject"), (decided, "reject")])
    assert ids(repo) == [fourth]
    assert [pid for pid in ids(repo) if box_lines(body(repo), pid)] == [fourth]


def test_decide_refuses_a_missing_or_broken_body_file_with_exit_2(repo, tmp_path):
    before = (repo / REVIEW).read_bytes()
    r = run_cli("--repo", str(repo), "decide", "--pr-body", str(tmp_path / "nope.md"))
    assert r.returncode == 2 and r.stderr.strip() == \
        f"opdlist --repo {repo} decide: {tmp_path / 'nope.md'}: no such file"
    (tmp_path / "latin1.md").write_bytes(b"- [x] ok\n\xe9t\xe9\n")
    r = run_cli("--repo", str(repo), "decide", "--pr-body", str(tmp_path / "latin1.md"))
    assert r.returncode == 2 and f"{tmp_path / 'latin1.md'}:2: not valid UTF-8" in r.stderr
    (repo / REVIEW).write_text("candidates:\n  - id: x\n    decision: maybe\n")
    first = "x"
    r = decide(repo, f"- [x] reject <!-- opdlist reject {first} -->\n")
    assert r.returncode == 2 and f"{REVIEW}:3: decision:" in r.stderr, r.stderr
    (repo / REVIEW).write_bytes(before)
