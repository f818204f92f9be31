"""Faults of issue 11 (items 4, 7, 11) and 12.3, each injected over loopback and bounded in
time: a server that trickles bytes or never answers (one deadline for the whole run), a failed
run that must leave every state file as it was, characters XML 1.0 forbids in one item of a
feed, and no network at all (one short line, within seconds, no urllib3 retry lines)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import socket
import subprocess
import sys
import threading
import time

import pytest

from crawler import crawl, fetch_metadata, schedule
from crawler.errors import BudgetExceeded
from crawler.http import Client
from crawler.rss import parse_rss
from store.files import read_papers, write_papers
from tests.conftest import ARXIV, ROOT, SEED_README, make_repo
from tests.crawler.conftest import assert_polite, ids_by_day, make_cfg

D = dt.date
TODAY = D(2025, 10, 9)
CURSOR = D(2025, 10, 6)
HINT = 'offline? see "Trying it offline" in README.md'


def _wait_for(cond, seconds: float = 3.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


# ---- 11.4: one deadline for the whole run, on every request's total time --------------------

def test_a_trickling_server_is_cut_off_at_the_deadline(serve, sample, tmp_path):
    """Each byte arrives well within the timeout; the answer as a whole would take 8 s."""
    fake = serve(sample, today=TODAY, hang=8.0)
    fake.add_fault("rss:trickle:1")
    with pytest.raises(BudgetExceeded) as e:
        crawl(make_cfg(fake, tmp_path, run_budget=1.0, timeout=0.5))
    assert "budget of 1 s spent before arXiv's answer ended" in str(e.value)
    assert "/rss/" in str(e.value)
    assert _wait_for(lambda: fake.aborted == 1), "the client never hung up on the trickle"


def test_the_metadata_lookup_and_the_crawl_share_one_deadline(serve, sample, tmp_path):
    """A black hole eats the run's budget in the metadata look-up: the crawl that follows in
    the same run sends nothing instead of starting a budget of its own."""
    fake = serve(sample, today=TODAY)
    fake.add_fault("blackhole:50")
    cfg = make_cfg(fake, tmp_path, run_budget=1.0, timeout=0.4)
    with Client(cfg) as client:
        with pytest.raises(BudgetExceeded):
            fetch_metadata(cfg, sorted(ids_by_day(sample)[TODAY])[:3], client=client)
        asked = fake.count()
        with pytest.raises(BudgetExceeded):
            crawl(cfg, client=client)
    assert asked >= 1 and fake.count() == asked and fake.count("rss") == 0


def test_daily_against_a_black_hole_fails_within_its_budget_and_changes_nothing(serve, sample,
                                                                                 daily_repo):
    fake = serve(sample, today=TODAY)
    fake.add_fault("blackhole:100")
    before = daily_repo.snapshot()
    code, _, err = daily_repo.run(fake.urls, "--set", "run_budget=1.5", "daily")
    assert code == 1 and "run time budget of 1.5 s spent" in err
    assert len(err.strip().splitlines()) == 1
    assert daily_repo.snapshot() == before


# ---- 11.7: a failed run leaves every state file byte-identical ------------------------------

@pytest.fixture
def daily_repo(monkeypatch, tmp_path, capsys, sample):
    """A list repository (the seed README, our pyproject.toml) whose last run handled CURSOR,
    with a paper cache of a few papers; `run(fake, *args)` runs opdlist in-process on it."""
    import shutil
    repo = tmp_path / "repo"
    (repo / "state").mkdir(parents=True)
    shutil.copy(SEED_README, repo / "README.md")
    shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
    (repo / "state" / "cursor.json").write_text(f'{{"last_day": "{CURSOR}"}}\n')
    write_papers(repo / ".opdlist-cache" / "papers.jsonl.gz",
                 [p for p in sample if p.date == CURSOR.isoformat()][:5])

    class Repo:
        path = repo

        @staticmethod
        def snapshot() -> dict[str, bytes]:
            return {str(p.relative_to(repo)): p.read_bytes() for p in sorted(repo.rglob("*"))
                    if p.is_file() and p.name not in (".lock", "model.joblib")}

        @staticmethod
        def run(urls: dict, *args: str):
            from scripts.cli import main
            for key, var in (("rss_url", "OPDLIST_ARXIV_RSS_URL"),
                             ("api_url", "OPDLIST_ARXIV_API_URL"),
                             ("oai_url", "OPDLIST_ARXIV_OAI_URL")):
                monkeypatch.setenv(var, urls[key])
            monkeypatch.setenv("OPDLIST_MIN_INTERVAL", "0.01")
            capsys.readouterr()
            code = main(["--repo", str(repo), "--set", "timeout=0.5", "--set", "max_retries=2",
                         *args])
            out, err = capsys.readouterr()
            return code, out, err

    return Repo()


@pytest.fixture
def with_list_papers(sample):
    """The fake also knows the list's papers (by id_list only), so a run can fill the cache
    with their metadata: the write a failed run must not keep."""
    listed = [dataclasses.replace(p, date="") for p in read_papers(ARXIV / "list_papers.jsonl")]
    return sample + listed


@pytest.mark.parametrize("faults,cursor", [
    (["rss:503:50"], CURSOR),                       # the feed is down
    (["oai:503:50"], D(2025, 9, 1)),                # a long gap through OAI-PMH fails
    (["api:zero:60", "oai:503:60"], CURSOR),        # missed days nobody can confirm
    (["stop"], CURSOR),                             # the fake arXiv is killed mid-run
], ids=["rss-down", "oai-down", "api-empty-oai-down", "fake-killed"])
def test_a_failed_daily_leaves_every_state_file_byte_identical(faults, cursor, serve,
                                                               with_list_papers, daily_repo):
    fake = serve(with_list_papers, today=TODAY)
    (daily_repo.path / "state" / "cursor.json").write_text(f'{{"last_day": "{cursor}"}}\n')
    if faults == ["stop"]:
        fake.add_fault("rss:blackhole:1")
        threading.Thread(target=lambda: _wait_for(lambda: fake.count("rss") > 0, 30)
                         and fake.stop(), daemon=True).start()
    for fault in faults:
        if fault != "stop":
            fake.add_fault(fault)
    before = daily_repo.snapshot()
    code, _, err = daily_repo.run(fake.urls, "daily")
    assert code == 1, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert daily_repo.snapshot() == before
    assert not list(daily_repo.path.rglob("*.pending")) and \
        not list(daily_repo.path.rglob("*.tmp"))


# ---- 11.11: one bad character must not block a day ------------------------------------------

@pytest.mark.parametrize("endpoint,cursor", [("rss", None), ("api", CURSOR),
                                             ("oai", D(2025, 9, 1))])
def test_characters_xml_forbids_are_stripped_and_every_item_kept(endpoint, cursor, serve, sample,
                                                                 tmp_path, caplog):
    fake = serve(sample, today=TODAY, oai_page=5000)
    fake.add_fault(f"{endpoint}:badchars:50")       # every answer of that interface
    seen = {p.key for p in sample if cursor and p.date <= cursor.isoformat()}
    # the data begin in October: September's days are empty on every interface
    before_data = schedule.listing_days(D(2025, 9, 1), D(2025, 9, 30))
    result = crawl(make_cfg(fake, tmp_path), cursor=cursor, seen=seen, accept_empty=before_data)
    by_day = ids_by_day(sample)
    days = [d for d in by_day if (cursor or TODAY - dt.timedelta(days=1)) < d <= TODAY]
    assert {p.key for p in result.papers} == set().union(*(by_day[d] for d in days))
    assert not any("\x07" in p.title or "&#0;" in p.title for p in result.papers)
    cleaned = [r.getMessage() for r in caplog.records if "XML 1.0 forbids" in r.getMessage()]
    assert cleaned and all("from item " in m for m in cleaned)
    assert fake.faults, "every answer should have carried the bad characters"
    assert_polite(fake)


def test_bad_characters_of_every_kind_in_one_feed():
    feed = (ARXIV / "fixtures").glob("rss_multi*.xml")
    content = next(iter(sorted(feed))).read_bytes()
    good = parse_rss(content)
    i = content.index(b"</title>", content.index(b"<item>"))
    bad = content[:i] + b"\x07\x00\x1b&#0;&#x7;&#xFFFE;&#55296;\xef\xbf\xbe ok&#233;&#x1F600;" + \
        content[i:]
    got = parse_rss(bad)
    assert [p.id for p in got.papers] == [p.id for p in good.papers]
    assert got.papers[0].title == good.papers[0].title + " ok\u00e9\U0001F600"


# ---- 12.3: no network: one short line, within seconds ----------------------------------------

def test_no_name_resolution_fails_at_once_with_one_short_line(daily_repo, monkeypatch, caplog):
    """Offline: the names of arXiv's hosts do not resolve. `daily` says so in one line
    (not after minutes of back-off, not with urllib3's retry lines), and changes nothing."""
    asked: list[str] = []
    real = socket.getaddrinfo

    def offline(host, *args, **kw):
        if str(host).endswith(".invalid"):
            asked.append(host)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", offline)
    before = daily_repo.snapshot()
    urls = {"rss_url": "https://rss.arxiv.invalid/rss/",
            "api_url": "https://export.arxiv.invalid/api/query",
            "oai_url": "https://oaipmh.arxiv.invalid/oai"}
    code, _, err = daily_repo.run(urls, "--set", "max_retries=5", "daily")
    assert code == 1
    # in a log, the daily job's line says when: "YYYY-MM-DD HH:MM:SS opdlist --repo ..."
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d opdlist --repo \S+ daily: cannot reach "
                        rf"rss\.arxiv\.invalid: name resolution failed; {re.escape(HINT)}\n", err)
    assert len(asked) <= 2, f"asked the resolver {len(asked)} times"
    assert not any("Retrying" in r.getMessage() for r in caplog.records)
    assert daily_repo.snapshot() == before


