"""`opdlist section add` and `opdlist section move`: growing and splitting the list's sections
as the upstream maintainer did (issue 12.8), on the seed list."""
from __future__ import annotations

import shlex

from store.readme import parse
from tests.conftest import run_here as run_cli, seed_with_maintaining_section


def _titles(doc, label):
    return [e.plain_title for e in doc.find_section(label).entries]


def test_the_section_help_examples_split_the_shipped_list(repo):
    """The examples of `opdlist section --help`, run as written on the seed list, split
    Teacher–Student–Based OPD into #### Single Teacher and #### Multi-Teacher."""
    (repo / "README.md").write_text(seed_with_maintaining_section(), encoding="utf-8")
    before = parse(seed_with_maintaining_section())
    help_text = run_cli("section", "--help").stdout
    examples = [line.strip() for line in help_text.split("example:")[1].splitlines()
                if line.strip().startswith("opdlist ")]
    assert len(examples) == 3 and "--under" in examples[0]
    for example in examples:
        r = run_cli("--repo", str(repo), *shlex.split(example)[1:])
        assert r.returncode == 0, (example, r.stderr)
    assert run_cli("--repo", str(repo), "lint").returncode == 0
    text = (repo / "README.md").read_text(encoding="utf-8")
    doc = parse(text)
    assert doc.find_section("Teacher–Student–Based OPD").entries == []
    assert _titles(doc, "Multi-Teacher") == ["Qwen3 Technical Report"]
    # the rest keep the maintainer's order (which is not by date: the blog post is 2025.10)
    assert _titles(doc, "Single Teacher") == [
        t for t in _titles(before, "Teacher–Student–Based OPD") if t != "Qwen3 Technical Report"]
    assert "  - [Teacher–Student–Based OPD](#teacherstudentbased-opd)\n" \
           "    - [Single Teacher](#single-teacher)\n    - [Multi-Teacher](#multi-teacher)\n" in text
    assert "#### Multi-Teacher\n- **Qwen3 Technical Report**  \n" in text
    # the other sections and the text after the list are untouched
    assert text.split("### On-Policy Self-Distillation")[1] == \
        seed_with_maintaining_section().split("### On-Policy Self-Distillation")[1]


def test_section_add_keeps_the_blank_line_before_the_next_heading(repo):
    (repo / "README.md").write_text(seed_with_maintaining_section(), encoding="utf-8")
    r = run_cli("--repo", str(repo), "section", "add", "Survey")
    assert r.returncode == 0, r.stderr
    text = (repo / "README.md").read_text(encoding="utf-8")
    assert "/2602.15005)], 2026.02. ![](https://img.shields.io/badge/Arxiv2026-orange)\n\n" \
           "### Survey\n\n## Maintaining this list\n" in text
    assert run_cli("--repo", str(repo), "lint").returncode == 0


def test_section_move_by_id_or_all_and_refusals(repo):
    readme = repo / "README.md"
    r = run_cli("--repo", str(repo), "section", "add", "Training Stability")
    assert r.returncode == 0, r.stderr
    # ids and links of any shape; moved entries keep the order they had in the list
    r = run_cli("--repo", str(repo), "section", "move", "https://arxiv.org/abs/2601.19897v2",
                "2601.18734", "--to", "Training Stability")
    assert r.returncode == 0 and "moved 2 entries to 'Training Stability'" in r.stdout, r.stderr
    doc = parse(readme.read_text(encoding="utf-8"))
    assert [e.arxiv_id for e in doc.find_section("Training Stability").entries] == \
        ["2601.18734", "2601.19897"]
    # into a section that has entries: each goes where merge would put it (by date, then id)
    r = run_cli("--repo", str(repo), "section", "move", "--all", "Application", "--to",
                "On-Policy Self-Distillation")
    assert r.returncode == 0, r.stderr
    doc = parse(readme.read_text(encoding="utf-8"))
    assert doc.find_section("Application").entries == []
    assert [e.arxiv_id for e in doc.find_section("On-Policy Self-Distillation").entries] == \
        ["2601.20802", "2602.04942", "2602.06019", "2602.12275", "2602.15005"]
    assert run_cli("--repo", str(repo), "lint").returncode == 0
    before = readme.read_bytes()
    for args, said in ((["2699.00001", "--to", "Application"], "not in the list: 2699.00001"),
                       (["2602.15005", "--to", "Aplication"], "did you mean 'Application'"),
                       (["--all", "Application", "--to", "Training Stability"], "no entries"),
                       (["--to", "Application"], "--all FROM")):
        r = run_cli("--repo", str(repo), "section", "move", *args)
        assert r.returncode == 2 and said in r.stderr, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1
    assert readme.read_bytes() == before
