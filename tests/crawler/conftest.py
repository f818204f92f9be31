"""Fixtures of the crawler tests: real listings of ../shared/arxiv served by an in-process
fake arXiv on 127.0.0.1, a configuration pointing at it, and `opdlist` run in-process.

No test talks to the internet and none mocks `requests`: every byte goes over a loopback
socket to `scripts.fake_arxiv.FakeArxiv`. The request interval is lowered to `INTERVAL` so
the tests stay fast; the spacing is still asserted from the fake's request log.
"""
from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import pytest

from scripts.fake_arxiv import FakeArxiv
from store.config import Config
from store.files import read_papers
from store.paper import Paper
from tests.conftest import ARXIV, FIXTURES, SHARED, make_repo

INTERVAL = 0.02          # seconds between requests in tests (the product's default is 3)
TOLERANCE = 0.005        # clock and loopback jitter allowed when asserting the spacing
SAMPLE_EVERY = 8         # the replay tests serve every 8th paper of each day


def _shared_papers(name: str) -> list[Paper]:
    path = ARXIV / name
    if not path.exists():
        pytest.skip(f"real data not found at {SHARED}")
    return read_papers(path)


@pytest.fixture(scope="session")
def window_a() -> list[Paper]:
    """Every paper of windowA (27,980 real listings, Oct-Dec 2025)."""
    return _shared_papers("windowA.jsonl.gz")


@pytest.fixture(scope="session")
def list_papers() -> list[Paper]:
    return _shared_papers("list_papers.jsonl")


@pytest.fixture(scope="session")
def sample(window_a) -> list[Paper]:
    """Every `SAMPLE_EVERY`-th paper (by id) of each listing day of windowA: all 63 days,
    real records, a feed of ~50 items a day."""
    by_day = defaultdict(list)
    for p in window_a:
        by_day[p.date].append(p)
    out = []
    for day in sorted(by_day):
        out += sorted(by_day[day], key=lambda p: p.key)[::SAMPLE_EVERY]
    return out


def ids_by_day(papers) -> dict[dt.date, set[str]]:
    out = defaultdict(set)
    for p in papers:
        if p.date:
            out[dt.date.fromisoformat(p.date)].add(p.key)
    return out


@pytest.fixture
def serve():
    """serve(papers, today=...) -> a started FakeArxiv; stopped after the test."""
    started = []

    def _serve(papers, today=None, **kw) -> FakeArxiv:
        kw.setdefault("retry_after", 0)
        kw.setdefault("hang", 1.0)
        fake = FakeArxiv(papers, today=today, **kw)
        fake.start()
        started.append(fake)
        return fake

    yield _serve
    for fake in started:
        fake.stop()


@pytest.fixture
def fake(serve, sample) -> FakeArxiv:
    return serve(sample, today=dt.date(2025, 10, 7))


def make_cfg(fake: FakeArxiv, repo: Path, **kw) -> Config:
    settings = dict(min_interval=INTERVAL, timeout=0.5, max_retries=3, run_budget=60.0,
                    contact="tests@example.org")
    settings.update(kw)
    return Config(repo=repo, **fake.urls, **settings)


@pytest.fixture
def cfg(fake, tmp_path) -> Config:
    return make_cfg(fake, tmp_path)


@pytest.fixture
def opdlist(monkeypatch, tmp_path, capsys):
    """opdlist(fake, *args) -> (exit code, stdout, stderr), run in-process on a repository
    in tmp_path, with the arXiv URLs of `fake` in the environment."""
    repo = make_repo(tmp_path / "repo")     # opdlist refuses a folder that is not a list

    def _run(fake: FakeArxiv, *args: str, interval: float = INTERVAL):
        from scripts.cli import main
        for key, var in (("rss_url", "OPDLIST_ARXIV_RSS_URL"),
                         ("api_url", "OPDLIST_ARXIV_API_URL"),
                         ("oai_url", "OPDLIST_ARXIV_OAI_URL")):
            monkeypatch.setenv(var, fake.urls[key])
        monkeypatch.setenv("OPDLIST_MIN_INTERVAL", str(interval))
        capsys.readouterr()
        code = main(["--repo", str(repo), "--set", "timeout=0.5", "--set", "max_retries=3",
                     "--set", "run_budget=60", *args])
        out, err = capsys.readouterr()
        return code, out, err

    _run.repo = repo
    return _run


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def cursor_of(repo: Path):
    path = repo / "state" / "cursor.json"
    return json.loads(path.read_text())["last_day"] if path.exists() else None


def assert_polite(fake: FakeArxiv, interval: float = INTERVAL) -> None:
    gaps = fake.gaps()
    assert not gaps or min(gaps) >= interval - TOLERANCE, \
        f"two requests {min(gaps):.4f} s apart (interval {interval})"


__all__ = ["FIXTURES", "INTERVAL", "ids_by_day", "make_cfg", "read_jsonl", "cursor_of",
           "assert_polite"]
