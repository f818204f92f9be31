"""`opdlist crawl` and `crawler.crawl()` against the fake arXiv serving real listings:
today's feed, catch-up of missed days (API, OAI-PMH), backfills, deduplication, the
cursor, `--output`, and the interface `opdlist daily` calls."""
from __future__ import annotations

import datetime as dt

from crawler import CrawlResult, DayBatch, crawl, fetch_metadata
from tests.crawler.conftest import (assert_polite, cursor_of, ids_by_day, make_cfg,
                                    read_jsonl)

D = dt.date


def days_between(by_day, first, last):
    return set().union(*(ids for d, ids in by_day.items() if first <= d <= last))


def test_first_run_takes_todays_listing_only(fake, sample, opdlist, tmp_path):
    out = tmp_path / "new.jsonl"
    code, stdout, err = opdlist(fake, "crawl", "--output", str(out))
    assert code == 0, err
    got = read_jsonl(out)
    assert {r["id"] for r in got} == ids_by_day(sample)[D(2025, 10, 7)]
    assert all(r["date"] == "2025-10-07" for r in got)
    assert stdout.strip() == f"2025-10-07: {len(got)} new papers (rss)"
    assert cursor_of(opdlist.repo) == "2025-10-07"
    assert fake.count("rss") == 1 and fake.count("api") == 0
    # the replace / replace-cross items of the feed are not new papers
    assert not {r["id"] for r in got} & ids_by_day(sample)[D(2025, 10, 2)]
    rec = got[0]
    assert rec["title"] and rec["abstract"] and rec["authors"] and rec["categories"]


def test_second_run_on_the_same_day_writes_none(fake, opdlist, tmp_path):
    out = tmp_path / "new.jsonl"
    assert opdlist(fake, "crawl")[0] == 0
    code, stdout, _ = opdlist(fake, "crawl", "--output", str(out))
    assert code == 0 and out.exists() and out.read_text() == ""
    assert "0 new papers" in stdout
    assert cursor_of(opdlist.repo) == "2025-10-07"


def test_empty_feed_means_no_announcement(serve, sample, opdlist, tmp_path):
    fake = serve(sample, today=D(2025, 10, 6))
    assert opdlist(fake, "crawl")[0] == 0
    fake.set_today(D(2025, 10, 11))                      # a Saturday: no listing
    out = tmp_path / "sat.jsonl"
    code, stdout, _ = opdlist(fake, "crawl", "--output", str(out))
    assert code == 0 and "no announcement" in stdout
    assert out.read_text() == "" and cursor_of(opdlist.repo) == "2025-10-06"
    fake.set_today(D(2025, 10, 7))
    fake.add_fault("holiday")                             # a holiday's empty feed
    assert opdlist(fake, "crawl")[0] == 0
    assert cursor_of(opdlist.repo) == "2025-10-06"


def test_catch_up_of_missed_days_returns_exactly_those_papers(serve, sample, opdlist, tmp_path):
    by_day = ids_by_day(sample)
    fake = serve(sample, today=D(2025, 10, 3))
    assert opdlist(fake, "crawl")[0] == 0
    fake.set_today(D(2025, 10, 14))                       # six listing days missed
    out = tmp_path / "gap.jsonl"
    code, stdout, err = opdlist(fake, "crawl", "--output", str(out))
    assert code == 0, err
    got = read_jsonl(out)
    assert len(got) == len({r["id"] for r in got})
    assert {r["id"] for r in got} == days_between(by_day, D(2025, 10, 4), D(2025, 10, 14))
    for r in got:                                         # each on its own listing day
        assert r["id"] in by_day[D.fromisoformat(r["date"])]
    lines = stdout.strip().splitlines()
    assert [ln.split(":")[0] for ln in lines] == [
        "2025-10-06", "2025-10-07", "2025-10-08", "2025-10-09", "2025-10-10", "2025-10-13",
        "2025-10-14"]
    assert lines[0].endswith("(api)") and lines[-1].endswith("(rss)")
    assert cursor_of(opdlist.repo) == "2025-10-14"
    assert_polite(fake)


