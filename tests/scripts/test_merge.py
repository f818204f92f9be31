"""`opdlist merge`: the maintainer's decisions go into README.md exactly as typed by hand."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import ARXIV, HISTORY, ROOT, run_cli
from store.readme import lint

pytestmark = pytest.mark.skipif(not HISTORY.exists(), reason=f"no list history at {HISTORY}")


def list_paper(pid: str) -> dict:
    for line in (ARXIV / "list_papers.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if d["id"] == pid:
            return d
    raise KeyError(pid)


def yaml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def candidate(pid: str, decision: str = "approve", section: str = "Teacher–Student–Based OPD",
              venue: str = "", authors: str | None = None, comment: str = "") -> str:
    d = list_paper(pid)
    auth = yaml_str(authors) if authors else "[" + ", ".join(map(yaml_str, d["authors"])) + "]"
    return (f"  - id: \"{pid}\"{comment}\n"
            f"    title: {yaml_str(d['title'])}\n"
            f"    authors: {auth}\n"
            f"    link: \"https://arxiv.org/pdf/{pid}\"\n"
            f"    announced: \"{d.get('date') or ''}\"\n"
            f"    score: 0.9\n"
            f"    section: {yaml_str(section)}\n"
            f"    venue: \"{venue}\"\n"
            f"    why: [\"on-policy distillation\"]\n"
            f"    abstract: {yaml_str(d['abstract'][:200])}\n"
            f"    decision: \"{decision}\"\n")


@pytest.fixture
def repo05(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(HISTORY / "05-2026-02-28-ea4ef34.md", repo / "README.md")
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    (repo / "review").mkdir()
    return repo


SIX = [("2306.08543", {"venue": "ICLR2024"}), ("2511.10643", {}),
       ("2601.02780", {"authors": "LLM-Core Xiaomi"}), ("2601.07155", {}), ("2601.21968", {}),
       ("2602.15763", {"authors": "Zhipu AI & Tsinghua University"})]


def test_approving_the_six_upstream_additions_reproduces_the_upstream_readme(repo05):
    review = "# my review of the week\ncandidates:\n" + \
        "".join(candidate(pid, **kw) for pid, kw in SIX)
    (repo05 / "review" / "candidates.yaml").write_text(review, encoding="utf-8")
    r = run_cli("--repo", str(repo05), "merge")
    assert r.returncode == 0, r.stderr
    assert (repo05 / "README.md").read_bytes() == \
        (HISTORY / "09-2026-03-04-85a5016.md").read_bytes()
    decisions = [json.loads(l) for l in
                 (repo05 / "state" / "decisions.jsonl").read_text().splitlines()]
    assert [(d["id"], d["decision"]) for d in decisions] == [(pid, "approve") for pid, _ in SIX]
    left = (repo05 / "review" / "candidates.yaml").read_text(encoding="utf-8")
    assert "2306.08543" not in left and "# my review of the week" in left


def test_rejected_go_to_decisions_undecided_stay_with_comments(repo05):
    review = "candidates:\n" + candidate("2601.07155", decision="Reject") + \
        candidate("2601.21968", decision="", comment="  # ask Anhao first") + \
        candidate("2306.08543", decision="APPROVE", venue="ICLR2024")
    path = repo05 / "review" / "candidates.yaml"
    path.write_text(review, encoding="utf-8")
    r = run_cli("--repo", str(repo05), "merge")
    assert r.returncode == 0, r.stderr
    assert "1 added, 1 rejected, 0 already listed, 1 undecided" in r.stdout
    left = path.read_text(encoding="utf-8")
    assert "2601.21968" in left and "# ask Anhao first" in left
    assert "2601.07155" not in left and "2306.08543" not in left
    text = (repo05 / "README.md").read_text(encoding="utf-8")
    assert "MiniLLM" in text and "2601.07155" not in text and lint(text) == []
    decisions = [json.loads(l) for l in
                 (repo05 / "state" / "decisions.jsonl").read_text().splitlines()]
    assert {(d["id"], d["decision"]) for d in decisions} == {("2601.07155", "reject"),
                                                              ("2306.08543", "approve")}
    # a second merge finds nothing decided
    r = run_cli("--repo", str(repo05), "merge")
    assert r.returncode == 0 and "nothing to merge" in r.stdout


def test_an_already_listed_paper_is_reported_not_added_twice(repo05):
    (repo05 / "review" / "candidates.yaml").write_text(
        "candidates:\n" + candidate("2602.12125"), encoding="utf-8")
    before = (repo05 / "README.md").read_bytes()
    r = run_cli("--repo", str(repo05), "merge")
    assert r.returncode == 0, r.stderr
    assert "already in the list" in r.stdout
    assert (repo05 / "README.md").read_bytes() == before


def test_dry_run_prints_the_diff_and_writes_nothing(repo05):
    path = repo05 / "review" / "candidates.yaml"
    path.write_text("candidates:\n" + candidate("2511.10643"), encoding="utf-8")
    before = {p: p.read_bytes() for p in (repo05 / "README.md", path)}
    r = run_cli("--repo", str(repo05), "merge", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "+- **Black-Box On-Policy Distillation of Large Language Models**  " in r.stdout
    assert all(p.read_bytes() == b for p, b in before.items())
    assert not (repo05 / "state" / "decisions.jsonl").exists()


def test_nothing_to_merge_without_a_review_file(repo05):
    r = run_cli("--repo", str(repo05), "merge")
    assert r.returncode == 0 and "nothing to merge" in r.stdout


BAD = {
    "invalid YAML": ("candidates:\n  - id: \"2601.07155\n    title: x\n", 2, "not valid YAML (while scanning a quoted scalar"),
    "unknown decision": (None, 12, "decision must be approve, reject or empty, not 'maybe'"),
    "approved without a title": (None, 3, "title: an approved candidate needs a title"),
    "unknown section": (None, 8, "unknown section 'Teacher Student OPD'; did you mean "
                                 "'Teacher–Student–Based OPD'?"),
    "venue with spaces": (None, 9, "venue 'ICLR 2024' must be one word"),
    "python tag": ("candidates:\n  - !!python/object/apply:os.system [\"echo hi\"]\n", 2,
                   "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"),
    "not a list": ("candidates: 3\n", 1, "'candidates' must be a list"),
}


@pytest.mark.parametrize("kind", list(BAD))
def test_a_malformed_review_file_is_refused_whole_with_its_line(repo05, kind):
    text, line, message = BAD[kind]
    base = candidate("2601.07155")
    if text is None:
        text = "candidates:\n" + {
            "unknown decision": base.replace('decision: "approve"', 'decision: "maybe"'),
            "approved without a title": base.replace(
                "title: \"Stable On-Policy Distillation through Adaptive Target Reformulation\"",
                "title: \"\""),
            "unknown section": base.replace("Teacher–Student–Based OPD", "Teacher Student OPD"),
            "venue with spaces": base.replace('venue: ""', 'venue: "ICLR 2024"'),
        }[kind] + candidate("2601.21968")
    path = repo05 / "review" / "candidates.yaml"
    path.write_text(text, encoding="utf-8")
    before = {p: p.read_bytes() for p in (repo05 / "README.md", path)}
    r = run_cli("--repo", str(repo05), "merge")
    assert r.returncode == 2, r.stdout + r.stderr
    assert f"candidates.yaml:{line}: " in r.stderr and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert all(p.read_bytes() == b for p, b in before.items())
    assert not (repo05 / "state" / "decisions.jsonl").exists()


def test_every_fault_is_reported_one_line_each(repo05):
    text = "candidates:\n" + candidate("2601.07155", section="Nope") + \
        candidate("2601.21968", venue="A B")
    (repo05 / "review" / "candidates.yaml").write_text(text, encoding="utf-8")
    r = run_cli("--repo", str(repo05), "merge")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2 and "candidates.yaml:8: section" in lines[0] and \
        "candidates.yaml:20: venue" in lines[1], lines


def test_merge_refuses_a_readme_that_does_not_lint(repo05):
    (repo05 / "review" / "candidates.yaml").write_text("candidates:\n" + candidate("2601.07155"),
                                                       encoding="utf-8")
    readme = repo05 / "README.md"
    broken = readme.read_text(encoding="utf-8").replace("2025.05.", "2025.5.")
    readme.write_text(broken, encoding="utf-8")
    r = run_cli("--repo", str(repo05), "merge")
    assert r.returncode == 2 and "bad date '2025.5'" in r.stderr
    assert readme.read_text(encoding="utf-8") == broken
