"""The tool on a list as it really grows: the 180-entry README of `bigreadme` (nested `####`
sections, a blog, a non-arXiv PDF, a `v2` link, venues beyond Arxiv<year>), end to end on the
fake arXiv serving real listings of late March 2026: first `daily`, a backfill with
`daily --from`, the same backfill again, the next plain `daily`, and a merge into a `####`
section.

The fake serves windowB's listings of 2026-03-19 .. 2026-03-30 and the metadata of the
listed papers, except one (2603.27703, KAT-Coder-V2): that one arXiv "does not know".
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from bigreadme import LEAVES, MIMO_PDF, MULTI, TS, build, window_papers
from conftest import make_repo, needs_shared, run_here as run_cli
from scripts.fake_arxiv import FakeArxiv
from store.config import load_config
from store.files import read_papers
from store.paper import KnownPapers
from store.readme import lint, parse
from store.review import read_review
from store.state import PaperCache
from store.training import repo_training

pytestmark = needs_shared
D = dt.date
UNKNOWN = "2603.27703"
SERVED = (D(2026, 3, 19), D(2026, 3, 30))


@pytest.fixture(scope="module")
def big():
    return build()


@pytest.fixture(scope="module")
def fake(big):
    days = [p for p in window_papers().values()
            if SERVED[0].isoformat() <= p.date <= SERVED[1].isoformat()]
    listed = [dataclasses.replace(p, date="", section=None) for p in big.papers
              if p.key != UNKNOWN]
    server = FakeArxiv([p for p in days if p.key != UNKNOWN] + listed, today=D(2026, 3, 27),
                       retry_after=0.05)
    server.start()
    yield server
    server.stop()


def env(fake: FakeArxiv) -> dict:
    return {"OPDLIST_ARXIV_RSS_URL": fake.urls["rss_url"],
            "OPDLIST_ARXIV_API_URL": fake.urls["api_url"],
            "OPDLIST_ARXIV_OAI_URL": fake.urls["oai_url"], "OPDLIST_MIN_INTERVAL": "0.01"}


def opdlist(repo: Path, fake: FakeArxiv, *args: str):
    fake.clear()
    r = run_cli("--repo", str(repo), "--set", "timeout=5", "--set", "max_retries=2", *args,
                env=env(fake))
    assert r.returncode == 0, r.stderr
    return r


def id_list_requests(fake: FakeArxiv) -> int:
    return sum(1 for _, path, _ in fake.requests if re.search(r"[?&]id_list=[^&]", path))


def cursor(repo: Path) -> dict:
    """The crawl's days in the cursor file (without the day of the last refresh)."""
    state = json.loads((repo / "state" / "cursor.json").read_text())
    return {k: v for k, v in state.items() if k != "refreshed"}


def candidates(repo: Path):
    return read_review(repo / "review" / "candidates.yaml").candidates


def test_the_big_list_lints_clean_and_renders_unchanged(tmp_path, big):
    repo = tmp_path / "repo"
    make_repo(repo)
    (repo / "README.md").write_text(big.text, encoding="utf-8")
    doc = parse(big.text)
    assert len(list(doc.entries())) == 180 and doc.section_names() == LEAVES
    venues = {e.venue for _, e in doc.entries()}
    assert {"TechnicalReport2026", "Blog2026", "Blog2025", "ICLR2024"} <= venues
    assert any(e.url.endswith("v2") for _, e in doc.entries())
    assert run_cli("--repo", str(repo), "lint").returncode == 0
    r = run_cli("--repo", str(repo), "render")
    assert r.returncode == 0, r.stderr
    assert (repo / "README.md").read_text(encoding="utf-8") == big.text


def test_names_and_titles_github_shows_as_plain_text_lint_clean_and_merge_unchanged(tmp_path,
                                                                                 big):
    """The real later list has an author written `N.Benjamin Erichson`, which GitHub shows as
    plain text: it lints clean, and merge writes such names and titles (`Node.js`) exactly as
    they are, into a #### section, while what GitHub would render still gets escaped."""
    repo = make_repo(tmp_path / "repo")
    doc = parse(big.text)
    section = doc.find_section(MULTI)
    entry = section.entries[0]
    entry.authors = entry.authors.split(",")[0] + ", N.Benjamin Erichson"
    (repo / "README.md").write_text(doc.render(), encoding="utf-8")
    assert run_cli("--repo", str(repo), "lint").returncode == 0
    (repo / "review").mkdir()
    (repo / "review" / "candidates.yaml").write_text(
        'candidates:\n'
        '  - id: "2510.20739"\n'
        '    title: "Learning to Triage Taint Flows Reported by Dynamic Program Analysis in '
        'Node.js Packages"\n'
        '    authors: ["Ronghao Ni", "N.Benjamin Erichson", "Kevin Cheang"]\n'
        f'    section: "{MULTI}"\n'
        '    decision: approve\n'
        '  - id: "2510.20740"\n'
        '    title: "A *starred* title with www.example.org in it"\n'
        '    authors: ["A. One"]\n'
        f'    section: "{MULTI}"\n'
        '    decision: approve\n', encoding="utf-8")
    r = run_cli("--repo", str(repo), "merge")
    assert r.returncode == 0, r.stderr
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "- **Learning to Triage Taint Flows Reported by Dynamic Program Analysis in Node.js " \
           "Packages**  \n  *Ronghao Ni, N.Benjamin Erichson, Kevin Cheang*." in readme
    assert "- **A \\*starred\\* title with www\\.example.org in it**" in readme
    assert lint(readme) == []
    assert run_cli("--repo", str(repo), "lint").returncode == 0


