"""`opdlist refresh`: listed entries that stay true. On the fake arXiv, three listed papers
change: one's comment now says it was accepted, one is retitled in v2, one is withdrawn."""
from __future__ import annotations

import json
import re

import pytest

from conftest import ARXIV, make_repo, needs_shared, run_here as run_cli
from scripts.fake_arxiv import FakeArxiv, load
from store.readme import lint, parse
from store.review import read_review

pytestmark = needs_shared

ACCEPTED, RETITLED, WITHDRAWN = "2601.18734", "2602.15005", "2602.06019"


@pytest.fixture
def fake():
    server = FakeArxiv(load([ARXIV / "list_papers.jsonl"]), retry_after=0)
    server.start()
    yield server
    server.stop()


def opdlist(repo, fake, *args):
    return run_cli("--repo", str(repo), *args, env={
        "OPDLIST_ARXIV_RSS_URL": fake.urls["rss_url"], "OPDLIST_ARXIV_API_URL":
        fake.urls["api_url"], "OPDLIST_ARXIV_OAI_URL": fake.urls["oai_url"],
        "OPDLIST_MIN_INTERVAL": "0.01"})


def decide(repo, choices: dict) -> None:
    """The maintainer sets the decision of the update of each id in `choices`."""
    path = repo / "review" / "candidates.yaml"
    blocks = re.split(r"(?m)^(?=  - id: )", path.read_text(encoding="utf-8"))
    for i, block in enumerate(blocks):
        m = re.match(r'  - id: "([^"]+)"', block)
        if m and m.group(1) in choices:
            blocks[i] = block.replace('decision: ""', f"decision: {choices[m.group(1)]}")
    path.write_text("".join(blocks), encoding="utf-8")


def test_refresh_proposes_three_updates_merge_applies_the_approved_in_place(tmp_path, fake):
    repo = make_repo(tmp_path / "repo")
    readme = (repo / "README.md").read_text(encoding="utf-8")
    order = [e.key for _, e in parse(readme).entries()]
    fake.revise(ACCEPTED, comment="Accepted at ICML 2026")
    fake.revise(RETITLED, title="Traj-CoA: Patient Trajectory Modeling via Chain-of-Agents "
                                "for Lung Cancer Risk Prediction (v2)")
    fake.revise(WITHDRAWN, comment="This paper has been withdrawn by the authors")

    r = opdlist(repo, fake, "refresh")
    assert r.returncode == 0, r.stderr
    assert fake.count("api") == 1, "one id_list request for the 16 listed arXiv papers"
    assert "3 update(s) proposed" in r.stdout
    updates = {c.id: c for c in read_review(repo / "review" / "candidates.yaml").candidates}
    assert {i: c.update for i, c in updates.items()} == \
        {ACCEPTED: "venue", RETITLED: "title", WITHDRAWN: "withdrawn"}
    assert (updates[ACCEPTED].venue, updates[ACCEPTED].was) == ("ICML2026", "Arxiv2026")
    assert updates[ACCEPTED].source == "arXiv comment: Accepted at ICML 2026"
    assert updates[RETITLED].title.endswith("(v2)")
    text = (repo / "review" / "candidates.yaml").read_text(encoding="utf-8")
    assert 'update: "venue"' in text and 'was: "Arxiv2026"' in text

    # the pull request lists them apart from new candidates, each with its boxes
    r = opdlist(repo, fake, "pr-body")
    assert r.returncode == 0, r.stderr
    body = r.stdout
    assert "0 candidate(s) to decide in `review/candidates.yaml`, and 3 update(s)" in body
    assert "### Updates of listed entries (3)" in body
    assert "venue Arxiv2026 -> ICML2026" in body
    assert "because: arXiv comment: Accepted at ICML 2026" in body
    assert f"- [ ] approve <!-- opdlist approve {ACCEPTED}:venue -->" in body
    assert f"- [ ] reject <!-- opdlist reject {WITHDRAWN}:withdrawn -->" in body
    # the maintainer ticks two in the pull request and edits the file for the third
    ticked = body.replace(f"- [ ] approve <!-- opdlist approve {ACCEPTED}:venue -->",
                          f"- [x] approve <!-- opdlist approve {ACCEPTED}:venue -->").replace(
        f"- [ ] approve <!-- opdlist approve {RETITLED}:title -->",
        f"- [x] approve <!-- opdlist approve {RETITLED}:title -->")
    (tmp_path / "body.md").write_text(ticked, encoding="utf-8")
    r = opdlist(repo, fake, "decide", "--pr-body", str(tmp_path / "body.md"))
    assert r.returncode == 0, r.stderr
    assert f"approve {ACCEPTED}:venue" in r.stdout and f"approve {RETITLED}:title" in r.stdout
    decide(repo, {WITHDRAWN: "reject"})
    r = opdlist(repo, fake, "merge")
    assert r.returncode == 0, r.stderr
    assert "2 listed entries updated, 1 rejected" in r.stdout
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert lint(readme) == []
    doc = parse(readme)
    entries = {e.key: (s.label, e) for s, e in doc.entries()}
    assert [e.key for _, e in doc.entries()] == order, "every entry keeps its place"
    assert entries[ACCEPTED][1].venue == "ICML2026"
    assert entries[ACCEPTED][0] == "On-Policy Self-Distillation"
    assert entries[RETITLED][1].plain_title.endswith("(v2)")
    assert entries[WITHDRAWN][1].venue == "Arxiv2026", "the rejected update changed nothing"
    decisions = [json.loads(line) for line in
                 (repo / "state" / "decisions.jsonl").read_text().splitlines()]
    assert {(d["id"], d["decision"], d["update"]) for d in decisions} == \
        {(ACCEPTED, "approve", "venue"), (RETITLED, "approve", "title"),
         (WITHDRAWN, "reject", "withdrawn")}

    # the next refresh proposes nothing again, and a new word from arXiv is a new update
    r = opdlist(repo, fake, "refresh")
    assert r.returncode == 0 and "0 update(s) proposed" in r.stdout, r.stdout + r.stderr
    fake.revise(ACCEPTED, comment="Accepted at ICML 2026 as an oral", journal_ref=
                "Proceedings of the 43rd International Conference on Machine Learning, 2026")
    r = opdlist(repo, fake, "refresh", "--dry-run")
    assert "0 update(s) proposed" in r.stdout, "ICML2026 is what the entry says already"


