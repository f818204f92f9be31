"""Lock race benchmark: how often do two runs both hold the repository lock?

    .venv/bin/python benchmarks/bench_lock.py [TRIALS] [PROCS] [MODULE_FILE]

Each trial leaves a stale lock (the pid of a process that is gone), then starts PROCS
processes that wait on one barrier and take the lock at the same moment; a winner holds it
for 20 ms. A trial fails when two holders' intervals overlap. MODULE_FILE (default
store/lock.py) lets the same trials run against an older lock implementation.
"""
from __future__ import annotations

import importlib.util
import json
import multiprocessing as mp
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def load(module_file: str):
    spec = importlib.util.spec_from_file_location("lock_under_test", module_file)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def contender(module_file, path, barrier, out):
    mod = load(module_file)
    lock = mod.RepoLock(Path(path), 3600, **({"journal": None} if "journal" in
                                            mod.RepoLock.__init__.__code__.co_varnames else {}))
    barrier.wait()
    try:
        lock.acquire()
    except Exception:
        return
    start = time.monotonic()
    time.sleep(0.02)
    out.put((start, time.monotonic()))
    lock.release()


def trials(n: int, procs: int, module_file: str) -> int:
    ctx = mp.get_context("fork")
    dead = int(subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True).stdout)
    both = 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "state" / ".lock"
        path.parent.mkdir()
        for _ in range(n):
            path.write_text(json.dumps({"pid": dead, "host": socket.gethostname(),
                                        "started": time.time()}))
            barrier, out = ctx.Barrier(procs), ctx.Queue()
            ps = [ctx.Process(target=contender, args=(module_file, str(path), barrier, out))
                  for _ in range(procs)]
            for p in ps:
                p.start()
            for p in ps:
                p.join(10)
            held = []
            while not out.empty():
                held.append(out.get())
            held.sort()
            both += any(b[0] < a[1] for a, b in zip(held, held[1:]))
    return both


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    procs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    module_file = sys.argv[3] if len(sys.argv) > 3 else str(ROOT / "store" / "lock.py")
    print(f"{trials(n, procs, module_file)}/{n} trials with {procs} processes had two holders "
          f"at once ({module_file})")
