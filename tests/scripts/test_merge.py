"""`opdlist merge`: the maintainer's decisions go into README.md exactly as typed by hand."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import ARXIV, HISTORY, ROOT, run_cli, run_here
from store.readme import lint, parse

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
    r = run_here("--repo", str(repo05), "merge")
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
    r = run_here("--repo", str(repo05), "merge")
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
    r = run_here("--repo", str(repo05), "merge")
    assert r.returncode == 0 and "nothing to merge" in r.stdout


def test_an_already_listed_paper_is_reported_not_added_twice(repo05):
    (repo05 / "review" / "candidates.yaml").write_text(
        "candidates:\n" + candidate("2602.12125"), encoding="utf-8")
    before = (repo05 / "README.md").read_bytes()
    r = run_here("--repo", str(repo05), "merge")
    assert r.returncode == 0, r.stderr
    assert "already in the list" in r.stdout
    assert (repo05 / "README.md").read_bytes() == before


def test_dry_run_prints_the_diff_and_writes_nothing(repo05):
    path = repo05 / "review" / "candidates.yaml"
    path.write_text("candidates:\n" + candidate("2511.10643"), encoding="utf-8")
    before = {p: p.read_bytes() for p in (repo05 / "README.md", path)}
    r = run_here("--repo", str(repo05), "merge", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "+- **Black-Box On-Policy Distillation of Large Language Models**  " in r.stdout
    assert all(p.read_bytes() == b for p, b in before.items())
    assert not (repo05 / "state" / "decisions.jsonl").exists()


def test_nothing_to_merge_without_a_review_file(repo05):
    r = run_here("--repo", str(repo05), "merge")
    assert r.returncode == 0 and "nothing to merge" in r.stdout


BAD = {
    "invalid YAML": ("candidates:\n  - id: \"2601.07155\n    title: x\n", 2, "not valid YAML (while scanning a quoted scalar"),
    "unknown decision": (None, 12, "decision: must be approve, reject or empty, not 'maybe'"),
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
    r = run_here("--repo", str(repo05), "merge")
    assert r.returncode == 2, r.stdout + r.stderr
    assert f"candidates.yaml:{line}: " in r.stderr and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert all(p.read_bytes() == b for p, b in before.items())
    assert not (repo05 / "state" / "decisions.jsonl").exists()


def test_every_fault_is_reported_one_line_each(repo05):
    text = "candidates:\n" + candidate("2601.07155", section="Nope") + \
        candidate("2601.21968", venue="A B")
    (repo05 / "review" / "candidates.yaml").write_text(text, encoding="utf-8")
    r = run_here("--repo", str(repo05), "merge")
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
    r = run_here("--repo", str(repo05), "merge")
    assert r.returncode == 2 and "bad date '2025.5'" in r.stderr
    assert readme.read_text(encoding="utf-8") == broken


# ---- an interrupted merge, then other commands (issue 11.2) ----------------------------------

def crashed_merge(repo) -> None:
    """A merge of 2511.10643 (approved) killed after README.md was replaced, before the review
    file and the decisions were; 2601.07155 stays undecided."""
    (repo / "review" / "candidates.yaml").write_text(
        "candidates:\n" + candidate("2511.10643") + candidate("2601.07155", decision=""),
        encoding="utf-8")
    r = run_cli("--repo", str(repo), "merge", crash_at="after-first-rename")
    assert r.returncode != 0 and (repo / "state" / ".journal").exists()


def approve_by_hand(repo, pid: str) -> None:
    path = repo / "review" / "candidates.yaml"
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition(f'id: "{pid}"')
    path.write_text(head + sep + rest.replace('decision: ""', "decision: approve", 1),
                    encoding="utf-8")


def files(repo) -> dict:
    """Every file of the repository and its bytes, but the lock's informative content."""
    return {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and p.name != ".lock"}


def decided(repo) -> list[tuple[str, str]]:
    lines = (repo / "state" / "decisions.jsonl").read_text().splitlines()
    return [(json.loads(l)["id"], json.loads(l)["decision"]) for l in lines]


@pytest.mark.parametrize("command", [["render"], ["review"], ["section", "add", "Data"],
                                     ["lint"]])