def test_an_approved_withdrawal_takes_the_entry_out_of_the_list(tmp_path, fake):
    repo = make_repo(tmp_path / "repo")
    fake.revise(WITHDRAWN, comment="withdrawn: an error in the main theorem")
    assert opdlist(repo, fake, "refresh").returncode == 0
    decide(repo, {WITHDRAWN: "approve"})
    r = opdlist(repo, fake, "merge")
    assert r.returncode == 0, r.stderr
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert lint(readme) == [] and WITHDRAWN not in readme
    assert "withdrawn on arXiv: out of the list" in r.stdout


def test_daily_reads_the_candidates_venue_from_their_comment_and_refreshes_weekly(tmp_path):
    """A candidate whose arXiv comment says "... (ICLR) 2026, Accepted" gets the badge
    ICLR2026 and the words it came from (one id_list request: the RSS feed has no comments);
    the first daily also refreshes the listed entries, the next day's does not."""
    papers = [p for p in load([ARXIV / "windowB.jsonl.gz", ARXIV / "comments.jsonl"])
              if "2026-03-10" <= p.date <= "2026-03-18"]
    fake = FakeArxiv(papers + load([ARXIV / "list_papers.jsonl"]), retry_after=0)
    fake.start()
    try:
        repo = make_repo(tmp_path / "repo")
        fake.set_today("2026-03-17")
        follow = ["--set", 'follow_authors=["Minsang Kim"]']
        r = opdlist(repo, fake, *follow, "daily")
        assert r.returncode == 0, r.stderr
        assert "refresh: 0 update(s) of listed entries proposed" in r.stdout
        cands = {c.id: c for c in read_review(repo / "review" / "candidates.yaml").candidates}
        iclr = cands["2603.13260"]
        assert iclr.venue == "ICLR2026" and iclr.source.startswith("arXiv comment: ")
        assert "(ICLR) 2026, Accepted" in iclr.source
        body = opdlist(repo, fake, "pr-body").stdout
        assert "venue **ICLR2026**: arXiv comment: The Fourteenth International Conference " \
               "on Learning Representations (ICLR) 2026, Accepted" in body
        assert all(c.venue.startswith("Arxiv") or c.source for c in cands.values())
        state = json.loads((repo / "state" / "cursor.json").read_text())
        assert state["refreshed"] == "2026-03-17"
        fake.set_today("2026-03-18")
        r = opdlist(repo, fake, *follow, "daily")
        assert r.returncode == 0 and "refresh:" not in r.stdout, r.stdout + r.stderr
    finally:
        fake.stop()
