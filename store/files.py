"""All file I/O of opdlist in one place: atomic writes, Paper JSONL (plain or gzipped).

Every write of state goes through `atomic_write`: a temp file in the same folder, fsync,
then `os.replace`, so a reader (or a crash) sees the old file or the new one, never half.
"""
from __future__ import annotations

import errno
import gzip
import hashlib
import io
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from store.errors import BadInput, RunFailed
from store.paper import Paper


def disk_reason(e: OSError) -> str:
    """What the disk said, in words (full, read-only, no permission...), and what to do."""
    space = "free some space and run again"
    rights = "make the repository writable and run again"
    what = {errno.ENOSPC: ("the disk is full", space),
            errno.EDQUOT: ("the disk quota is used up", space),
            errno.EFBIG: ("the file is too large for the file system or the process's file "
                          "size limit", space),
            errno.EROFS: ("the file system is read-only", rights),
            errno.EACCES: ("permission denied", rights),
            errno.EPERM: ("permission denied", rights)}.get(e.errno)
    detail = e.strerror or e.__class__.__name__
    return f"{what[0]} ({detail}): {what[1]}" if what else detail


def disk_error(e: OSError, path: Path | str) -> RunFailed:
    """One line for a write that the disk refused (full, read-only, no permission)."""
    return RunFailed(f"cannot write, the file was left as it was: {disk_reason(e)}",
                     file=str(path))


def _write_temp(dest: Path, data: bytes, suffix: str) -> str:
    """A complete, synced temp file beside `dest` with dest's mode; removed if writing fails."""
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=suffix, dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, dest.stat().st_mode & 0o777 if dest.exists() else 0o644)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return tmp


def atomic_write(path: Path | str, data: bytes | str) -> None:
    """Replace `path` with `data` atomically (temp file + fsync + os.replace). A disk that
    refuses the write (full, read-only) is RunFailed, with no temp file left behind."""
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = _write_temp(path, data, ".tmp")
        os.replace(tmp, path)
    except OSError as e:
        if tmp:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        raise disk_error(e, path) from None


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def read_lines(path: Path | str) -> Iterator[tuple[int, str]]:
    """(line number, text) of a UTF-8 text file, gzipped or not; BadInput on bad bytes."""
    path = Path(path)
    if not path.exists():
        raise BadInput("no such file", file=str(path))
    opener = gzip.open if _is_gzip(path) else open
    lineno = 0
    try:
        with opener(path, "rb") as f:
            for lineno, raw in enumerate(f, start=1):
                try:
                    yield lineno, raw.decode("utf-8")
                except UnicodeDecodeError:
                    raise BadInput("not valid UTF-8", file=str(path), line=lineno) from None
    except (EOFError, gzip.BadGzipFile, OSError) as e:
        if isinstance(e, BadInput):
            raise
        raise BadInput(f"truncated or unreadable file ({e.__class__.__name__})",
                       file=str(path), line=lineno + 1) from None


def read_json_lines(path: Path | str) -> Iterator[tuple[int, dict]]:
    """(line number, decoded object) for every non-blank line of a JSONL file."""
    for lineno, text in read_lines(path):
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            raise BadInput(f"not valid JSON ({e.msg})", file=str(path), line=lineno) from None
        if not isinstance(obj, dict):
            raise BadInput("not a JSON object", file=str(path), line=lineno)
        yield lineno, obj


def read_papers(path: Path | str, *, unique: bool = False) -> list[Paper]:
    """Papers of a Paper JSONL file (gz or plain). With `unique`, a repeated id is BadInput
    naming both lines."""
    papers: list[Paper] = []
    first_line: dict[str, int] = {}
    for lineno, obj in read_json_lines(path):
        p = Paper.from_dict(obj, file=str(path), line=lineno)
        if unique:
            if p.key in first_line:
                raise BadInput(f"duplicate id {p.key} (first on line {first_line[p.key]})",
                               file=str(path), line=lineno, field="id")
            first_line[p.key] = lineno
        papers.append(p)
    return papers


