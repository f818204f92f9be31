"""README.md is the list: the grammar round-trips the whole upstream history and lint finds
each kind of fault on the right line."""
from __future__ import annotations

import pytest

from conftest import HISTORY, SEED_README, SHARED, seed_with_maintaining_section
from conftest import run_here as run_cli
from store.markdown import escape, escape_entry
from store.listdoc import Entry, slug
from store.readme import lint, parse

HISTORY_FILES = sorted(HISTORY.glob("*.md")) if HISTORY.exists() else []
needs_history = pytest.mark.skipif(not HISTORY_FILES, reason=f"no list history at {HISTORY}")


@needs_history
@pytest.mark.parametrize("path", HISTORY_FILES + [SHARED / "seed" / "README.md"],
                         ids=lambda p: p.name)
def test_every_upstream_readme_round_trips_byte_for_byte_and_lints_clean(path):
    raw = path.read_bytes()
    doc = parse(raw.decode("utf-8"))
    assert doc.render().encode("utf-8") == raw
    assert lint(raw.decode("utf-8")) == []


def test_a_list_with_a_maintaining_section_lints_clean_and_round_trips():
    """The shipped README's shape: the seed plus `## Maintaining this list` after the papers."""
    text = seed_with_maintaining_section()
    doc = parse(text)
    assert doc.render() == text
    assert lint(text) == []
    assert "Maintaining this list" in [t for _, t in doc.headings()]
    assert doc.section_names()[:3] == ["Teacher–Student–Based OPD", "On-Policy Self-Distillation",
                                       "Application"]


@needs_history
def test_parse_reads_every_field_including_the_blog_post():
    doc = parse((HISTORY / "09-2026-03-04-85a5016.md").read_text(encoding="utf-8"))
    entries = {e.key: (s.name, e) for s, e in doc.entries()}
    assert len(entries) == 17
    sec, minillm = entries["2306.08543"]
    assert sec == "Teacher–Student–Based OPD"
    assert (minillm.plain_title, minillm.date, minillm.venue) == (
        "MiniLLM: On-Policy Distillation of Large Language Models", "2023.06", "ICLR2024")
    assert minillm.author_list == ["Yuxian Gu", "Li Dong", "Furu Wei", "Minlie Huang"]
    blog = entries["https://thinkingmachines.ai/blog/on-policy-distillation/"][1]
    assert blog.arxiv_id is None and blog.venue == "Blog2025"
    assert entries["2602.15763"][1].authors == "Zhipu AI & Tsinghua University"


def test_github_anchor_slugs():
    assert slug("Teacher–Student–Based OPD") == "teacherstudentbased-opd"
    assert slug("Cross-Tokenizer On-Policy Distillation with White-Box and Black-Box") == \
        "cross-tokenizer-on-policy-distillation-with-white-box-and-black-box"
    assert slug("Maintaining this list") == "maintaining-this-list"


# ---- injected faults: each kind is reported on the line where it is -------------------------

SEED = SEED_README.read_text(encoding="utf-8")
LINES = SEED.split("\n")


def line_of(prefix: str) -> int:
    return next(i for i, l in enumerate(LINES) if l.startswith(prefix)) + 1


def replace_line(n: int, new: str) -> str:
    lines = list(LINES)
    lines[n - 1] = new
    return "\n".join(lines)


QWEN = line_of("- **Qwen3 Technical Report**")
MTP = line_of("- **Multi-Token Prediction")
TOC_APP = line_of("  - [Application]")
APP = line_of("### Application")

