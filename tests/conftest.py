"""Shared test helpers: where the real data of ../shared lives, and fresh repository copies.

Tests read real data from ../shared (beside the repository, never copied into it). When it
is missing, the tests that need it are skipped with a reason.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("OPDLIST_SHARED", ROOT.parent / "shared")).resolve()
ARXIV = SHARED / "arxiv"
FIXTURES = ARXIV / "fixtures"
HISTORY = SHARED / "seed" / "history"
# The list as its maintainer published it. Tests start from this, never from the repository's own
# README.md, review/ or state/: those are the live list, changed by every merge.
SEED_README = SHARED / "seed" / "README.md"

needs_shared = pytest.mark.skipif(not (ARXIV / "windowA.jsonl.gz").exists(),
                                  reason=f"real data not found at {SHARED}")


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip(f"real data not found at {SHARED}")
    return SHARED


@pytest.fixture
def repo(tmp_path) -> Path:
    """A fresh list repository: the seed README.md and this repository's pyproject.toml."""
    return make_repo(tmp_path / "repo")


def seed_with_maintaining_section() -> str:
    """The seed README with a `## Maintaining this list` section after the papers, listed in the
    contents, as the shipped README has one (written here, not read from the live README)."""
    text = SEED_README.read_text(encoding="utf-8")
    text = text.replace("  - [Application](#application)\n",
                        "  - [Application](#application)\n- [Maintaining this list](#maintaining-this-list)\n", 1)
    return text + "\n\n## Maintaining this list\n\n```sh\nmake daily\nmake test\n```\n"


def make_repo(dest: Path, readme: Path | None = None) -> Path:
    """A list repository at DEST: README.md from README (default: the seed), our pyproject.toml.

    Never the repository's own README.md: that is the live list, and a merged paper must not
    change what a test sees."""
    if not SEED_README.exists():
        pytest.skip(f"real data not found at {SHARED}")
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(readme or SEED_README, dest / "README.md")
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    # a smaller background than the default ten listing days: a test's first daily fetches
    # three earlier days, not ten (a test that is about the background sets its own)
    text = re.sub(r"(?m)^cache_days\s*=\s*\d+", f"cache_days = {TEST_CACHE_DAYS}", text)
    (dest / "pyproject.toml").write_text(text, encoding="utf-8")
    return dest


TEST_CACHE_DAYS = 3


# where `run_cli` runs without a `cwd`: an empty folder, never this repository, whose
# pyproject.toml, README.md and state/ are the live list (a command that forgets --repo fails)
NEUTRAL = Path(tempfile.gettempdir()) / "opdlist-tests-cwd"


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None,
            input: str | None = None, timeout: float = 300,
            crash_at: str | None = None) -> subprocess.CompletedProcess:
    """Run `opdlist ARGS` in a subprocess, as a user would; with `crash_at`, killed at that
    failure point (tests/crash.py)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    NEUTRAL.mkdir(exist_ok=True)
    command = ["-m", "crash", crash_at] if crash_at else ["-m", "scripts.cli"]
    return subprocess.run([sys.executable, *command, *args], cwd=cwd or NEUTRAL,
                          env={**full_env, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"},
                          input=input, capture_output=True, text=True, timeout=timeout)


def run_here(*args: str, cwd: Path | None = None, env: dict | None = None,
             input: str | None = None) -> subprocess.CompletedProcess:
    """Run `opdlist ARGS` in this process, as `run_cli` would in another (its exit code, its
    stdout and stderr, log lines included), for the tests where the process itself is not
    what is tested: no interpreter start-up and no imports per call."""
    import contextlib
    import io
    import logging

    from scripts.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_env = {k: os.environ.get(k) for k in (env or {})}
    saved_cwd, saved_stdin = Path.cwd(), sys.stdin
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger()
    level = root.level
    NEUTRAL.mkdir(exist_ok=True)
    try:
        os.environ.update(env or {})
        os.chdir(cwd or NEUTRAL)
        sys.stdin = io.StringIO(input or "")
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as e:          # --help, a usage error
                code = e.code if isinstance(e.code, int) else 2
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        sys.stdin = saved_stdin
        os.chdir(saved_cwd)
        for k, v in saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())