def test_catch_up_over_a_holiday(serve, sample, opdlist, tmp_path):
    by_day = ids_by_day(sample)
    fake = serve(sample, today=D(2025, 11, 26))
    assert opdlist(fake, "crawl")[0] == 0
    fake.set_today(D(2025, 12, 3))
    out = tmp_path / "gap.jsonl"
    assert opdlist(fake, "crawl", "--output", str(out))[0] == 0
    got = read_jsonl(out)
    assert {r["id"] for r in got} == days_between(by_day, D(2025, 11, 27), D(2025, 12, 3))
    assert "2025-11-28" not in {r["date"] for r in got}


def test_long_gap_is_fetched_through_oai_pmh_with_paging(serve, sample, opdlist, tmp_path):
    by_day = ids_by_day(sample)
    fake = serve(sample, today=D(2025, 10, 2), oai_page=100)
    assert opdlist(fake, "crawl")[0] == 0
    fake.set_today(D(2025, 11, 14))
    fake.add_fault("oai:dup:2")                           # records repeated across pages
    fake.add_fault("oai:503:2")                           # OAI flow control
    fake.add_fault("oai:truncated:1")
    out = tmp_path / "gap.jsonl"
    code, stdout, err = opdlist(fake, "crawl", "--output", str(out))
    assert code == 0, err
    got = read_jsonl(out)
    assert len(got) == len({r["id"] for r in got})
    assert {r["id"] for r in got} == days_between(by_day, D(2025, 10, 3), D(2025, 11, 14))
    for r in got:
        assert r["id"] in by_day[D.fromisoformat(r["date"])]
    assert fake.count("oai") > 5 and fake.count("api") == 0 and not fake.faults
    assert "(oai)" in stdout
    assert_polite(fake)


def test_api_paging_with_small_pages_duplicates_and_an_empty_page(serve, sample, tmp_path):
    by_day = ids_by_day(sample)
    fake = serve(sample, today=D(2025, 10, 10))
    cfg = make_cfg(fake, tmp_path)
    fake.add_fault("api:dup:2")
    fake.add_fault("api:empty:1")
    result = crawl(cfg, cursor=D(2025, 10, 7), seen=by_day[D(2025, 10, 7)], page_size=20)
    got = [p.key for p in result.papers]
    assert len(got) == len(set(got))
    assert set(got) == days_between(by_day, D(2025, 10, 8), D(2025, 10, 10))
    assert result.new_cursor == D(2025, 10, 10) and result.today == D(2025, 10, 10)
    assert_polite(fake)


def test_crawl_interface_for_the_daily_run(fake, sample, cfg, tmp_path):
    by_day = ids_by_day(sample)
    known = set(list(by_day[D(2025, 10, 7)])[:5])
    result = crawl(cfg, cursor=None, seen=known, progress=False)
    assert isinstance(result, CrawlResult) and result.today == D(2025, 10, 7)
    assert all(isinstance(b, DayBatch) for b in result.days)
    assert [b.day for b in result.days] == [D(2025, 10, 7)]
    assert {p.key for p in result.papers} == by_day[D(2025, 10, 7)] - known
    assert all(p.date == "2025-10-07" for p in result.papers)
    assert result.new_cursor == D(2025, 10, 7)
    assert not (tmp_path / "state").exists()               # crawl() writes nothing
    again = crawl(cfg, cursor=D(2025, 10, 7), seen=by_day[D(2025, 10, 7)])
    assert again.papers == [] and again.new_cursor is None


def test_backfill_range_never_moves_the_cursor_back_nor_repeats(serve, sample, opdlist, tmp_path):
    by_day = ids_by_day(sample)
    fake = serve(sample, today=D(2025, 10, 20))
    assert opdlist(fake, "crawl")[0] == 0
    out = tmp_path / "back.jsonl"
    code, stdout, err = opdlist(fake, "crawl", "--from", "2025-10-08", "--to", "2025-10-10",
                                "--output", str(out))
    assert code == 0, err
    assert {r["id"] for r in read_jsonl(out)} == days_between(by_day, D(2025, 10, 8),
                                                               D(2025, 10, 10))
    assert cursor_of(opdlist.repo) == "2025-10-20"
    assert opdlist(fake, "crawl", "--from", "2025-10-09", "--to", "2025-10-20",
                   "--output", str(out))[0] == 0
    got = {r["id"] for r in read_jsonl(out)}
    assert got == days_between(by_day, D(2025, 10, 13), D(2025, 10, 17))
    assert cursor_of(opdlist.repo) == "2025-10-20"


