"""Configuration, the repository lock, the cursor and atomic writes."""
import subprocess
import sys

import pytest

from store.config import load_config
from store.errors import BadInput, LockHeld
from store.files import atomic_write, read_papers
from store.lock import RepoLock
from store.state import read_cursor, write_cursor


def test_config_layers_pyproject_environment_and_command_line(repo):
    cfg = load_config(repo, environ={})
    assert cfg.categories == ["cs.LG", "cs.CL", "cs.AI", "cs.CV"] and cfg.min_interval == 3.0
    assert cfg.schedule == "30 6 * * 1-5"
    cfg = load_config(repo, {"max_per_day": "8"},
                      environ={"OPDLIST_ARXIV_API_URL": "http://127.0.0.1:9/api/query",
                               "OPDLIST_MIN_INTERVAL": "0.01"})
    assert cfg.api_url == "http://127.0.0.1:9/api/query"
    assert cfg.min_interval == 0.01 and cfg.max_per_day == 8
    with pytest.raises(BadInput, match="max_per_day"):
        load_config(repo, {"max_per_day": "many"}, environ={})
    with pytest.raises(BadInput, match="unknown setting 'nope'"):
        load_config(repo, {"nope": "1"}, environ={})


def test_lock_excludes_a_second_run_and_takes_over_a_stale_one(tmp_path):
    path = tmp_path / "state" / ".lock"
    with RepoLock(path):
        with pytest.raises(LockHeld, match="another run holds the lock"):
            RepoLock(path).acquire()
    assert not path.exists()
    # a lock file left by a process that is gone does not hold anyone back
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True)
    dead = int(proc.stdout)
    path.parent.mkdir(exist_ok=True)
    import json, socket, time
    path.write_text(json.dumps({"pid": dead, "host": socket.gethostname(), "started": time.time()}))
    with RepoLock(path) as lock:
        assert lock.held


def test_cursor_round_trip_and_bad_cursor_names_the_file(tmp_path):
    import datetime as dt
    p = tmp_path / "cursor.json"
    assert read_cursor(p) is None
    write_cursor(p, dt.date(2025, 10, 3))
    assert read_cursor(p) == dt.date(2025, 10, 3)
    p.write_text("{}")
    with pytest.raises(BadInput, match="cursor.json:1: last_day"):
        read_cursor(p)


def test_atomic_write_leaves_no_temp_file_and_bad_jsonl_names_the_line(tmp_path):
    p = tmp_path / "a.jsonl"
    atomic_write(p, '{"id": "2601.00001", "title": "T"}\n{"id": "2601.00002", "title": "U"\n')
    assert [f.name for f in tmp_path.iterdir()] == ["a.jsonl"]
    with pytest.raises(BadInput, match=r"a.jsonl:2: not valid JSON"):
        read_papers(p)
    p.write_bytes(b'{"id": "2601.00001", "title": "\xff"}\n')
    with pytest.raises(BadInput, match=r"a.jsonl:1: not valid UTF-8"):
        read_papers(p)
    p.write_text('{"id": "2601.00001", "title": "T"}\n{"id": "2601.00001v2", "title": "T"}\n')
    with pytest.raises(BadInput, match=r"a.jsonl:2: id: duplicate id 2601.00001 \(first on line 1\)"):
        read_papers(p, unique=True)
