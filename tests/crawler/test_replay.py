"""Replaying windowA day by day through `opdlist crawl` against the fake arXiv yields exactly
the ids of the data: with runs skipped (catch-up through the API and through OAI-PMH), with
faults switched on, with a failed run redone the next day. And the fake as a separate process,
as the team's scripts start it."""
from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import urllib.request
from collections import Counter

from tests.conftest import ARXIV, ROOT
from tests.crawler.conftest import (INTERVAL, TOLERANCE, cursor_of, ids_by_day,
                                    read_jsonl)

D = dt.date

SKIPPED = {D(2025, 10, 14), D(2025, 10, 15), D(2025, 10, 16)}                  # API catch-up
SKIPPED |= {D(2025, 11, 3) + dt.timedelta(days=i) for i in range(26)}         # OAI-PMH
SKIPPED |= {D(2025, 12, 22), D(2025, 12, 23), D(2025, 12, 24)}                 # over Christmas
FAULTS = {D(2025, 10, 2): ["rss:503:1"], D(2025, 10, 17): ["api:truncated:1", "api:dup:1"],
          D(2025, 10, 21): ["rss:html:1", "rss:dup:1"], D(2025, 11, 29): ["oai:500:1"],
          D(2025, 12, 1): ["rss:429:1"], D(2025, 12, 29): ["api:empty:1"]}
FAILING = {D(2025, 10, 8): "rss:503:20", D(2025, 12, 10): "hang:20"}      # redone next day


def test_replaying_every_day_of_window_a_yields_exactly_its_papers(serve, sample, opdlist,
                                                                   tmp_path):
    by_day = ids_by_day(sample)
    fake = serve(sample, today=D(2025, 10, 1))
    seen: Counter = Counter()
    dates = {}
    runs = failed = 0
    gaps: list[float] = []      # between two requests of one run (each run is a process)
    day = D(2025, 10, 1)
    while day <= D(2026, 1, 2):
        fake.set_today(day)
        if day in SKIPPED:
            day += dt.timedelta(days=1)
            continue
        for spec in FAULTS.get(day, []):
            fake.add_fault(spec)
        if day in FAILING:
            fake.add_fault(FAILING[day])
            before = cursor_of(opdlist.repo)
        out = tmp_path / f"{day}.jsonl"
        first = len(fake.requests)
        code, stdout, err = opdlist(fake, "crawl", "--output", str(out))
        times = [t for t, _, _ in fake.requests[first:]]
        gaps += [b - a for a, b in zip(times, times[1:])]
        runs += 1
        if day in FAILING:
            assert code == 1 and not out.exists(), stdout
            assert cursor_of(opdlist.repo) == before
            failed += 1
            fake.faults.clear()
        else:
            assert code == 0, f"{day}: {err}"
            for r in read_jsonl(out):
                seen[r["id"]] += 1
                dates[r["id"]] = r["date"]
        day += dt.timedelta(days=1)
    everything = set().union(*by_day.values())
    assert set(seen) == everything
    assert max(seen.values()) == 1, "a paper was returned twice"
    wrong = {i for i, d in dates.items() if i not in by_day[D.fromisoformat(d)]}
    assert not wrong, f"{len(wrong)} papers on the wrong listing day"
    assert cursor_of(opdlist.repo) == "2025-12-30"
    assert fake.count("oai") >= 1 and fake.count("api") >= 5
    assert failed == 2 and runs > 60
    assert min(gaps) >= INTERVAL - TOLERANCE, f"two requests {min(gaps):.4f} s apart"


def test_one_full_day_of_window_a(serve, window_a, tmp_path):
    from crawler import crawl
    from tests.crawler.conftest import make_cfg
    day = D(2025, 10, 7)
    fake = serve(window_a, today=day)
    result = crawl(make_cfg(fake, tmp_path))
    want = ids_by_day(window_a)[day]
    assert len(want) == 839                                  # coverage.tsv
    assert {p.key for p in result.papers} == want and len(result.papers) == len(want)
    assert fake.count() == 1


def test_fake_arxiv_runs_as_a_separate_process_until_killed(tmp_path):
    data = ARXIV / "list_papers.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "scripts.cli", "fake-arxiv", "--data", str(data), "--port", "0",
         "--today", "2026-03-04", "--fault", "rss:503:1"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready = proc.stdout.readline()      # one line, once it answers
        assert ready.startswith("export OPDLIST_ARXIV_RSS_URL=http://127.0.0.1:")
        assert "  # fake arXiv ready: " in ready and "today 2026-03-04" in ready
        shell = subprocess.run(["sh", "-c", ready + 'echo "$OPDLIST_ARXIV_OAI_URL"'],
                               capture_output=True, text=True, timeout=10)
        assert shell.stdout.strip().endswith("/oai"), "the line pastes into a shell whole"
        urls = dict(re.findall(r"(OPDLIST_\w+)=(\S+)", ready))
        assert set(urls) == {"OPDLIST_ARXIV_RSS_URL", "OPDLIST_ARXIV_API_URL",
                             "OPDLIST_ARXIV_OAI_URL"}
        assert urls["OPDLIST_ARXIV_RSS_URL"].startswith("http://127.0.0.1:")
        assert urls["OPDLIST_ARXIV_RSS_URL"].endswith("/rss/")
        control = ready.rsplit("control: ", 1)[1].strip()
        with urllib.request.urlopen(control, timeout=5) as r:
            text = r.read().decode()
        state = json.loads(text)
        assert state["today"] == "2026-03-04" and state["faults"] == ["rss:503:1"]
        assert state["requests"] == 0 and len(text) < 400, "a summary, not the whole log"
        with urllib.request.urlopen(control + "/requests", timeout=5) as r:
            assert json.load(r) == {"requests": [], "gaps": []}
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_fake_arxiv_refuses_a_bad_fault_switch():
    r = subprocess.run([sys.executable, "-m", "scripts.cli", "fake-arxiv", "--data",
                        str(ARXIV / "list_papers.jsonl"), "--fault", "teapot:3"],
                       cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "teapot" in r.stderr and len(r.stderr.strip().splitlines()) == 1