def test_backfill_joining_the_cursor_moves_it_forward(serve, sample, tmp_path):
    fake = serve(sample, today=D(2025, 12, 30))
    cfg = make_cfg(fake, tmp_path)
    r = crawl(cfg, cursor=D(2025, 10, 3), start=D(2025, 10, 6), end=D(2025, 10, 8))
    assert r.new_cursor == D(2025, 10, 8)
    r = crawl(cfg, cursor=D(2025, 10, 3), start=D(2025, 10, 20), end=D(2025, 10, 22))
    assert r.new_cursor is None                           # would leave a gap


def test_dry_run_fetches_nothing_and_changes_nothing(fake, opdlist):
    code, stdout, _ = opdlist(fake, "crawl", "--dry-run")
    assert code == 0 and "rss/cs.LG+cs.CL+cs.AI+cs.CV" in stdout
    code, stdout, _ = opdlist(fake, "crawl", "--dry-run", "--from", "2025-10-06", "--to",
                              "2025-10-07")
    assert code == 0 and stdout.count("submittedDate") == 1       # both days, one query
    assert "2025-10-06..2025-10-07: API" in stdout
    assert fake.requests == [] and not (opdlist.repo / "state").exists()


def test_fetch_metadata_of_the_lists_papers(serve, sample, list_papers, tmp_path):
    fake = serve(sample + list_papers, today=D(2026, 3, 31))
    cfg = make_cfg(fake, tmp_path)
    wanted = [p.id for p in list_papers if p.id[:1].isdigit()]
    got = fetch_metadata(cfg, wanted + ["2306.08543v2", "9912.99999"])
    assert [p.key for p in got] == wanted
    by_id = {p.key: p for p in list_papers}
    assert all(p.title == by_id[p.key].title for p in got)
    assert fake.count("api") == -(-len(wanted) // 100)


def test_bad_arguments_exit_2(fake, opdlist):
    assert opdlist(fake, "crawl", "--to", "2025-10-07")[0] == 2
    code, _, err = opdlist(fake, "crawl", "--from", "2025-10-07", "--to", "2025-10-01")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_lock_held_by_another_run_exits_1(fake, opdlist):
    state = opdlist.repo / "state"
    state.mkdir()
    from store.lock import RepoLock
    with RepoLock(state / ".lock"):       # another run holds it (an OS file lock)
        code, _, err = opdlist(fake, "crawl")
    assert code == 1 and "lock" in err and fake.requests == []


def test_backfill_never_moves_the_cursor_past_days_not_announced_yet(serve, sample, tmp_path):
    by_day = ids_by_day(sample)
    fake = serve(sample, today=D(2025, 10, 15))
    cfg = make_cfg(fake, tmp_path)
    r = crawl(cfg, cursor=D(2025, 10, 10), seen=by_day[D(2025, 10, 10)], start=D(2025, 10, 13),
              end=D(2025, 10, 31))
    assert {p.key for p in r.papers} == by_day[D(2025, 10, 13)] | by_day[D(2025, 10, 14)] | \
        by_day[D(2025, 10, 15)]
    assert r.new_cursor == D(2025, 10, 15)


def test_from_on_an_empty_feed_day_backfills_without_moving_the_cursor_blindly(serve, sample,
                                                                               tmp_path):
    by_day = ids_by_day(sample)
    fake = serve(sample, today=D(2025, 10, 18))           # Saturday: empty feed
    cfg = make_cfg(fake, tmp_path)
    r = crawl(cfg, cursor=None, start=D(2025, 10, 16))
    assert r.today is None
    assert {p.key for p in r.papers} == by_day[D(2025, 10, 16)] | by_day[D(2025, 10, 17)]
    assert r.new_cursor == D(2025, 10, 17)
