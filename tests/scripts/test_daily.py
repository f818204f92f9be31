"""The daily loop end to end: a fake arXiv serving a week of real listings, `opdlist daily`
each day (one day skipped), a maintainer's edits of the review file, `opdlist merge`.

`opdlist` runs as a subprocess, as cron would run it; the fake arXiv runs in this process on
127.0.0.1 and is pointed at through the OPDLIST_ARXIV_*_URL variables.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import ARXIV, ROOT, make_repo, needs_shared, run_cli, run_here
from scripts.fake_arxiv import FakeArxiv
from store.files import read_papers
from store.readme import lint, parse
from store.review import read_review

pytestmark = needs_shared
WEEK = [dt.date(2025, 10, d) for d in (27, 28, 29, 30, 31)]


@pytest.fixture(scope="module")
def fake():
    papers = [p for p in read_papers(ARXIV / "windowA.jsonl.gz")
              if "2025-10-20" <= p.date <= "2025-10-31"]
    # the list's papers are known to id_list only (no listing day): they are from 2026, and
    # the fake arXiv hides papers announced after its "today"
    papers += [dataclasses.replace(p, date="") for p in read_papers(ARXIV / "list_papers.jsonl")]
    server = FakeArxiv(papers, today=WEEK[0], retry_after=0.05, hang=2.0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def repo(tmp_path, fake):
    repo = make_repo(tmp_path / "repo")
    fake.clear()
    fake.set_today(WEEK[0])
    return repo


def env(fake: FakeArxiv, **extra) -> dict:
    return {"OPDLIST_ARXIV_RSS_URL": fake.urls["rss_url"],
            "OPDLIST_ARXIV_API_URL": fake.urls["api_url"],
            "OPDLIST_ARXIV_OAI_URL": fake.urls["oai_url"],
            "OPDLIST_MIN_INTERVAL": "0.01", **extra}


def daily(repo: Path, fake: FakeArxiv, day: dt.date, crash_at: str | None = None,
          **extra) -> subprocess.CompletedProcess:
    """`opdlist daily` on `day` (in this process; in another when it is to be killed)."""
    fake.set_today(day)
    args = ("--repo", str(repo), "--set", "timeout=1", "--set", "max_retries=2", "daily")
    if crash_at:
        return run_cli(*args, env=env(fake, **extra), crash_at=crash_at)
    return run_here(*args, env=env(fake, **extra))


def candidates(repo: Path) -> list:
    return read_review(repo / "review" / "candidates.yaml").candidates


def cursor(repo: Path) -> str | None:
    path = repo / "state" / "cursor.json"
    return json.loads(path.read_text())["last_day"] if path.exists() else None


def snapshot(repo: Path) -> dict[str, bytes]:
    """Every file of the repository but the rebuildable model and the paper cache (which
    the first run fills with the list's papers before it crawls; see `crawled`)."""
    return {str(p.relative_to(repo)): p.read_bytes() for p in sorted(repo.rglob("*"))
            if p.is_file() and p.name not in (".lock", "model.joblib", "papers.jsonl.gz")}


def crawled(repo: Path) -> set[str]:
    """Listing days of the papers in the cache."""
    path = repo / ".opdlist-cache" / "papers.jsonl.gz"
    return {p.date for p in read_papers(path) if p.date} if path.exists() else set()


def test_a_week_of_daily_runs_review_and_merge(repo, fake):
    # day 1: first run handles today's announcement only
    r = daily(repo, fake, WEEK[0])
    assert r.returncode == 0, r.stderr
    assert cursor(repo) == "2025-10-27"
    first = candidates(repo)
    from store.config import load_config
    assert len(first) <= load_config(repo).max_per_day, "at most max_per_day candidates a day"
    assert {c.announced for c in first} <= {"2025-10-27"}
    assert "day(s) handled" in r.stdout and "candidate(s) added" in r.stdout
    # the list's own papers were fetched once through id_list and cached for training
    cache = {p.key for p in read_papers(repo / ".opdlist-cache" / "papers.jsonl.gz")}
    assert {"2306.13649", "2601.18734", "2602.15005"} <= cache

    # a second run on the same day adds nothing, and says so
    r = daily(repo, fake, WEEK[0])
    assert r.returncode == 0, r.stderr
    assert len(candidates(repo)) == len(first)
    assert r.stdout.strip() == "2025-10-27 was handled already (cursor 2025-10-27): nothing new"

    # day 2 is skipped (the machine was off); day 3 catches it up
    r = daily(repo, fake, WEEK[2])
    assert r.returncode == 0, r.stderr
    assert cursor(repo) == "2025-10-29"
    days = {c.announced for c in candidates(repo)}
    assert {"2025-10-28", "2025-10-29"} <= days
    ids = [c.paper.id for c in candidates(repo)]
    assert len(ids) == len(set(ids))
    assert "2510.23497" in ids, "VOLD (on-policy distillation, 2025-10-28) must be proposed"
    for c in candidates(repo):
        assert c.section in parse((repo / "README.md").read_text()).section_names()
        assert 1 <= len(c.why) <= 8 and c.venue == "Arxiv2025" and 0 <= c.score <= 1
        assert c.paper.abstract and c.paper.authors

    # the maintainer edits the file by hand: approve VOLD into Application, reject the rest
    # of the first two days, keep a comment, leave day 3 undecided
    path = repo / "review" / "candidates.yaml"
    text = path.read_text(encoding="utf-8")
    blocks = re.split(r"(?m)^(?=  - id: )", text)
    edited, rejected = [], []
    for block in blocks:
        m = re.match(r'  - id: "([^"]+)"', block)
        if m and m.group(1) == "2510.23497":
            block = block.replace('decision: ""', 'decision: approve  # read it, clearly OPD')
            block = re.sub(r'section: "[^"]*"', 'section: "Application"', block)
        elif m and '"2025-10-29"' not in block:
            block = block.replace('decision: ""', "decision: reject")
            rejected.append(m.group(1))
        edited.append(block)
    path.write_text("# week 44, reviewed by hand\n" + "".join(edited), encoding="utf-8")
    r = run_here("--repo", str(repo), "merge")
    assert r.returncode == 0, r.stderr
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert lint(readme) == []
    doc = parse(readme)
    app = doc.find_section("Application")
    assert [e.arxiv_id for e in app.entries] == ["2510.23497", "2602.15005"], \
        "VOLD (2025.10) goes before the newer 2026.02 entry"
    assert app.entries[0].render()[1].endswith(
        "[[pdf](https://arxiv.org/pdf/2510.23497)], 2025.10. "
        "![](https://img.shields.io/badge/Arxiv2025-orange)")
    left = path.read_text(encoding="utf-8")
    assert "# week 44, reviewed by hand" in left
    assert {c.announced for c in candidates(repo)} == {"2025-10-29"}
    decided = [json.loads(l) for l in (repo / "state" / "decisions.jsonl").read_text().splitlines()]
    assert {d["id"] for d in decided if d["decision"] == "reject"} == set(rejected)

    # the next days: rejected and approved papers never come back
    for day in WEEK[3:]:
        r = daily(repo, fake, day)
        assert r.returncode == 0, r.stderr
    assert cursor(repo) == "2025-10-31"
    assert {c.announced for c in candidates(repo)} - {"2025-10-29"} <= {"2025-10-30", "2025-10-31"}
    # not even when the same days are crawled again from scratch (cache and cursor lost)
    (repo / ".opdlist-cache" / "papers.jsonl.gz").unlink()
    (repo / "state" / "cursor.json").write_text('{"last_day": "2025-10-27"}')
    r = daily(repo, fake, WEEK[4])
    assert r.returncode == 0, r.stderr
    ids = [c.paper.id for c in candidates(repo)]
    assert not (set(rejected) | {"2510.23497"}) & set(ids)
    assert len(ids) == len(set(ids)), "nothing proposed twice"


def test_a_fresh_machine_without_the_cache_asks_a_few_requests_and_skips_nothing(repo, fake):
    """The paper cache and the model are not committed: a run on a fresh runner (a new
    GitHub Actions machine, no actions/cache hit) finds only state/ and the review file. It
    fetches the listed papers in one id_list request and the earlier listing days of the
    model's background in a few queries, proposes the new day's papers only, and nothing
    decided or proposed before comes back."""
    pyproject = repo / "pyproject.toml"                  # the default background: ten days
    pyproject.write_text(re.sub(r"(?m)^cache_days = \d+", "cache_days = 10",
                                pyproject.read_text()))
    assert daily(repo, fake, WEEK[2]).returncode == 0
    review = repo / "review" / "candidates.yaml"
    review.write_text(review.read_text().replace('decision: ""', "decision: reject", 2))
    assert run_here("--repo", str(repo), "merge").returncode == 0
    before = [c.paper.key for c in candidates(repo)]
    shutil.rmtree(repo / ".opdlist-cache")
    fake.clear()
    r = daily(repo, fake, WEEK[3])
    assert r.returncode == 0, r.stderr
    assert "fetching the listings of" in r.stderr
    assert fake.count("rss") == 1 and fake.count() <= 6, fake.requests
    assert min(fake.gaps()) >= 0.01, "one request at a time, spaced"
    assert cursor(repo) == str(WEEK[3])
    after = [c.paper.key for c in candidates(repo)]
    assert after[:len(before)] == before and len(after) == len(set(after))
    assert {c.announced for c in candidates(repo)[len(before):]} <= {str(WEEK[3])}
    assert len(crawled(repo)) >= 5, "the background holds the earlier listing days again"


def test_a_committed_paper_cache_of_an_older_version_moves_out_of_state(repo, fake):
    assert daily(repo, fake, WEEK[0]).returncode == 0
    (repo / ".opdlist-cache" / "papers.jsonl.gz").rename(repo / "state" / "papers.jsonl.gz")
    listed = {p.key for p in read_papers(repo / "state" / "papers.jsonl.gz") if not p.date}
    fake.clear()
    r = daily(repo, fake, WEEK[1])
    assert r.returncode == 0, r.stderr
    assert not (repo / "state" / "papers.jsonl.gz").exists()
    assert listed <= {p.key for p in read_papers(repo / ".opdlist-cache" / "papers.jsonl.gz")}
    assert "fetched the metadata" not in r.stderr, "the list's papers came from the old cache"


def test_announcement_days_every_interface_answers_empty_are_never_passed_over_quietly(
        repo, fake):
    """Wed and Thu were announced (the calendar says so) but arXiv's interfaces answer them
    empty, while Tue of the same catch-up query has its papers: the run fails in one line
    naming the two days, and changes nothing. Confirmed by the maintainer, they are passed
    over; Tuesday's and Friday's papers are proposed."""
    assert daily(repo, fake, WEEK[0]).returncode == 0
    before = snapshot(repo)
    fake.silence([WEEK[2], WEEK[3]])
    r = daily(repo, fake, WEEK[4])
    assert r.returncode == 1, r.stderr
    (line,) = r.stderr.strip().splitlines()
    assert "no papers for listing day(s) 2025-10-29 2025-10-30" in line
    assert "opdlist daily --accept-empty 2025-10-29 --accept-empty 2025-10-30" in line
    assert snapshot(repo) == before and cursor(repo) == str(WEEK[0])
    r = run_here("--repo", str(repo), "--set", "timeout=1", "daily", "--accept-empty",
                "2025-10-29", "--accept-empty", "2025-10-30", env=env(fake))
    assert r.returncode == 0, r.stderr
    assert cursor(repo) == str(WEEK[4])
    assert "2025-10-28: " in r.stdout and "2025-10-31: " in r.stdout
    assert "2025-10-29: 0 new paper(s)" in r.stdout


def test_steering_phrases_and_followed_authors(repo, fake):
    r = run_here("--repo", str(repo), "--set", "min_score=0.99", "--set", "max_per_day=1",
                "--set", 'include_phrases=["speculative decoding"]',
                "--set", 'exclude_phrases=["distillation"]', "--set", "follow_authors=[]",
                "daily", env=env(fake))
    assert r.returncode == 0, r.stderr
    for c in candidates(repo):
        text = (c.paper.title + " " + c.paper.abstract).lower()
        assert "speculative decoding" in text and "include: speculative decoding" in c.why


def test_a_second_daily_while_one_runs_exits_1_and_a_stale_lock_is_taken_over(repo, fake):
    state = repo / "state"
    state.mkdir()
    holder = subprocess.Popen(      # another run: it holds the lock (an OS file lock)
        [sys.executable, "-c", "import sys, time; from store.lock import RepoLock; "
         "lock = sys.argv[1]; sys.argv[1:] = ['review']; "
         "RepoLock(lock).acquire(); print('held', flush=True); time.sleep(60)",
         str(state / ".lock")], stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert holder.stdout.readline().strip() == "held"
        r = daily(repo, fake, WEEK[0])
        assert r.returncode == 1 and "another run holds the lock" in r.stderr
        assert "'opdlist review', pid" in r.stderr      # says who holds it
        assert not (repo / "review").exists() and cursor(repo) is None
    finally:
        holder.kill()
        holder.wait()
    r = daily(repo, fake, WEEK[0])      # the holder is gone: its lock is stale
    assert r.returncode == 0, r.stderr
    assert cursor(repo) == "2025-10-27" and not (state / ".lock").exists()


@pytest.mark.parametrize("point", ["before-journal", "after-first-rename", "before-cursor"])
def test_daily_killed_at_any_point_loses_nothing_and_the_next_run_repairs(repo, fake, point):
    (repo / "state").mkdir()
    (repo / "state" / "cursor.json").write_text('{"last_day": "2025-10-27"}')
    before = snapshot(repo)
    r = daily(repo, fake, WEEK[2], crash_at=point)
    assert r.returncode == -signal.SIGKILL
    after_kill = snapshot(repo)
    if point == "before-journal":
        assert {k: v for k, v in after_kill.items() if ".pending" not in k} == before
        assert not crawled(repo)
    r = daily(repo, fake, WEEK[2])
    assert r.returncode == 0, r.stderr
    assert cursor(repo) == "2025-10-29"
    ids = [c.paper.id for c in candidates(repo)]
    assert len(ids) == len(set(ids)) and "2510.23497" in ids
    assert not list(repo.rglob("*.pending")) and not (repo / "state" / ".journal").exists()


def test_daily_killed_mid_crawl_leaves_state_unchanged(repo, fake):
    (repo / "state").mkdir()
    (repo / "state" / "cursor.json").write_text('{"last_day": "2025-10-27"}')
    before = snapshot(repo)
    fake.set_today(WEEK[2])
    fake.add_fault("api:hang:50")
    proc = subprocess.Popen([sys.executable, "-m", "scripts.cli", "--repo", str(repo),
                             "--set", "timeout=5", "daily"], cwd=ROOT,
                            env={**os.environ, **env(fake), "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while fake.count("api") == 0 and time.time() < deadline:
        time.sleep(0.05)
    proc.kill()
    proc.wait()
    fake.clear()
    assert snapshot(repo) == before and not crawled(repo)
    r = daily(repo, fake, WEEK[2])
    assert r.returncode == 0, r.stderr
    assert cursor(repo) == "2025-10-29"


def test_daily_fails_cleanly_when_arxiv_is_down(repo, fake):
    (repo / "state").mkdir()
    (repo / "state" / "cursor.json").write_text('{"last_day": "2025-10-27"}')
    before = snapshot(repo)
    fake.add_fault("rss:503:20")
    r = daily(repo, fake, WEEK[2])
    fake.clear()
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()[-1]) < 400
    assert snapshot(repo) == before and not crawled(repo)


def test_a_disk_too_small_for_the_model_fails_in_one_line_and_changes_nothing(repo, fake):
    """The second day's model does not fit on the disk (writes past twice the paper cache's
    size fail, as on a full disk; the model is several times larger): one line naming the
    file, exit 1, and every file as it was, the paper cache and yesterday's model included;
    the next run on a roomy disk does the day."""
    import resource
    assert daily(repo, fake, WEEK[0]).returncode == 0
    # a decision: the next day's model is fitted anew (not yesterday's, reused)
    review = repo / "review" / "candidates.yaml"
    review.write_text(review.read_text().replace('decision: ""', "decision: reject", 1))
    assert run_here("--repo", str(repo), "merge").returncode == 0
    before = {p: p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file()}
    limit = 2 * (repo / ".opdlist-cache" / "papers.jsonl.gz").stat().st_size
    assert (repo / ".opdlist-cache" / "model.joblib").stat().st_size > limit

    def small_disk():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    fake.set_today(WEEK[1])
    r = subprocess.run([sys.executable, "-m", "scripts.cli", "--repo", str(repo),
                        "--set", "timeout=1", "daily"], cwd=ROOT, capture_output=True,
                       text=True, timeout=300, preexec_fn=small_disk,
                       env={**os.environ, **env(fake), "PYTHONPATH": str(ROOT)})
    assert r.returncode == 1, r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert "cannot write" in last and "model.joblib" in last and "Traceback" not in r.stderr
    assert "free some space and run again" in last
    assert {p: p.read_bytes() for p in sorted(repo.rglob("*")) if p.is_file()} == before
    assert daily(repo, fake, WEEK[1]).returncode == 0 and cursor(repo) == str(WEEK[1])


def test_a_read_only_disk_fails_in_one_line_before_asking_arxiv(repo, fake):
    """The repository on a read-only file system (a real one: a read-only bind mount in a
    mount namespace of its own): daily and merge each say so in one line naming the file and
    exit 1, before daily asks arXiv for anything (a day it cannot keep is not fetched)."""
    if subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode != 0:
        pytest.skip("this machine allows no mount namespace (unshare -rm)")
    (repo / "state").mkdir()
    (repo / "state" / "cursor.json").write_text('{"last_day": "2025-10-27"}')
    (repo / "review").mkdir()
    (repo / "review" / "candidates.yaml").write_text(
        "candidates:\n  - id: '2510.21649'\n    decision: reject\n", encoding="utf-8")
    before = snapshot(repo)
    remount = 'mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && exec "$@"'
    fake.set_today(WEEK[1])
    for command in ("daily", "merge"):
        r = subprocess.run(["unshare", "-rm", "sh", "-c", remount, str(repo), sys.executable,
                            "-m", "scripts.cli", "--repo", str(repo), command],
                           cwd=ROOT, capture_output=True, text=True, timeout=120,
                           env={**os.environ, **env(fake), "PYTHONPATH": str(ROOT)})
        assert r.returncode == 1, (command, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
        assert "state/.lock" in r.stderr and "read-only" in r.stderr, r.stderr
        assert "make the repository writable and run again" in r.stderr
    assert snapshot(repo) == before and fake.count() == 0


def test_a_readme_that_does_not_lint_still_gets_candidates_but_merge_refuses(repo, fake):
    readme = repo / "README.md"
    broken = readme.read_text(encoding="utf-8").replace("2025.05. ", "2025.13. ")
    readme.write_text(broken, encoding="utf-8")
    r = daily(repo, fake, WEEK[1])
    assert r.returncode == 0, r.stderr
    assert "does not lint" in r.stderr
    assert candidates(repo)
    path = repo / "review" / "candidates.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('decision: ""', "decision: reject", 1),
                    encoding="utf-8")
    r = run_here("--repo", str(repo), "merge")
    assert r.returncode == 2 and "bad date '2025.13'" in r.stderr
    assert readme.read_text(encoding="utf-8") == broken


def test_a_broken_review_file_stops_daily_before_anything_changes(repo, fake):
    (repo / "review").mkdir()
    (repo / "review" / "candidates.yaml").write_text("candidates:\n  - id: [\n")
    r = daily(repo, fake, WEEK[0])
    assert r.returncode == 2 and "candidates.yaml:" in r.stderr
    assert cursor(repo) is None and fake.count() == 0


def test_review_in_the_terminal_saves_each_decision(repo, fake):
    r = run_here("--repo", str(repo), "--set", "min_score=0", "daily", env=env(fake))
    assert r.returncode == 0, r.stderr
    n = len(candidates(repo))
    assert n >= 2
    r = run_here("--repo", str(repo), "review", input="a\nc\n3\nr\nq\n")
    assert r.returncode == 0, r.stderr
    assert "why:" in r.stdout and "score" in r.stdout
    got = candidates(repo)
    assert [c.decision for c in got[:2]] == ["approve", "reject"]
    assert got[1].section == "Application"
    assert all(c.decision == "" for c in got[2:])
    r = run_here("--repo", str(repo), "merge")
    assert r.returncode == 0 and "1 added, 1 rejected" in r.stdout


def test_review_saves_the_badge_merge_accepts_and_says_what_it_did(repo, fake):
    """`v` then "ICML 2026" saves the badge ICLM2026 as merge wants it (one word); a venue
    that cannot be a badge is not saved; the words say what happened."""
    r = run_here("--repo", str(repo), "--set", "min_score=0", "daily", env=env(fake))
    assert r.returncode == 0, r.stderr
    r = run_here("--repo", str(repo), "review", input="v\nICML 2026\nv\nICML 2026 (oral)\na\n"
                                                    "r\nq\n")
    assert r.returncode == 0, r.stderr
    assert "venue: ICML2026 (saved; a badge is one word, not 'ICML 2026')" in r.stdout
    assert "'ICML 2026 (oral)' cannot be a badge" in r.stdout
    assert "  approved" in r.stdout and "  rejected" in r.stdout and "rejectd" not in r.stdout
    assert f"2 decided, 1 section/venue change(s) saved; run 'opdlist --repo {repo} merge'" \
        in r.stdout
    first = candidates(repo)[0]
    assert (first.venue, first.decision) == ("ICML2026", "approve")
    r = run_here("--repo", str(repo), "merge")
    assert r.returncode == 0 and "[ICML2026]" in r.stdout, r.stdout + r.stderr
    r = run_here("--repo", str(repo), "review", input="s\nq\n")
    assert r.stdout.strip().endswith("nothing decided")


def test_schedule_runs_the_job_and_stops_cleanly_on_sigterm(repo, fake):
    fake.set_today(WEEK[0])
    proc = subprocess.Popen([sys.executable, "-m", "scripts.cli", "--repo", str(repo),
                             "schedule", "--now"], cwd=ROOT, text=True,
                            env={**os.environ, **env(fake), "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(proc.stderr), daemon=True)
    reader.start()
    deadline = time.time() + 120         # until the daemon says the run is done, not a guess
    while not any("daily run done" in line for line in lines) and time.time() < deadline \
            and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    reader.join(timeout=10)
    err = "".join(lines)
    assert proc.returncode == 0, err
    assert "next run at" in err and "daily run done" in err and "SIGTERM received" in err
    assert cursor(repo) == "2025-10-27"


def test_a_new_repository_scores_a_day_as_one_that_has_run_for_days(tmp_path, repo, fake):
    """Issue 22: the same paper once scored 0.95 in one repository and 0.17 in another on its
    first run (one day of background against several). The first run fetches the earlier
    listing days the model fits on, so a repository started today proposes today's papers
    with the scores of one that has run all week."""
    for day in WEEK[:4]:
        assert daily(repo, fake, day).returncode == 0
    old = {c.paper.id: c.score for c in candidates(repo) if c.announced == str(WEEK[3])}
    new_repo = make_repo(tmp_path / "new")
    r = daily(new_repo, fake, WEEK[3])
    assert r.returncode == 0, r.stderr
    assert "fetching the listings of" in r.stderr
    new = {c.paper.id: c.score for c in candidates(new_repo)}
    assert old and set(new) == set(old)
    assert max(abs(new[k] - old[k]) for k in old) <= 0.05, (old, new)