def test_every_command_finishes_an_interrupted_merge_first(repo05, command):
    crashed_merge(repo05)
    r = run_here("--repo", str(repo05), *command, input="q\n")
    assert r.returncode == 0, r.stderr
    assert "finished the file updates of an interrupted run" in r.stderr
    assert not (repo05 / "state" / ".journal").exists()
    assert not list(repo05.rglob("*.pending"))
    assert decided(repo05) == [("2511.10643", "approve")]
    approve_by_hand(repo05, "2601.07155")        # the decision made after the crash
    r = run_here("--repo", str(repo05), "merge")
    assert r.returncode == 0, r.stderr
    assert "merge: 1 added" in r.stdout
    assert decided(repo05) == [("2511.10643", "approve"), ("2601.07155", "approve")]
    assert "2601.07155" in (repo05 / "README.md").read_text(encoding="utf-8")


def test_rolling_forward_never_overwrites_a_file_edited_after_the_crash(repo05):
    crashed_merge(repo05)
    approve_by_hand(repo05, "2601.07155")        # a hand edit before any command ran
    before = files(repo05)
    r = run_here("--repo", str(repo05), "merge")
    assert r.returncode == 1 and len(r.stderr.splitlines()) == 1, r.stderr
    assert "review/candidates.yaml: changed after an interrupted run" in r.stderr
    assert "To keep your version: rm " in r.stderr and "internal error" not in r.stderr
    assert files(repo05) == before
    # do what the message says to keep the hand edit: the decision is not lost
    rm = r.stderr.split("To keep your version: rm ", 1)[1].split(", then", 1)[0].split()
    for path in rm:
        (repo05 / path if not path.startswith("/") else __import__("pathlib").Path(path)).unlink()
    r = run_here("--repo", str(repo05), "merge")
    assert r.returncode == 0, r.stderr
    assert "2511.10643" in r.stdout and "already in the list" in r.stdout
    assert sorted(decided(repo05)) == [("2511.10643", "approve"), ("2601.07155", "approve")]
    assert lint((repo05 / "README.md").read_text(encoding="utf-8")) == []


# ---- a full disk (issue 11.10) ---------------------------------------------------------------

def test_a_full_disk_is_one_line_and_leaves_nothing_behind(repo05):
    import resource
    import signal
    import subprocess
    import sys
    (repo05 / "review" / "candidates.yaml").write_text("candidates:\n" + candidate("2511.10643"),
                                                      encoding="utf-8")
    before = files(repo05)

    def small_disk():       # writes past 1 KB fail (EFBIG), as on a disk that is full
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, 1024))

    r = subprocess.run([sys.executable, "-m", "scripts.cli", "--repo", str(repo05), "merge"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120,
                       preexec_fn=small_disk, env={**__import__("os").environ,
                                                   "PYTHONPATH": str(ROOT)})
    assert r.returncode == 1, r.stderr
    assert len(r.stderr.splitlines()) == 1 and "internal error" not in r.stderr
    assert "cannot write" in r.stderr and "README.md" in r.stderr
    assert files(repo05) == before           # no .pending, no .tmp, no journal, nothing changed


# ---- hostile titles and fields of an approved candidate (issue 11.3, 11.9) -------------------

def test_an_approved_title_with_markdown_tricks_goes_in_as_plain_text(repo05):
    from store.markdown import render
    title = r"\\[click\\](http://evil.example) *now* ends in \\"
    (repo05 / "review" / "candidates.yaml").write_text(
        "candidates:\n" + candidate("2601.07155").replace(
            'title: "Stable On-Policy Distillation through Adaptive Target Reformulation"',
            "title: " + yaml_str(title)), encoding="utf-8")
    r = run_here("--repo", str(repo05), "merge")
    assert r.returncode == 0, r.stderr
    readme = (repo05 / "README.md").read_text(encoding="utf-8")
    assert lint(readme) == []
    html = render(readme)
    assert "evil.example</a>" not in html and 'href="http://evil.example' not in html
    assert r"<strong>\[click\](http://evil.example) *now* ends in \</strong>" in html


@pytest.mark.parametrize("field, old, new, message", [
    ("authors", '["Ijun Jang", "Jewon Yeom"', '["Ijun Jang\\nJewon Yeom"', "a line break"),
    ("link", '"https://arxiv.org/pdf/2601.07155"', '"javascript:alert(1)"', "not an http(s) URL"),
    ("title", '"Stable On-Policy', '"Stable\\u0007 On-Policy', "control character U+0007"),
])
def test_a_bad_field_names_the_review_files_line_and_field(repo05, field, old, new, message):
    text = "candidates:\n" + candidate("2601.07155")
    assert old in text
    (repo05 / "review" / "candidates.yaml").write_text(text.replace(old, new), encoding="utf-8")
    before = (repo05 / "README.md").read_bytes()
    r = run_here("--repo", str(repo05), "merge")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.strip().startswith(field))
    assert r.returncode == 2 and len(r.stderr.splitlines()) == 1, r.stderr
    assert f"candidates.yaml:{line}: {field}: " in r.stderr and message in r.stderr
    assert "would not lint" not in r.stderr and (repo05 / "README.md").read_bytes() == before