FAULTS = {
    "missing two-space line break": (
        lambda: replace_line(QWEN, "- **Qwen3 Technical Report**"), QWEN, "two spaces"),
    "broken title line": (
        lambda: replace_line(QWEN, "- *Qwen3 Technical Report*  "), QWEN, "broken entry"),
    "authors not in italics": (
        lambda: replace_line(QWEN + 1, LINES[QWEN].replace("*Qwen3 Team*", "Qwen3 Team")),
        QWEN + 1, "italics"),
    "bad date": (
        lambda: replace_line(QWEN + 1, LINES[QWEN].replace("2025.05", "2025.13")),
        QWEN + 1, "bad date '2025.13'"),
    "date with a dash": (
        lambda: replace_line(QWEN + 1, LINES[QWEN].replace("2025.05", "2025-05")),
        QWEN + 1, "bad date"),
    "badge not from shields.io": (
        lambda: replace_line(QWEN + 1, LINES[QWEN].replace("https://img.shields.io/badge/",
                                                           "https://example.com/")),
        QWEN + 1, "not a shields.io badge"),
    "venue with spaces": (
        lambda: replace_line(QWEN + 1, LINES[QWEN].replace("Arxiv2025", "Arxiv 2025")),
        QWEN + 1, "venue 'Arxiv 2025'"),
    "link that is not a URL": (
        lambda: replace_line(QWEN + 1, LINES[QWEN].replace("https://arxiv.org/pdf/2505.09388",
                                                           "arxiv/2505.09388")),
        QWEN + 1, "not an http(s) URL"),
    "duplicate arXiv id": (
        lambda: replace_line(MTP + 1, LINES[MTP].replace("2602.06019", "2601.19897v2")),
        MTP, "duplicate paper 2601.19897"),
    "duplicate normalised title": (
        lambda: replace_line(MTP, "- **qwen3 technical REPORT.**  "), MTP, "duplicate title"),
    "section missing from the table of contents": (
        lambda: "\n".join(LINES[:TOC_APP - 1] + LINES[TOC_APP:]), APP - 1,
        "'Application' is missing from the table of contents"),
    "extra line in the table of contents": (
        lambda: replace_line(TOC_APP, "  - [Applications](#applications)\n  - [Application](#application)"),
        TOC_APP, "'Applications', which is not a heading"),
    "wrong anchor slug": (
        lambda: replace_line(TOC_APP - 2, "  - [Teacher–Student–Based OPD](#teacher-student-based-opd)"),
        TOC_APP - 2, "wrong anchor"),
    "wrong nesting in the table of contents": (
        lambda: replace_line(TOC_APP, "- [Application](#application)"), TOC_APP, "indented 0"),
    "authors line missing (truncated entry)": (
        lambda: replace_line(QWEN + 1, ""), QWEN, "no authors line"),
    "stray text inside the list": (
        lambda: replace_line(APP, "### Application\nsee also the blog"), APP + 1,
        "not an entry"),
    "heading level 5 (unknown kind of section)": (
        lambda: replace_line(APP, "##### Application"), APP, "heading level 5"),
    "blank line between two entries": (
        lambda: replace_line(MTP, "\n" + LINES[MTP - 1]), MTP, "blank line between two entries"),
    "CRLF line endings": (lambda: SEED.replace("\n", "\r\n"), 1, "CRLF"),
    "byte-order mark": (lambda: "\ufeff" + SEED, 1, "byte-order mark"),
    "truncated file (no list)": (lambda: "\n".join(LINES[:16]), 16, "no '## Papers'"),
}


@pytest.mark.parametrize("kind", list(FAULTS))
def test_lint_reports_each_kind_of_fault_on_its_line(kind):
    mutate, line, message = FAULTS[kind]
    found = lint(mutate())
    assert any(f.line == line and message in f.message for f in found), \
        f"expected line {line} '{message}', got {[(f.line, f.message) for f in found]}"


def test_truncated_in_the_middle_of_an_entry():
    text = SEED[:SEED.index("*Qwen3 Team*") - 2]
    found = [(f.line, f.message) for f in lint(text)]
    assert (QWEN, "entry has no authors line (expected '  *Authors*. [[pdf](url)], YYYY.MM. "
                  "![](badge)')") in found
    # the sections cut off are still named by the table of contents
    assert any("'Application', which is not a heading" in m for _, m in found)


# ---- escaping ------------------------------------------------------------------------------

def test_unsafe_title_characters_are_escaped_once_and_round_trip():
    title = "Distilling [Reasoning] *Fast*: a `KL` | <b>Teacher</b> story"
    esc, authors = escape_entry(title, "A. *Star*, B. [Bracket]")
    # only what GitHub would render as markup is escaped ('[' alone is no link, '|' no table)
    assert esc == r"Distilling [Reasoning] \*Fast\*: a \`KL` | &lt;b>Teacher&lt;/b> story"
    assert authors == r"A. \*Star\*, B. [Bracket]"
    assert escape_entry(esc, authors) == (esc, authors), "escaped text is not escaped twice"
    assert escape("Zhipu AI & Tsinghua University") == "Zhipu AI & Tsinghua University"
    doc = parse(SEED)
    sec = doc.find_section("Application")
    doc.insert(sec, Entry(title=esc, authors=authors,
                          url="https://arxiv.org/pdf/2603.00001", date="2026.03",
                          venue="Arxiv2026"))
    text = doc.render()
    assert lint(text) == []
    again = parse(text)
    assert again.render() == text
    e = next(e for _, e in again.entries() if e.key == "2603.00001")
    assert e.plain_title == title
    assert e.author_list == ["A. *Star*", "B. [Bracket]"]


# ---- the command line ----------------------------------------------------------------------

def test_lint_cli_prints_file_line_message_and_exits_2(repo):
    readme = repo / "README.md"
    readme.write_text(replace_line(QWEN + 1, LINES[QWEN].replace("2025.05", "2025.5")),
                      encoding="utf-8")
    r = run_cli("--repo", str(repo), "lint")
    assert r.returncode == 2
    assert r.stdout.splitlines()[0] == f"README.md:{QWEN + 1}: bad date '2025.5': expected " \
                                       "YYYY.MM with a month 01-12"


