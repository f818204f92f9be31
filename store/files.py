"""All file I/O of opdlist in one place: atomic writes, Paper JSONL (plain or gzipped).

Every write of state goes through `atomic_write`: a temp file in the same folder, fsync,
then `os.replace`, so a reader (or a crash) sees the old file or the new one, never half.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import signal
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from store.errors import BadInput
from store.paper import Paper


def atomic_write(path: Path | str, data: bytes | str) -> None:
    """Replace `path` with `data` atomically (temp file + fsync + os.replace)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


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
        with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
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

def crash_point(name: str) -> None:
    """Fault injection for the kill tests: with OPDLIST_CRASH_AT=name in the environment the
    process kills itself here with SIGKILL, as a power cut or `kill -9` would."""
    if os.environ.get("OPDLIST_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


def write_together(files: dict[Path, bytes | str], journal: Path) -> None:
    pairs = []
    try:
        for dest, data in files.items():
            dest = Path(dest)
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".pending", dir=dest.parent)
            with os.fdopen(fd, "wb") as f:
                f.write(data.encode("utf-8") if isinstance(data, str) else data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, dest.stat().st_mode & 0o777 if dest.exists() else 0o644)
            pairs.append([tmp, str(dest)])
        crash_point("before-journal")
        atomic_write(journal, json.dumps(pairs))
    except BaseException:
        for tmp, _ in pairs:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        raise
    recover(journal)


def recover(journal: Path, folders: Iterable[Path] = ()) -> bool:
    """Finish an interrupted `write_together` and sweep the temp files of one that died
    before its journal; returns whether there was a journal to finish."""
    journal = Path(journal)
    if not journal.exists():
        for folder in folders:
            for stray in Path(folder).glob(".*.pending"):
                stray.unlink(missing_ok=True)
        return False
    try:
        pairs = json.loads(journal.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        pairs = []      # a journal is written atomically, so this is not ours: drop it
    for i, (tmp, dest) in enumerate(pairs):
        if os.path.exists(tmp):
            os.replace(tmp, dest)
        if i == 0:
            crash_point("after-first-rename")
    journal.unlink()
    return True
