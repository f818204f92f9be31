"""Shared test helpers: where the real data of ../shared lives, and fresh repository copies.

Tests read real data from ../shared (beside the repository, never copied into it). When it
is missing, the tests that need it are skipped with a reason.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("OPDLIST_SHARED", ROOT.parent / "shared")).resolve()
ARXIV = SHARED / "arxiv"
FIXTURES = ARXIV / "fixtures"
HISTORY = SHARED / "seed" / "history"

needs_shared = pytest.mark.skipif(not (ARXIV / "windowA.jsonl.gz").exists(),
                                  reason=f"real data not found at {SHARED}")


@pytest.fixture
def shared() -> Path:
    if not SHARED.exists():
        pytest.skip(f"real data not found at {SHARED}")
    return SHARED


@pytest.fixture
def repo(tmp_path) -> Path:
    """A fresh copy of this repository's list files (README.md, pyproject.toml)."""
    dest = tmp_path / "repo"
    dest.mkdir()
    for name in ("README.md", "pyproject.toml"):
        shutil.copy(ROOT / name, dest / name)
    return dest


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None,
            input: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `opdlist ARGS` in a subprocess, as a user would."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "scripts.cli", *args], cwd=cwd or ROOT,
                          env={**full_env, "PYTHONPATH": str(ROOT)}, input=input,
                          capture_output=True, text=True, timeout=timeout)
