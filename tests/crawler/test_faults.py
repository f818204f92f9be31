"""Faults of arXiv, served by the fake: each ends in the right papers (transient) or a
one-line error with exit 1 and nothing changed (persistent). And politeness: the spacing
of requests, the User-Agent, Retry-After, the run's time budget."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from crawler import crawl
from crawler.errors import BudgetExceeded
from crawler.http import Client
from store.config import Config
from tests.crawler.conftest import (INTERVAL, assert_polite, cursor_of, ids_by_day, make_cfg,
                                    read_jsonl)

D = dt.date
TODAY = D(2025, 10, 9)
CURSOR = D(2025, 10, 6)          # two missed days (10-07, 10-08) from the API, then the feed


@pytest.fixture
def primed(serve, sample, opdlist):
    """A repository whose last run handled CURSOR; the fake's today is TODAY."""
    fake = serve(sample, today=CURSOR)
    assert opdlist(fake, "crawl")[0] == 0
    fake.set_today(TODAY)
    fake.clear()
    return fake


def expected(sample):
    by_day = ids_by_day(sample)
    return by_day[D(2025, 10, 7)] | by_day[D(2025, 10, 8)] | by_day[TODAY]


TRANSIENT = ["rss:429:2", "api:429:2", "503:2", "500:2", "rss:hang:1", "api:hang:1",
             "rss:truncated:2", "api:truncated:1", "rss:html:2", "api:html:1", "api:empty:2",
             "api:zero:2", "rss:dup:1", "api:dup:2"]


@pytest.mark.parametrize("fault", TRANSIENT)
def test_transient_fault_still_gives_exactly_the_right_papers(fault, primed, sample, opdlist,
                                                              tmp_path):
    primed.add_fault(fault)
    out = tmp_path / "new.jsonl"
    code, stdout, err = opdlist(primed, "crawl", "--output", str(out), "--page-size", "25")
    assert code == 0, err
    got = [r["id"] for r in read_jsonl(out)]
    assert len(got) == len(set(got)) and set(got) == expected(sample)
    assert cursor_of(opdlist.repo) == TODAY.isoformat()
    assert "Traceback" not in err
    assert_polite(primed)
    assert not primed.faults, "the fault was never served"


PERSISTENT = ["rss:503:20", "api:429:20", "500:20", "api:hang:20", "rss:truncated:20",
              "api:html:20", "api:empty:20"]


@pytest.mark.parametrize("fault", PERSISTENT)
def test_persistent_fault_fails_cleanly_and_changes_nothing(fault, primed, opdlist, tmp_path):
    cache = opdlist.repo / ".opdlist-cache" / "papers.jsonl.gz"
    before = cache.read_bytes()
    primed.add_fault(fault)
    out = tmp_path / "new.jsonl"
    code, stdout, err = opdlist(primed, "crawl", "--output", str(out))
    assert code == 1
    lines = err.strip().splitlines()
    assert lines[-1].startswith(f"opdlist --repo {opdlist.repo} crawl: ")
    assert "http://127.0.0.1:" in lines[-1]
    assert "Traceback" not in err
    assert not out.exists()
    assert cursor_of(opdlist.repo) == CURSOR.isoformat()
    assert cache.read_bytes() == before
    assert not list((opdlist.repo / "state").glob(".*.tmp"))
    assert_polite(primed)
    # the next run, with arXiv healthy again, redoes the days: nothing lost, nothing doubled
    primed.clear()
    code, _, err = opdlist(primed, "crawl", "--output", str(out))
    assert code == 0, err
    assert cursor_of(opdlist.repo) == TODAY.isoformat()


def test_arxiv_unreachable_is_one_line_exit_1(primed, opdlist):
    primed.stop()
    code, _, err = opdlist(primed, "crawl")
    host = primed.base.split("//")[1]
    assert code == 1 and err == (f"opdlist --repo {opdlist.repo} crawl: cannot reach {host}: "
                                 'connection refused; offline? see "Trying it offline" in '
                                 "README.md\n")
    assert cursor_of(opdlist.repo) == CURSOR.isoformat()


def test_retry_after_seconds_is_honoured(serve, sample, tmp_path):
    fake = serve(sample, today=TODAY, retry_after=1)
    fake.add_fault("429:1")
    crawl(make_cfg(fake, tmp_path))
    assert [s for _, _, s in fake.requests] == [429, 200]
    assert fake.gaps()[0] >= 1.0


def test_retry_after_http_date_is_honoured(serve, sample, tmp_path):
    fake = serve(sample, today=TODAY, retry_after=2.0)
    fake.add_fault("429date:1")
    result = crawl(make_cfg(fake, tmp_path))
    assert [s for _, _, s in fake.requests] == [429, 200] and result.papers
    assert fake.gaps()[0] >= 0.9            # the date has whole seconds: waits 1-2 s


def test_retry_after_beyond_the_run_budget_fails_fast(serve, sample, tmp_path):
    fake = serve(sample, today=TODAY, retry_after=600)
    fake.add_fault("503:1")
    with pytest.raises(BudgetExceeded) as e:
        crawl(make_cfg(fake, tmp_path, run_budget=5.0))
    assert "budget" in str(e.value) and "/rss/" in str(e.value)
    assert fake.count() == 1