def test_a_refused_connection_is_one_line_on_stderr(tmp_path):
    """As a user sees it: a subprocess, real stderr, default retries."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]                   # closed again: connections are refused
    repo = make_repo(tmp_path / "repo")
    env = {"OPDLIST_ARXIV_RSS_URL": f"http://127.0.0.1:{port}/rss/",
           "OPDLIST_ARXIV_API_URL": f"http://127.0.0.1:{port}/api/query",
           "OPDLIST_ARXIV_OAI_URL": f"http://127.0.0.1:{port}/oai",
           "OPDLIST_MIN_INTERVAL": "0.05", "PYTHONPATH": str(ROOT)}
    import os
    r = subprocess.run([sys.executable, "-m", "scripts.cli", "crawl"],
                       cwd=repo, env={**os.environ, **env}, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 1
    assert r.stderr == (f"opdlist crawl: cannot reach 127.0.0.1:{port}: connection refused; "
                        f"{HINT}\n")
    assert not (repo / "state" / "cursor.json").exists()


def test_score_with_train_and_evaluate_never_touch_the_network(serve, sample, tmp_path,
                                                               daily_repo):
    fake = serve(sample, today=TODAY)
    pool = tmp_path / "pool.jsonl"
    write_papers(pool, [p for p in sample if p.date == TODAY.isoformat()])
    train = tmp_path / "train.jsonl"
    write_papers(train, read_papers(ARXIV / "list_papers.jsonl")[:20])
    code, _, err = daily_repo.run(fake.urls, "score", "--input", str(pool), "--output",
                                  str(tmp_path / "out.jsonl"), "--train", str(train))
    assert code == 0, err
    labels = tmp_path / "labels.jsonl"
    day = [p for p in sample if p.date == TODAY.isoformat()]
    labels.write_text("".join(f'{{"id": "{p.id}", "positive": {str(i < 2).lower()}}}\n'
                              for i, p in enumerate(day)))
    code, _, err = daily_repo.run(fake.urls, "evaluate", "--pool", str(pool), "--labels", str(labels),
                                  "--plot", str(tmp_path / "pr.png"))
    assert code == 0, err
    assert fake.count() == 0, [p for _, p, _ in fake.requests]
