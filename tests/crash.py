"""Kill tests' failure points, injected from outside the product: `python -m crash POINT ARGS`
runs `opdlist ARGS` in this process and kills it with SIGKILL (as a power cut or `kill -9`
would) at POINT:

- ``before-journal``: every new file of a `write_together` is written as a temp file, its
  journal not yet;
- ``after-first-rename``: the journal is written and the first temp file renamed over its
  destination, the others not;
- ``before-cursor``: the daily run wrote its files, not yet the crawl cursor.
"""
from __future__ import annotations

import os
import signal
import sys


def kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def arm(point: str) -> None:
    import store.files
    import store.state

    if point == "before-journal":
        write = store.files.atomic_write

        def atomic_write(path, data):
            if str(path).endswith(".journal"):
                kill()
            write(path, data)
        store.files.atomic_write = atomic_write
    elif point == "after-first-rename":
        replace = os.replace

        def first_rename(src, dst, *a, **kw):
            replace(src, dst, *a, **kw)
            if str(src).endswith(".pending"):
                kill()
        store.files.os = type("os", (), {"replace": staticmethod(first_rename),
                                         "__getattr__": lambda self, n: getattr(os, n)})()
    elif point == "before-cursor":
        store.state.Cursor.write = lambda self, path: kill()
    else:
        raise SystemExit(f"unknown failure point {point!r}")


if __name__ == "__main__":
    arm(sys.argv[1])
    from scripts.cli import main
    sys.exit(main(sys.argv[2:]))