def test_requests_are_spaced_and_name_the_project(serve, sample, tmp_path):
    fake = serve(sample, today=D(2025, 10, 14), oai_page=200)
    interval = 0.1
    cfg = make_cfg(fake, tmp_path, min_interval=interval)
    fake.add_fault("api:503:1")
    crawl(cfg, cursor=D(2025, 10, 9), page_size=30)
    assert fake.count() >= 6
    assert_polite(fake, interval)
    assert fake.user_agents == {cfg.user_agent}
    assert "opdlist" in cfg.user_agent and "tests@example.org" in cfg.user_agent


def test_the_default_interval_is_three_seconds():
    cfg = Config()
    assert cfg.min_interval == 3.0
    with Client(cfg) as client:
        assert client.limiter.interval == 3.0
        adapter = client.session.get_adapter("https://export.arxiv.org/api/query")
        assert adapter.max_retries.status_forcelist == (429, 500, 502, 503, 504)
        assert adapter.max_retries.respect_retry_after_header
        assert adapter.poolmanager.connection_pool_kw["maxsize"] == 1


def test_malformed_entries_are_skipped_with_a_warning(serve, sample, tmp_path, caplog):
    broken = [p for p in sample if p.date == TODAY.isoformat()]
    victim = broken[3]
    victim_title, victim.title = victim.title, ""
    try:
        fake = serve(sample, today=TODAY)
        result = crawl(make_cfg(fake, tmp_path))
    finally:
        victim.title = victim_title
    assert {p.key for p in result.papers} == {p.key for p in broken} - {victim.key}
    assert any(victim.key in r.getMessage() and "no title" in r.getMessage()
               for r in caplog.records)


def test_interval_setting_is_read_from_the_environment(primed, opdlist):
    code, _, _ = opdlist(primed, "crawl", "--page-size", "25", interval=0.15)
    assert code == 0 and primed.count() >= 3
    assert_polite(primed, 0.15)
    assert INTERVAL < 0.15


def test_a_persistently_empty_api_loses_no_day_oai_pmh_fills_it(primed, sample, opdlist,
                                                                tmp_path):
    """issue 11.1: the export API answers "no results" for the missed days on every try; the
    days come from OAI-PMH instead of being passed over as holidays."""
    primed.add_fault("api:zero:60")
    out = tmp_path / "new.jsonl"
    code, _, err = opdlist(primed, "crawl", "--output", str(out))
    assert code == 0, err
    got = [r["id"] for r in read_jsonl(out)]
    assert len(got) == len(set(got)) and set(got) == expected(sample)
    assert primed.count("oai") >= 1 and cursor_of(opdlist.repo) == TODAY.isoformat()
    assert_polite(primed)


def test_a_persistently_empty_api_with_oai_pmh_down_fails_and_keeps_the_cursor(primed, opdlist,
                                                                              tmp_path):
    cache = opdlist.repo / ".opdlist-cache" / "papers.jsonl.gz"
    before = cache.read_bytes()
    primed.add_fault("api:zero:60")
    primed.add_fault("oai:503:60")
    out = tmp_path / "new.jsonl"
    code, _, err = opdlist(primed, "crawl", "--output", str(out))
    assert code == 1
    assert "no papers for listing day(s) 2025-10-07 2025-10-08" in err and "OAI-PMH" in err
    assert len(err.strip().splitlines()) == 1
    assert cursor_of(opdlist.repo) == CURSOR.isoformat() and cache.read_bytes() == before
    assert not out.exists()


def test_a_day_both_interfaces_call_empty_fails_the_run_until_the_maintainer_confirms_it(
        primed, sample, opdlist, tmp_path):
    """A holiday the calendar does not know, or an announcement lost on arXiv's side: the API
    and OAI-PMH both answer the two missed days empty. The run is not allowed to pass over
    them quietly: exit 1, one line naming them, the cursor stays. Confirmed with
    --accept-empty, they are passed over (and remembered); the feed's day is handled."""
    primed.add_fault("api:zero:60")
    primed.add_fault("oai:zero:60")
    out = tmp_path / "new.jsonl"
    code, _, err = opdlist(primed, "crawl", "--output", str(out))
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1
    assert "no papers for listing day(s) 2025-10-07 2025-10-08" in err
    assert "--accept-empty 2025-10-07 --accept-empty 2025-10-08" in err
    assert cursor_of(opdlist.repo) == CURSOR.isoformat() and not out.exists()

    code, _, err = opdlist(primed, "crawl", "--output", str(out), "--accept-empty",
                           "2025-10-07", "--accept-empty", "2025-10-08")
    assert code == 0, err
    assert {r["id"] for r in read_jsonl(out)} == ids_by_day(sample)[TODAY]
    assert cursor_of(opdlist.repo) == TODAY.isoformat()
    accepted = json.loads((opdlist.repo / "state" / "cursor.json").read_text())["accepted_empty"]
    assert accepted == ["2025-10-07", "2025-10-08"]


def test_a_weekend_is_no_day_to_accept_as_empty(primed, opdlist):
    code, _, err = opdlist(primed, "daily", "--accept-empty", "2025-10-11")
    assert code == 2 and "2025-10-11 is Saturday" in err and primed.count() == 0


def test_an_empty_id_list_answer_is_asked_again(serve, sample, tmp_path):
    from crawler import fetch_metadata
    fake = serve(sample, today=TODAY)
    wanted = sorted(ids_by_day(sample)[TODAY])[:5]
    fake.add_fault("api:zero:2")
    got = fetch_metadata(make_cfg(fake, tmp_path), wanted)
    assert [p.key for p in got] == wanted
    assert fake.count("api") == 3