def dumps_jsonl(records: Iterable[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def jsonl_bytes(records: Iterable[dict], *, gz: bool) -> bytes:
    """JSON Lines as bytes, gzipped (reproducibly: no timestamp) when `gz`."""
    data = dumps_jsonl(records).encode("utf-8")
    if gz:
        buf = io.BytesIO()
        # level 1: the paper cache is local and rewritten every run; level 9 takes five
        # times as long (0.35 s for 5,400 papers) for a file a fifth smaller
        with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0, compresslevel=1) as g:
            g.write(data)
        data = buf.getvalue()
    return data


def write_jsonl(path: Path | str, records: Iterable[dict], *, gz: bool | None = None) -> None:
    """Atomically write JSON Lines; gzipped when `gz` (default: the name ends in .gz)."""
    path = Path(path)
    atomic_write(path, jsonl_bytes(records, gz=gz if gz is not None else path.suffix == ".gz"))


def write_papers(path: Path | str, papers: Iterable[Paper]) -> None:
    write_jsonl(path, (p.to_dict() for p in papers))


# ---- several files changed together ----------------------------------------------------------
#
# `write_together` writes every new file as a complete temp file first, then records the
# (temp, destination) pairs in a journal (itself written atomically), then renames each temp
# over its destination and deletes the journal. A crash before the journal exists changes
# nothing (stray temps are swept); a crash after it is rolled forward by `recover`, which every
# command that takes the repository lock runs first. So the files change together or not at all.

def _digest(path: Path | str) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def write_together(files: dict[Path, bytes | str], journal: Path) -> None:
    """Write all `files` or none (see above). The journal records each destination's hash
    before the change, so rolling forward never overwrites a file edited after a crash."""
    pairs: list[dict] = []
    dest = journal
    try:
        for dest, data in files.items():
            dest = Path(dest)
            dest.parent.mkdir(parents=True, exist_ok=True)
            tmp = _write_temp(dest, data.encode("utf-8") if isinstance(data, str) else data,
                              ".pending")
            pairs.append({"tmp": tmp, "dest": str(dest), "before": _digest(dest)})
        dest = journal
        atomic_write(journal, json.dumps({"files": pairs}))
    except BaseException as e:
        for pair in pairs:
            try:
                os.unlink(pair["tmp"])
            except OSError:
                pass
        if isinstance(e, OSError):
            raise disk_error(e, dest) from None
        raise
    try:
        recover(journal)
    except OSError as e:
        raise disk_error(e, journal) from None


def _journal_pairs(journal: Path) -> list[dict]:
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return []       # a journal is written atomically, so this is not ours: drop it
    if isinstance(data, list):      # the first format: [[tmp, dest], ...] without hashes
        return [{"tmp": t, "dest": d, "before": None, "unchecked": True} for t, d in data]
    return list(data.get("files", [])) if isinstance(data, dict) else []


class JournalConflict(RunFailed):
    """A file an interrupted run was about to replace changed since: nothing is done."""


def pending_conflicts(journal: Path) -> list[dict]:
    """The journal's not-yet-renamed files whose destination changed after it was written."""
    return [p for p in _journal_pairs(Path(journal))
            if os.path.exists(p["tmp"]) and not p.get("unchecked")
            and _digest(p["dest"]) != p.get("before")]


def recover_or_refuse(journal: Path, folders: Iterable[Path] = ()) -> bool:
    """`recover`, unless a file the journal would replace changed since the crash (a hand
    edit, a command that did not finish the journal first): then JournalConflict, saying what
    to do, and nothing changed."""
    journal = Path(journal)
    conflicts = pending_conflicts(journal) if journal.exists() else []
    if conflicts:
        c = conflicts[0]
        pending = " ".join(p["tmp"] for p in _journal_pairs(journal) if os.path.exists(p["tmp"]))
        raise JournalConflict(
            f"changed after an interrupted run, which left its update in {c['tmp']}; nothing "
            f"was done. To keep your version: rm {journal} {pending}, then run again (merge "
            "reports entries it finds listed already). To take the interrupted run's version: "
            f"mv {c['tmp']} {c['dest']}, then run again", file=c["dest"])
    try:
        done = recover(journal, folders)
    except OSError as e:
        raise disk_error(e, journal) from None
    if done:
        logging.getLogger("opdlist").info("finished the file updates of an interrupted run")
    return done


def recover(journal: Path, folders: Iterable[Path] = ()) -> bool:
    """Finish an interrupted `write_together` and sweep the temp files of one that died
    before its journal; returns whether there was a journal to finish."""
    journal = Path(journal)
    if not journal.exists():
        for folder in folders:
            for stray in Path(folder).glob(".*.pending"):
                stray.unlink(missing_ok=True)
        return False
    for pair in _journal_pairs(journal):
        if os.path.exists(pair["tmp"]):
            os.replace(pair["tmp"], pair["dest"])
    journal.unlink()
    return True
