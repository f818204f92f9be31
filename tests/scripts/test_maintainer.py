"""A new maintainer's first hour (issue 12): the README's cron line on a fresh copy, and a
folder that is not a list repository refused by every command."""
from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from scripts.fake_arxiv import FakeArxiv
from store.files import read_papers
from tests.conftest import ARXIV, ROOT, SEED_README, make_repo, needs_shared, run_cli, run_here


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


COMMANDS = [["lint"], ["render"], ["merge"], ["merge", "--dry-run"], ["review"], ["daily"],
            ["crawl"], ["section", "add", "X"], ["score", "--input", "in.jsonl", "--output", "o"],
            ["decide", "--pr-body", "body.md"]]


@pytest.mark.parametrize("setup", ["empty", "subfolder", "no-tool-table", "no-papers"])
def test_a_folder_that_is_not_a_list_repository_is_refused_by_every_command(tmp_path, setup):
    folder = tmp_path / "here"
    if setup == "empty":
        folder.mkdir()
    elif setup == "subfolder":
        folder = make_repo(tmp_path / "repo") / "docs"
        folder.mkdir()
    elif setup == "no-tool-table":
        make_repo(folder)
        (folder / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    else:
        make_repo(folder)
        (folder / "README.md").write_text("# My notes\n\n## Ideas\n- none yet\n")
    before = _files(folder)
    for cmd in COMMANDS:
        r = run_here(*cmd, cwd=folder, env={"OPDLIST_ARXIV_RSS_URL": "http://127.0.0.1:9/rss/"})
        assert r.returncode == 2, (cmd, r.stdout, r.stderr)
        assert "not a list repository" in r.stderr and len(r.stderr.splitlines()) == 1, \
            (cmd, r.stderr)
        want = "[tool.opdlist]" if setup in ("empty", "subfolder", "no-tool-table") else \
            "'## Papers'"
        assert want in r.stderr, (cmd, r.stderr)
        assert _files(folder) == before, f"{cmd} wrote into a folder that is not a list"


def test_merge_and_review_without_a_review_file_say_where_they_looked(repo):
    for cmd in (["merge"], ["review"]):
        r = run_cli("--repo", str(repo), *cmd)
        assert r.returncode == 0, r.stderr
        assert "no review file at review/candidates.yaml" in r.stdout, (cmd, r.stdout)


@needs_shared
def test_the_crontab_line_runs_on_a_fresh_clone(tmp_path):
    """The command part of the crontab line `opdlist schedule --crontab` prints (the one the
    README shows), run by `sh -c` as cron would (cron's PATH), in a fresh clone of this
    repository pointed at the fake arXiv."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(clone)], check=True)
    # the working tree as it is now (what is being tested may not be committed yet)
    for name in ("Makefile", "pyproject.toml", ".gitignore"):
        shutil.copy(ROOT / name, clone / name)
    shutil.copy(SEED_README, clone / "README.md")
    for live in ("state", "review"):     # the live list's state: not this test's business
        shutil.rmtree(clone / live, ignore_errors=True)
    (clone / "state").mkdir()
    # the installed environment of this checkout, with the Makefile's install stamps newer
    # than pyproject.toml, so `make` finds it up to date and installs nothing
    venv = clone / ".venv"
    venv.mkdir()
    for part in (ROOT / ".venv").iterdir():
        if not part.name.startswith("."):
            (venv / part.name).symlink_to(part)
    subprocess.run(["make", "-s", ".venv/.project"], cwd=clone, check=True)
    makefile = (clone / "Makefile").read_text(encoding="utf-8")
    for stamp in re.findall(r"^\w*STAMP\s*:=\s*\$\(VENV\)/(\S+)", makefile, re.MULTILINE):
        (venv / stamp).touch()
    for name in ("Makefile", "pyproject.toml"):
        os.utime(clone / name, (0, 0))
    dry = subprocess.run(["make", "-n", "daily"], cwd=clone, capture_output=True, text=True)
    assert "pip install" not in dry.stdout, f"make would install: {dry.stdout}"
    # 2026-01-20 had no listing (arXiv's holiday): the job runs, finds no announcement, and
    # the test is spared the model fit
    papers = [p for p in read_papers(ARXIV / "windowB.jsonl.gz") if p.date == "2026-01-19"]
    fake = FakeArxiv(papers[::10] + read_papers(ARXIV / "list_papers.jsonl"),
                     today=dt.date(2026, 1, 20), retry_after=0)
    fake.start()
    try:
        env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SHELL": "/bin/sh",
               "OPDLIST_ARXIV_RSS_URL": fake.urls["rss_url"],
               "OPDLIST_ARXIV_API_URL": fake.urls["api_url"],
               "OPDLIST_ARXIV_OAI_URL": fake.urls["oai_url"], "OPDLIST_MIN_INTERVAL": "0.01"}
        cron = run_cli("--repo", str(clone), "schedule", "--crontab").stdout.strip()
        assert cron.startswith("30 6 * * 1-5 cd ") and str(clone) in cron
        line = cron.split(" ", 5)[5]          # the command, after the five time fields
        r = subprocess.run(["sh", "-c", line], env=env, capture_output=True, text=True,
                           timeout=240)
    finally:
        fake.stop()
    log = (clone / "state" / "daily.log").read_text(encoding="utf-8")
    assert r.returncode == 0, (r.stderr, log)
    assert "no new announcement" in log, log
    status = subprocess.run(["git", "status", "--porcelain", "--", "state"], cwd=clone,
                            capture_output=True, text=True).stdout
    assert "daily.log" not in status, "the cron log would be committed"


# ---- opdlist review in a terminal ----------------------------------------------------------

def _write_review(repo: Path, papers) -> Path:
    from store.files import atomic_write
    from store.candidate import Candidate, default_venue
    from store.review import read_review

    path = repo / "review" / "candidates.yaml"
    review = read_review(path)
    review.append([Candidate.of(p, score=0.5, section="On-Policy Self-Distillation",
                             venue=default_venue(p.id), why=["distillation"],
                             announced="2026-03-03") for p in papers])
    path.parent.mkdir(exist_ok=True)
    atomic_write(path, review.dump())
    return path


class _Terminal:
    """`opdlist review` on a pseudo-terminal: keys are sent as single bytes, no Enter."""

    def __init__(self, repo: Path):
        import pty
        import threading
        self.master, slave = pty.openpty()
        self.proc = subprocess.Popen([sys.executable, "-m", "scripts.cli", "--repo", str(repo),
                                      "review"], cwd=ROOT, stdin=slave, stdout=slave,
                                     stderr=slave, env={**os.environ, "PYTHONPATH": str(ROOT)})
        os.close(slave)
        self.out = b""
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self):
        while True:
            try:
                data = os.read(self.master, 4096)
            except OSError:
                return
            if not data:
                return
            self.out += data

    def wait_for(self, text: str, count: int = 1, timeout: float = 30) -> None:
        deadline = time.time() + timeout
        while self.out.decode("utf-8", "replace").count(text) < count:
            assert time.time() < deadline and self.proc.poll() is None, \
                f"no {text!r} (x{count}) in: {self.out.decode('utf-8', 'replace')[-800:]}"
            time.sleep(0.05)

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())


@needs_shared
def test_review_on_a_terminal_acts_on_keystrokes_and_never_blocks_a_daily_run(repo):
    from store.review import read_review

    later = {p.id: p for p in read_papers(ARXIV / "later_sections.jsonl")}
    path = _write_review(repo, [later["2603.05433"], later["2603.07079"]])
    term = _Terminal(repo)
    try:
        term.wait_for("[1/2]")
        term.wait_for("[q]uit > ")
        # the maintainer reads the abstract; the scheduled job and a dry run are not locked out
        assert not (repo / "state" / ".lock").exists()
        r = run_cli("--repo", str(repo), "merge", "--dry-run")
        assert r.returncode == 0 and "nothing to merge" in r.stdout, r.stderr
        _write_review(repo, [later["2603.11137"]])          # what a daily run appends
        term.send("c")                                       # one key, no Enter
        term.wait_for("section number or name > ")
        term.send("3\n")
        term.wait_for("(saved)")
        c = read_review(path).candidates[0]
        assert (c.section, c.decision) == ("Application", "")    # saved before any decision
        term.send("a")
        term.wait_for("approved")
        term.wait_for("1 new candidate(s) appended meanwhile")
        term.wait_for("[2/3]")
        term.wait_for("[q]uit > ", count=3)
        term.send("s")
        term.wait_for("[3/3]")
        term.wait_for("[q]uit > ", count=4)
        term.send("v")
        term.wait_for("venue (e.g. ICLR2026) > ")
        term.send("ICLR2026\n")
        term.wait_for("venue: ICLR2026 (saved)")
        term.send("q")
        assert term.proc.wait(timeout=30) == 0
    finally:
        if term.proc.poll() is None:
            term.proc.kill()
        term.proc.wait()
    got = {c.paper.key: c for c in read_review(path).candidates}
    assert got["2603.05433"].decision == "approve" and got["2603.05433"].section == "Application"
    assert got["2603.07079"].decision == ""
    assert (got["2603.11137"].venue, got["2603.11137"].decision) == ("ICLR2026", "")
    assert not (repo / "state" / ".lock").exists()


# ---- comments on decided candidates ---------------------------------------------------------

@needs_shared
def test_a_comment_on_a_decided_candidate_goes_into_the_decisions_file_as_its_note(repo):
    import json

    later = {p.id: p for p in read_papers(ARXIV / "later_sections.jsonl")}
    path = _write_review(repo, [later["2603.05433"], later["2603.07079"], later["2603.11137"]])
    text = path.read_text(encoding="utf-8")
    first, second, third = (text.index(f'  - id: "{i}"') for i in ("2603.05433", "2603.07079",
                                                                     "2603.11137"))
    a, b, c = text[:second], text[second:third], text[third:]
    a = a.replace('decision: ""', "decision: reject   # compression, not distillation as such")
    b = b.replace('decision: ""', "decision: approve  # the entropy paper\n"
                                  "    # upstream filed it under Training Stability")
    c = c.replace('decision: ""', 'decision: ""   # wait for v2')
    b += "  # above the third, undecided: ask a co-maintainer\n"
    path.write_text(a + b + c, encoding="utf-8")
    r = run_cli("--repo", str(repo), "merge")
    assert r.returncode == 0 and "1 added, 1 rejected" in r.stdout, r.stderr
    notes = {d["id"]: d.get("note") for d in map(json.loads, (repo / "state" /
             "decisions.jsonl").read_text(encoding="utf-8").splitlines())}
    assert notes == {"2603.05433": "compression, not distillation as such",
                     "2603.07079": "the entropy paper; upstream filed it under Training Stability"}
    left = path.read_text(encoding="utf-8")        # undecided: stays, its comments too
    assert "# wait for v2" in left
    assert "  # above the third, undecided: ask a co-maintainer\n  - id: \"2603.11137\"" in left


# ---- entries as a maintainer writes them ----------------------------------------------------

@needs_shared
def test_a_long_author_list_is_suggested_as_a_short_line_the_maintainer_can_change(repo):
    from scripts.daily import Pick, candidate
    from store.config import load_config
    from store.files import atomic_write
    from store.review import read_review

    cfg = load_config(repo)
    later = {p.id: p for p in read_papers(ARXIV / "later_sections.jsonl")}
    mimo, short = later["2601.02780"], later["2603.05433"]
    xkd = short.__class__(**{**short.to_dict(), "id": "2602.12674", "title":
                             "$\\mathcal{X}$-KD: General Experiential Knowledge Distillation "
                             "for Large Language Models"})
    assert len(mimo.authors) == 125
    cands = [candidate(Pick(p, 0.9, "Application", ["distillation"]), "2026-01-08", cfg)
             for p in (mimo, short, xkd)]
    path = repo / "review" / "candidates.yaml"
    review = read_review(path)
    review.append(cands)
    path.parent.mkdir()
    atomic_write(path, review.dump())
    text = path.read_text(encoding="utf-8")
    first3 = ", ".join(mimo.authors[:3])
    assert f'authors: "{first3} et al"' in text
    assert 'title: "X-KD: General Experiential' in text
    assert f'authors: ["{short.authors[0]}", ' in text          # a short list stays a list
    # the maintainer writes what upstream wrote, and approves
    text = text.replace(f"{first3} et al", "LLM-Core Xiaomi").replace(
        'decision: ""', "decision: approve", 1)
    path.write_text(text, encoding="utf-8")
    r = run_cli("--repo", str(repo), "merge")
    assert r.returncode == 0, r.stderr
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert "  *LLM-Core Xiaomi*. [[pdf](https://arxiv.org/pdf/2601.02780)], 2026.01." in readme
    # GLM-5's 187 arXiv "authors" start with "GLM-5 Team", ":"
    glm = later["2602.15763"]
    assert candidate(Pick(glm, 0.9, "Application", []), "2026-02-18", cfg).authors_text == \
        "GLM-5 Team, Aohan Zeng, Xin Lv et al"
    # configurable: max_authors = 0 keeps every author
    cfg.max_authors = 0
    assert candidate(Pick(mimo, 0.9, "Application", []), "2026-01-08", cfg).paper.authors == \
        mimo.authors


def test_a_test_that_forgets_repo_never_reaches_this_repository():
    """The repository's own README.md, review/ and state/ are the live list: the tests' opdlist
    runs in an empty folder unless told otherwise, so a command without --repo fails there
    instead of reading (or writing) the live list."""
    from conftest import NEUTRAL
    assert ROOT not in NEUTRAL.resolve().parents and NEUTRAL.resolve() != ROOT
    for run in (run_cli, run_here):
        r = run("lint")
        assert r.returncode == 2 and "not a list repository" in r.stderr, r.stderr