# ---- issue 24: what a new maintainer tripped on ----------------------------------------------

def test_titles_of_punctuation_alone_are_distinct_papers_not_one(repo05):
    """`**`, `---`, `[` and a backtick all normalise to no words: none is "already listed" by
    another, each goes in (escaped), and each is recorded as approved once."""
    review = repo05 / "review" / "candidates.yaml"
    text = "candidates:\n"
    for n, (pid, title) in enumerate([("2601.07155", "**"), ("2601.21968", "---"),
                                      ("2511.10643", "["), ("2602.15763", "`")]):
        text += candidate(pid).replace(
            f"title: {yaml_str(list_paper(pid)['title'])}", f"title: {yaml_str(title)}")
    review.write_text(text, encoding="utf-8")
    r = run_here("--repo", str(repo05), "merge")
    assert r.returncode == 0, r.stderr
    assert "4 added" in r.stdout and "already in the list" not in r.stdout
    readme = (repo05 / "README.md").read_text(encoding="utf-8")
    assert lint(readme) == []
    decided = [json.loads(line) for line in
               (repo05 / "state" / "decisions.jsonl").read_text().splitlines()]
    assert sorted(d["id"] for d in decided if d["decision"] == "approve") == \
        ["2511.10643", "2601.07155", "2601.21968", "2602.15763"]


def test_a_title_that_duplicates_a_listed_one_names_the_review_files_line(repo05):
    """An approved paper whose title, as the list would show it, is one already listed (its
    entity `&amp;` reads as `&`): reported as already listed, or refused at its review-file
    line, never with a bare "the rendered list would not lint: duplicate title"."""
    from store.listdoc import Entry
    path = repo05 / "README.md"
    doc = parse(path.read_text(encoding="utf-8"))
    doc.insert(doc.find_section("Application"), Entry(
        title="Distillation & Friends", authors="A One", url="https://arxiv.org/pdf/2603.00001",
        date="2026.03", venue="Arxiv2026"))
    path.write_text(doc.render(), encoding="utf-8")
    review = repo05 / "review" / "candidates.yaml"
    review.write_text("candidates:\n" + candidate("2601.07155").replace(
        f"title: {yaml_str(list_paper('2601.07155')['title'])}",
        'title: "Distillation &amp; Friends"'), encoding="utf-8")
    r = run_here("--repo", str(repo05), "merge")
    assert "would not lint" not in r.stderr
    assert r.returncode == 0 and "already in the list" in r.stdout, r.stdout + r.stderr


def test_dry_run_on_a_readme_without_a_final_newline_marks_it(repo05):
    readme = repo05 / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").rstrip("\n"), encoding="utf-8")
    (repo05 / "review" / "candidates.yaml").write_text("candidates:\n" + candidate(
        "2601.07155", section="Application"), encoding="utf-8")
    r = run_here("--repo", str(repo05), "merge", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "\\ No newline at end of file\n" in r.stdout
    for line in r.stdout.splitlines():
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++")):
            assert line.count("](https://") <= 2, f"two lines glued together: {line}"


def test_an_author_line_typed_with_its_own_full_stop_ends_in_one(repo05):
    """The entry's full stop follows the author line; a maintainer who types "et al." (or
    an author's "Jr.") gets one full stop in the list, not `*… et al.*.`."""
    review = repo05 / "review" / "candidates.yaml"
    review.write_text("candidates:\n" + candidate("2601.07155", authors="Mingyang Song et al.")
                      + candidate("2601.21968", authors="A. Person Jr. "), encoding="utf-8")
    r = run_here("--repo", str(repo05), "merge")
    assert r.returncode == 0, r.stderr
    readme = (repo05 / "README.md").read_text(encoding="utf-8")
    assert "*Mingyang Song et al*. [[pdf](https://arxiv.org/pdf/2601.07155)]" in readme
    assert "*A. Person Jr*. [[pdf](https://arxiv.org/pdf/2601.21968)]" in readme
    assert ".*." not in readme and lint(readme) == []
