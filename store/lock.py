"""One lock per repository: `state/.lock`, an OS file lock (``flock``) held for the whole run.

The kernel decides who holds the lock, so taking it is atomic and a crashed run's lock is
free the moment its process is gone (whatever its pid file says). The file's content, the
pid, host and start time of the holder, is only informative: it is what the refusal message
shows. An empty or garbled file (a crash on a full disk), a pid file from another host or a
pid that was reused never block a run; a file lock held by a live process always does.

Protocol: open (create) the file, ``flock(LOCK_EX | LOCK_NB)``, then check that the path still
names the inode we locked (a releasing run unlinks it while it still holds it); if not, retry.
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import sys
import time
from pathlib import Path

from store.errors import LockHeld, RunFailed



class RepoLock:
    """``with RepoLock(path, budget): ...`` excludes concurrent runs on one repository.

    Right after the lock is taken, the file updates an interrupted run left in its journal
    (`state/.journal`, beside the lock, unless `journal` says otherwise; None: none) are
    finished, or refused when a file changed since, so every command that takes the lock
    starts from whole state; `folders` are swept of the temp files of a run that died before
    its journal existed."""

    def __init__(self, path: Path, budget: float = 3600.0, *, journal: Path | None | str = "",
                 folders=()):
        self.path = Path(path)
        self.budget = budget
        self.journal = self.path.parent / ".journal" if journal == "" else journal
        self.folders = tuple(folders)
        self.held = False
        self._fd: int | None = None

    def _open(self) -> int:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except IsADirectoryError:
            try:        # an empty directory cannot be anyone's lock: clear it away
                self.path.rmdir()
            except OSError:
                raise RunFailed("is a directory, not a lock file; remove it (rm -r) and run "
                                "again", file=str(self.path)) from None
            return self._open()
        except OSError as e:
            from store.files import disk_reason
            raise RunFailed(f"cannot take the lock: {disk_reason(e)}",
                            file=str(self.path)) from None

    def acquire(self) -> None:
        for _ in range(20):
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                os.close(fd)
                if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise LockHeld(f"another run holds the lock ({self.describe()})",
                                   file=str(self.path)) from None
                raise RunFailed(f"cannot lock: {e.strerror or e}", file=str(self.path)) from None
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if not same:        # unlinked by a run that released it meanwhile: try again
                os.close(fd)
                continue
            self._fd, self.held = fd, True
            self._write_info()
            if self.journal is not None:
                try:
                    from store.files import recover_or_refuse
                    recover_or_refuse(self.journal, self.folders)
                except BaseException:
                    self.release()
                    raise
            return
        raise LockHeld("another run holds the lock (it keeps being replaced)", file=str(self.path))

    def _write_info(self) -> None:
        # what this process runs ("opdlist daily" ...), so a refused run can say who holds it
        command = " ".join(["opdlist", *sys.argv[1:]]) if sys.argv else ""
        info = json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                           "started": time.time(), "command": command}).encode()
        try:
            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, info, 0)
        except OSError:
            pass        # only informative (a full disk): the file lock is what counts

    def describe(self) -> str:
        """Who holds the lock, from its informative content; never raises."""
        try:
            info = json.loads(self.path.read_text(encoding="utf-8"))
            pid, host, started = int(info["pid"]), str(info["host"]), float(info["started"])
            since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started))
        except (OSError, ValueError, KeyError, TypeError, OverflowError, AttributeError):
            return "owner unknown"
        command = info.get("command")
        text = f"pid {pid} on {host} since {since}"
        if isinstance(command, str) and command:
            text = f"'{command[:80]}', {text}"
        if time.time() - started > self.budget:
            text += f"; it has run longer than its budget of {self.budget:.0f} s: if it hangs, " \
                    "stop that process"
        return text

    def release(self) -> None:
        if self.held and self._fd is not None:
            try:                # unlink while still holding it: see the protocol above
                os.unlink(self.path)
            except OSError:
                pass
            os.close(self._fd)
        self._fd, self.held = None, False

    def __enter__(self) -> "RepoLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def finish_interrupted(path: Path, budget: float = 3600.0) -> None:
    """Before any command, even one that only reads (lint, score, pr-body): if a run was
    interrupted between its file updates, finish them under the lock (or refuse, naming the
    file that changed since). While another run holds the lock its journal is its own."""
    if (Path(path).parent / ".journal").exists():
        try:
            with RepoLock(path, budget):
                pass
        except LockHeld:
            pass