def test_lint_and_render_are_clean_no_ops_on_the_list(repo):
    before = (repo / "README.md").read_bytes()
    r = run_cli("--repo", str(repo), "lint")
    assert r.returncode == 0 and r.stdout == "README.md: 11 paper(s) in 3 section(s), no problem\n"
    r = run_cli("--repo", str(repo), "render")
    assert r.returncode == 0 and "unchanged" in r.stdout
    assert (repo / "README.md").read_bytes() == before


def test_render_refuses_a_readme_that_does_not_lint_and_leaves_it_untouched(repo):
    bad = SEED.replace("\n", "\r\n").encode("utf-8")
    (repo / "README.md").write_bytes(bad)
    r = run_cli("--repo", str(repo), "render")
    assert r.returncode == 2
    assert "README.md:1: CRLF" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert (repo / "README.md").read_bytes() == bad


def test_render_rebuilds_the_table_of_contents_and_entries(repo):
    """A README that lints clean renders to itself; render rebuilds from the parsed list."""
    doc = parse(SEED)
    doc.toc = []   # render never reads the TOC it found: it derives it from the headings
    assert doc.render() == SEED


def test_section_add_puts_heading_and_toc_line_and_nests(repo):
    (repo / "README.md").write_text(seed_with_maintaining_section(), encoding="utf-8")
    r = run_cli("--repo", str(repo), "section", "add", "Training Stability")
    assert r.returncode == 0, r.stderr
    r = run_cli("--repo", str(repo), "section", "add", "Single Teacher", "--under",
                "Training Stability")
    assert r.returncode == 0, r.stderr
    text = (repo / "README.md").read_text(encoding="utf-8")
    assert "  - [Training Stability](#training-stability)\n    - [Single Teacher](#single-teacher)\n" \
        in text
    assert "\n### Training Stability\n" in text and "\n#### Single Teacher" in text
    assert run_cli("--repo", str(repo), "lint").returncode == 0
    doc = parse(text)
    assert doc.section_names()[-1] == "Single Teacher"
    # the maintaining section stays after the list
    assert text.index("#### Single Teacher") < text.index("## Maintaining this list")


def test_section_add_refuses_duplicates_and_unknown_parents(repo):
    before = (repo / "README.md").read_bytes()
    r = run_cli("--repo", str(repo), "section", "add", "Application")
    assert r.returncode == 2
    assert r.stderr == f"opdlist --repo {repo} section add: 'Application' exists already in " \
        "the list\n"
    r = run_cli("--repo", str(repo), "section", "add", "X", "--under", "Aplication")
    assert r.returncode == 2 and "did you mean 'Application'" in r.stderr
    assert (repo / "README.md").read_bytes() == before


def test_help_says_what_each_command_does_with_an_example():
    r = run_cli("--help")
    assert r.returncode == 0
    for name in ("daily", "crawl", "score", "review", "merge", "render", "lint", "evaluate",
                 "schedule", "fake-arxiv", "section"):
        assert name in r.stdout
        sub = run_cli(name, "--help")
        assert sub.returncode == 0 and "example:" in sub.stdout, name


def test_usage_errors_exit_2_and_missing_repo_is_named(tmp_path):
    assert run_cli("no-such-command").returncode == 2
    r = run_cli("--repo", str(tmp_path / "nope"), "lint")
    assert r.returncode == 2 and "nope" in r.stderr
    r = run_cli("--repo", str(tmp_path), "lint")
    assert r.returncode == 2 and "not a list repository" in r.stderr


def test_a_misspelt_command_gets_the_closest_one_in_one_line():
    r = run_cli("dialy")
    assert r.returncode == 2
    assert r.stderr == "opdlist: error: unknown command 'dialy'; did you mean 'daily'?\n"
    r = run_cli("section", "mvoe", "x", "--to", "y")
    assert r.returncode == 2 and "did you mean 'move'?" in r.stderr


def test_lint_render_and_merge_name_a_line_of_the_readme_alike(repo):
    """One convention for where a fault is: the file relative to the repository (README.md:LINE),
    the repository once, in the line's --repo."""
    readme = repo / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("2026.01. ", "2026.13. ", 1),
                      encoding="utf-8")
    lint_out = run_cli("--repo", str(repo), "lint").stdout.splitlines()[0]
    line = lint_out.split(":")[1]
    for command in ("render", "merge"):
        if command == "merge":
            (repo / "review").mkdir()
            (repo / "review" / "candidates.yaml").write_text(
                'candidates:\n  - id: "2601.00001"\n    decision: reject\n')
        r = run_cli("--repo", str(repo), command)
        assert r.returncode == 2
        assert r.stderr.startswith(f"opdlist --repo {repo} {command}: README.md:{line}: "), \
            r.stderr
