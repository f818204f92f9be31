"""The repository lock (issue 11.6): an OS file lock held for the run, the pid file only
informative, so takeover is atomic and no content of `state/.lock` blocks or crashes a run."""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from store.errors import LockHeld, RunFailed
from store.lock import RepoLock

HOLD = """
import sys, time
from pathlib import Path
from store.lock import RepoLock
lock = RepoLock(Path(sys.argv[1]))
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def hold(path: Path) -> subprocess.Popen:
    """A live process holding the lock on `path`."""
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE,
                         text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert p.stdout.readline().strip() == "held"
    return p


def dead_pid() -> int:
    return int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True).stdout)


def test_a_held_lock_excludes_whatever_its_pid_file_says(tmp_path):
    path = tmp_path / "state" / ".lock"
    holder = hold(path)
    try:
        for content in [json.dumps({"pid": dead_pid(), "host": socket.gethostname(),
                                    "started": time.time() - 10 ** 6}), "", "garbage"]:
            path.write_text(content)      # a holder that looks dead, old or unreadable
            with pytest.raises(LockHeld, match="another run holds the lock"):
                RepoLock(path, budget=1).acquire()
    finally:
        holder.kill()
        holder.wait()
    with RepoLock(path) as lock:          # killed (SIGKILL): its lock is free at once
        assert lock.held
    assert not path.exists()


@pytest.mark.parametrize("content", [
    json.dumps({"pid": 2 ** 70, "host": socket.gethostname(), "started": time.time()}),
    json.dumps({"pid": 0, "host": socket.gethostname(), "started": time.time()}),
    json.dumps({"pid": -1, "host": socket.gethostname(), "started": time.time()}),
    json.dumps({"pid": 1, "host": "elsewhere", "started": 1e300}),
    "",                                    # a crash on a full disk leaves an empty file
    "\x00\x00\x00",
], ids=["pid-2**70", "pid-0", "pid-minus-1", "other-host", "empty", "nul-bytes"])
def test_no_left_over_lock_content_blocks_or_crashes_a_run(tmp_path, content):
    path = tmp_path / "state" / ".lock"
    path.parent.mkdir()
    path.write_text(content)
    with RepoLock(path, budget=3600) as lock:
        assert lock.held and json.loads(path.read_text())["pid"] == os.getpid()
    assert not path.exists()


def test_the_refusal_shows_any_holder_content_without_an_internal_error(tmp_path):
    path = tmp_path / "state" / ".lock"
    holder = hold(path)
    try:
        for pid in (2 ** 70, 0, -1):
            path.write_text(json.dumps({"pid": pid, "host": "h", "started": 1e300}))
            with pytest.raises(LockHeld) as e:
                RepoLock(path).acquire()
            assert "\n" not in str(e.value)
    finally:
        holder.kill()
        holder.wait()


def test_a_lock_path_that_is_a_directory(tmp_path, repo):
    path = repo / "state" / ".lock"
    path.mkdir(parents=True)
    r = run_cli("--repo", str(repo), "render")       # an empty directory is cleared away
    assert r.returncode == 0, r.stderr
    path.mkdir()
    (path / "something").write_text("x")
    r = run_cli("--repo", str(repo), "render")
    assert r.returncode == 1 and "internal error" not in r.stderr
    assert "state/.lock: is a directory" in r.stderr and len(r.stderr.splitlines()) == 1


def _contend(path, barrier, out):
    lock = RepoLock(Path(path), journal=None)
    barrier.wait()
    try:
        lock.acquire()
    except LockHeld:
        return
    start = time.monotonic()
    time.sleep(0.02)
    out.put((start, time.monotonic()))
    lock.release()


def test_synchronised_takeovers_of_a_stale_lock_never_give_two_holders(tmp_path):
    ctx = mp.get_context("fork")
    path = tmp_path / "state" / ".lock"
    path.parent.mkdir()
    stale = json.dumps({"pid": dead_pid(), "host": socket.gethostname(), "started": time.time()})
    for _ in range(10):
        path.write_text(stale)
        barrier, out = ctx.Barrier(3), ctx.Queue()
        procs = [ctx.Process(target=_contend, args=(str(path), barrier, out)) for _ in range(3)]
        for p in procs:
            p.start()
        for p in procs:
            p.join(10)
        held = sorted(out.get(timeout=5) for _ in range(out.qsize()))
        assert held, "nobody took a stale lock"
        assert all(b[0] >= a[1] for a, b in zip(held, held[1:])), "two holders at once"


def test_a_state_folder_that_cannot_hold_the_lock_is_one_line(tmp_path):
    path = tmp_path / "nowhere" / ".lock"
    (tmp_path / "nowhere").write_text("a file where the state folder should be")
    with pytest.raises(RunFailed, match="nowhere/.lock: cannot take the lock: "):
        RepoLock(path).acquire()
