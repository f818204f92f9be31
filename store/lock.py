"""One lock per repository: `state/.lock`, holding the pid, host and start time of its owner.

Created with O_EXCL so two runs cannot both take it. A lock is stale, and taken over, when
its process is gone on this host or it is older than the run's time budget.
"""
from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

from store.errors import LockHeld


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child counts as gone
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return True


class RepoLock:
    """``with RepoLock(path, budget): ...`` excludes concurrent runs on one repository."""

    def __init__(self, path: Path, budget: float = 3600.0):
        self.path = Path(path)
        self.budget = budget
        self.held = False

    def _stale(self) -> bool:
        try:
            info = json.loads(self.path.read_text())
            pid, host, started = int(info["pid"]), info["host"], float(info["started"])
        except (OSError, ValueError, KeyError, TypeError):
            # unreadable: a writer may be between create and write; stale only when old
            try:
                return time.time() - self.path.stat().st_mtime > 5
            except FileNotFoundError:
                return True
        if time.time() - started > self.budget:
            return True
        return host == socket.gethostname() and not _alive(pid)

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if self._stale():
                    try:   # take over: move the stale lock aside atomically, then retry
                        os.replace(self.path, f"{self.path}.stale")
                        os.unlink(f"{self.path}.stale")
                    except FileNotFoundError:
                        pass
                    continue
                raise LockHeld(f"another run holds the lock ({self.describe()})",
                               file=str(self.path)) from None
            with os.fdopen(fd, "w") as f:
                json.dump({"pid": os.getpid(), "host": socket.gethostname(),
                           "started": time.time()}, f)
            self.held = True
            return
        raise LockHeld("another run holds the lock", file=str(self.path))

    def describe(self) -> str:
        try:
            info = json.loads(self.path.read_text())
            return f"pid {info['pid']} on {info['host']} since " + \
                time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(info["started"])))
        except (OSError, ValueError, KeyError, TypeError):
            return "owner unknown"

    def release(self) -> None:
        if self.held:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass
            self.held = False

    def __enter__(self) -> "RepoLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