def test_sections_are_named_as_the_readme_names_them(tmp_path, big):
    """Leaf headings by their text; `Parent / Child` only where a text is ambiguous."""
    repo = make_repo(tmp_path / "repo")
    doc = parse(big.text)
    doc.add_section("Analysis", under=TS)          # now "Analysis" is ambiguous
    (repo / "README.md").write_text(doc.render(), encoding="utf-8")
    pos, _, sections = repo_training(load_config(repo, environ={}))
    assert f"{TS} / Analysis" in sections and "Analysis" in sections
    assert "Single Teacher" in sections and f"{TS} / Single Teacher" not in sections
    assert {p.section for p in pos} <= set(sections)


def test_first_daily_backfill_and_merge_on_the_big_list(tmp_path, big, fake):
    repo = make_repo(tmp_path / "repo")
    (repo / "README.md").write_text(big.text, encoding="utf-8")
    listed = KnownPapers()
    for _, e in parse(big.text).entries():
        listed.add(e.key, e.plain_title)

    # 1. the first daily: metadata of every listed arXiv paper in one id_list request
    fake.set_today(D(2026, 3, 27))
    r = opdlist(repo, fake, "daily")
    # the list's metadata, the candidates' comments, the first refresh (100 ids a request)
    assert id_list_requests(fake) == 1 + 1 + 2
    assert r.stderr.count("arXiv knows no paper") == 1 and UNKNOWN in r.stderr
    assert "3 listed entries are not on arXiv" in r.stderr and MIMO_PDF in r.stderr
    assert "fetched the metadata of 176 listed paper(s) in 1 request(s)" in r.stderr
    assert "offline" not in r.stderr and "of 0 listed" not in r.stderr
    cache = {p.key for p in read_papers(repo / ".opdlist-cache" / "papers.jsonl.gz")}
    assert {p.key for p in big.papers} - cache == {UNKNOWN}
    assert cursor(repo) == {"last_day": "2026-03-27", "first_day": "2026-03-27"}
    first = candidates(repo)
    assert {c.announced for c in first} <= {"2026-03-27"}   # its OPD papers are listed
    for c in first:
        assert c.section in LEAVES, "a leaf section, named as the README names it"
        assert not listed.has(c.paper.key, c.paper.title)

    # the model trains on all 180 entries, in their leaf sections
    pos, _, sections = repo_training(load_config(repo, environ={}), cache=PaperCache(
        repo / ".opdlist-cache" / "papers.jsonl.gz"))
    assert len(pos) == 180 and sections == LEAVES
    assert {p.section for p in pos} == set(LEAVES)
    assert sum(1 for p in pos if p.abstract) == 176   # not the unknown one, blogs and the PDF

    # 2. backfill the days before: said nothing again, asked arXiv for no metadata
    r = opdlist(repo, fake, "daily", "--from", "2026-03-25")
    assert id_list_requests(fake) == 1, "the new candidates' comments, no metadata again"
    assert fake.count("rss") == 1 and fake.count("api") == 2, "the feed, one query of 2 days"
    assert "arXiv knows no paper" not in r.stderr and "not on arXiv" not in r.stderr
    backfilled = candidates(repo)[len(first):]
    per_day = dict(re.findall(r"^(2026-03-2\d): .* (\d+) candidate\(s\)$", r.stdout, re.M))
    assert sorted(per_day) == ["2026-03-25", "2026-03-26", "2026-03-27"]
    assert per_day["2026-03-27"] == "0", "today was handled by the first run"
    for day in ("2026-03-25", "2026-03-26"):
        assert sum(c.announced == day for c in backfilled) == int(per_day[day])
    assert backfilled, "the backfill proposes what the list missed"
    for c in backfilled:
        assert c.section in LEAVES and not listed.has(c.paper.key, c.paper.title)
    assert cursor(repo) == {"last_day": "2026-03-27", "first_day": "2026-03-25"}

    # 3. the next plain daily continues from today
    fake.set_today(D(2026, 3, 30))
    r = opdlist(repo, fake, "daily")
    assert "1 day(s) handled (2026-03-30)" in r.stdout
    assert cursor(repo) == {"last_day": "2026-03-30", "first_day": "2026-03-25"}
    ids = [c.paper.key for c in candidates(repo)]
    assert len(ids) == len(set(ids))

    # the same backfill again adds nothing, and fetches nothing but the feed
    before = (repo / "review" / "candidates.yaml").read_bytes()
    opdlist(repo, fake, "daily", "--from", "2026-03-25")
    assert fake.count() == 1
    assert (repo / "review" / "candidates.yaml").read_bytes() == before
    assert cursor(repo) == {"last_day": "2026-03-30", "first_day": "2026-03-25"}

    # 4. an approval into a #### section: under its heading, in the maintainer's order
    path = repo / "review" / "candidates.yaml"
    chosen = candidates(repo)[0]
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition(f'  - id: "{chosen.paper.id}"')
    block, nxt, tail = rest.partition("\n  - id: ")
    block = re.sub(r'section: "[^"]*"', f'section: "{MULTI}"', block)
    block = block.replace('decision: ""', "decision: approve")
    path.write_text(head + sep + block + nxt + tail, encoding="utf-8")
    r = run_cli("--repo", str(repo), "merge")
    assert r.returncode == 0 and "1 added" in r.stdout, r.stderr
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert lint(readme) == []
    doc, old = parse(readme), parse(big.text)
    assert doc.expected_toc() == old.expected_toc() and doc.toc == old.toc
    multi = doc.find_section(MULTI)
    keys = [e.key for e in multi.entries]
    assert chosen.paper.key in keys and len(keys) == len(old.find_section(MULTI).entries) + 1
    assert [e.sort_key() for e in multi.entries] == sorted(e.sort_key() for e in multi.entries)
    assert [k for k in keys if k != chosen.paper.key] == \
        [e.key for e in old.find_section(MULTI).entries], "the others keep their order"
    assert readme.replace("".join(line + "\n" for line in next(
        e for e in multi.entries if e.key == chosen.paper.key).render()), "", 1) == big.text


