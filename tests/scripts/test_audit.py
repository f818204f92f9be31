"""`opdlist audit` on what the tool itself added: papers merged from the review file are
listed papers of their range like any other."""
from __future__ import annotations

import gzip
import json

from conftest import ARXIV, make_repo, needs_shared, run_here as run_cli
from scripts.fake_arxiv import FakeArxiv, load
from store.review import read_review

pytestmark = needs_shared


def test_audit_counts_the_papers_merge_added_as_listed(tmp_path):
    march = [p for p in load([ARXIV / "windowB.jsonl.gz"]) if "2026-03-02" <= p.date <= "2026-03-06"]
    pool = tmp_path / "march.jsonl.gz"
    with gzip.open(pool, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(p.to_dict()) + "\n" for p in march)
    fake = FakeArxiv(march + load([ARXIV / "list_papers.jsonl"]), today=march[0].date,
                     retry_after=0)
    fake.start()
    try:
        repo = make_repo(tmp_path / "repo")
        env = {"OPDLIST_ARXIV_RSS_URL": fake.urls["rss_url"],
               "OPDLIST_ARXIV_API_URL": fake.urls["api_url"],
               "OPDLIST_ARXIV_OAI_URL": fake.urls["oai_url"], "OPDLIST_MIN_INTERVAL": "0.01"}
        r = run_cli("--repo", str(repo), "--set", "max_per_day=2", "--set", "min_score=0",
                    "--set", "refresh_days=0", "daily", env=env)
        assert r.returncode == 0, r.stderr
        path = repo / "review" / "candidates.yaml"
        added = [c.id for c in read_review(path).candidates]
        assert len(added) == 2
        path.write_text(path.read_text().replace('decision: ""', "decision: approve"))
        assert run_cli("--repo", str(repo), "merge").returncode == 0
        r = run_cli("--repo", str(repo), "audit", "--from", "2026-03-02", "--to", "2026-03-06",
                    "--input", str(pool), "--json")
        assert r.returncode == 0, r.stderr
        a = json.loads(r.stdout)
        assert a["listed"]["in_range"] == 2
        assert set(a["listed"]["proposed"]) | {m["id"] for m in a["listed"]["not_proposed"]} \
            == set(added)
        r = run_cli("--repo", str(repo), "audit", "--from", "2026-03-02", "--to", "2026-03-06",
                    "--input", str(pool))
        assert "Listed papers of the range: 2;" in r.stdout
        assert max(len(line) for line in r.stdout.splitlines()[1:]) <= 100, \
            "the tables fit a 100-column terminal"
        assert "rank in day" in r.stdout and "  of  " not in r.stdout
    finally:
        fake.stop()


def test_a_table_cut_to_100_columns_keeps_its_sections_apart():
    """Titles and section names share the room a 100-column terminal leaves: the title keeps
    at least 30 characters, a section 14, so "On-Policy Self-Distillation" and
    "Teacher–Student–Based OPD" still read apart; what is cut ends in "…"."""
    from scripts.tables import table
    rows = [{"day": "2026-02-06", "id": "2602.06019", "score": 0.237, "rank": "1 of 511",
             "section": section, "title": "Multi-Token Prediction via Self-Distillation: " * 3}
            for section in ("On-Policy Self-Distillation", "Teacher–Student–Based OPD / Single "
                            "Teacher")]
    out = table(rows, ["day", "id", "score", "rank", "section", "title"],
                shrink=("title", "section"))
    lines = out.splitlines()
    assert max(map(len, lines)) <= 100
    assert "On-Policy Sel" in lines[1] and "Teacher–Stude" in lines[2]
    assert "Multi-Token Prediction via Self" in lines[1] and lines[1].endswith("…")