def test_audit_of_two_days_is_read_only_and_says_what_either_side_missed(tmp_path, big, fake):
    from scripts.cmd_audit import Audit, render
    from store.lock import RepoLock

    repo = make_repo(tmp_path / "repo")
    (repo / "README.md").write_text(big.text, encoding="utf-8")
    cache = PaperCache(repo / ".opdlist-cache" / "papers.jsonl.gz")     # as a first daily leaves it
    cache.add(dataclasses.replace(p, section=None) for p in big.papers if p.key != UNKNOWN)
    cache.save()
    files = {p: p.read_bytes() for p in repo.rglob("*") if p.is_file()}
    fake.set_today(D(2026, 3, 30))
    with RepoLock(repo / "state" / ".lock"):        # a daily running meanwhile does not block it
        r = opdlist(repo, fake, "audit", "--from", "2026-03-26", "--to", "2026-03-27", "--json",
                    "--top", "3")
    assert {p: p.read_bytes() for p in repo.rglob("*") if p.is_file() and p.name != ".lock"} \
        == {p: b for p, b in files.items()}, "audit writes nothing"
    assert fake.count("rss") == 0 and fake.count("api") == 1, "one query of the two days"
    a = json.loads(r.stdout)
    listed = {p.key for p in big.papers
              if "2026-03-26" <= window_papers().get(p.key, p).date <= "2026-03-27"} - {UNKNOWN}
    assert a["listed"]["in_range"] == len(listed) and a["training"]["held_out"] == len(listed)
    assert a["training"]["listed"] == 180 - len(listed)
    missed = a["listed"]["not_proposed"]
    assert {m["id"] for m in missed} | set(a["listed"]["proposed"]) == listed
    for m in missed:
        assert 1 <= m["rank"] <= m["of"] and m["why_not"] and m["listed_in"] in LEAVES
    weeks = {}
    for u in a["unlisted_best_per_week"]:
        assert u["id"] not in big.sections and dt.date.fromisoformat(u["week"]).weekday() == 0
        weeks.setdefault(u["week"], []).append(u["score"])
    assert weeks and all(len(v) <= 3 and v == sorted(v, reverse=True) for v in weeks.values())
    table = render(Audit.from_dict(a))
    assert "would not have proposed" not in table and "not these" in table
    assert "Best unlisted papers of each week" in table
    assert all(u["id"] in table for u in a["unlisted_best_per_week"])
