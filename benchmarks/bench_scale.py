"""Scale figures of the whole tool on a list of the upstream list's later size (run by hand).

    .venv/bin/python benchmarks/bench_scale.py [--interval 3] [--top 3]

On a repository holding the 180-entry README of `tests/bigreadme.py` (nested `####`
sections), with the fake arXiv serving window A (2025-10-01 .. 2025-12-30) and the metadata
of the listed papers, it runs the `opdlist` CLI as a user would (a subprocess each):

(a) the first `daily` (today 2025-12-30): requests, seconds, peak memory (max RSS);
(b) `daily --from 2025-10-01`: the backfill of window A, on a pseudo-terminal so the progress
    bars show; requests (against the crawler benchmark's polite minimum: one OAI-PMH page
    of 1000 records per request), seconds, peak memory, candidates per listing day;
(b') the same backfill again: adds nothing;
(c) `audit` of the quarter (`--input windowA.jsonl.gz`: the crawl of the same quarter is (b));
    seconds, peak memory and the head of its tables.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import fcntl
import math
import os
import pty
import re
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from bigreadme import build  # noqa: E402
from conftest import ARXIV, make_repo  # noqa: E402
from scripts.fake_arxiv import FakeArxiv  # noqa: E402
from store.files import read_papers  # noqa: E402

WRAP = ("import resource, sys; from scripts.cli import main; rc = main(sys.argv[1:]); "
        "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
        "file=sys.stderr); sys.exit(rc)")


def opdlist(repo: Path, fake: FakeArxiv, env: dict, *args: str, tty: bool = False) -> dict:
    """Run `opdlist --repo REPO ARGS`; stdout, stderr (a pty's output with `tty`), seconds,
    requests the fake saw, peak memory in MB."""
    fake.clear()
    cmd = [sys.executable, "-c", WRAP, "--repo", str(repo), *args]
    full = {**os.environ, **env, "PYTHONPATH": str(ROOT)}
    t0 = time.monotonic()
    if tty:
        master, slave = pty.openpty()
        # a terminal of 120 columns (a new pty has 0, and tqdm then draws nothing)
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        chunks: list[bytes] = []

        def drain():
            while True:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    return
                if not data:
                    return
                chunks.append(data)
        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
        proc = subprocess.run(cmd, cwd=ROOT, env=full, stdout=subprocess.PIPE, stderr=slave,
                              text=True)
        os.close(slave)
        reader.join(timeout=5)
        os.close(master)
        err = b"".join(chunks).decode("utf-8", "replace")
        out = proc.stdout
    else:
        proc = subprocess.run(cmd, cwd=ROOT, env=full, capture_output=True, text=True)
        out, err = proc.stdout, proc.stderr
    seconds = time.monotonic() - t0
    if proc.returncode != 0:
        raise SystemExit(f"opdlist {' '.join(args)} failed ({proc.returncode}):\n{err[-2000:]}")
    peak = re.search(r"PEAK_RSS_KB (\d+)", err)
    return {"out": out, "err": err, "seconds": seconds, "requests": fake.count(),
            "by_endpoint": {e: fake.count(e) for e in ("rss", "api", "oai")},
            "peak_mb": int(peak.group(1)) / 1024 if peak else float("nan")}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--interval", type=float, default=3.0,
                    help="seconds between requests (arXiv's rule: 3)")
    ap.add_argument("--top", type=int, default=3, help="unlisted papers per week in (c)")
    args = ap.parse_args()

    big = build()
    window = read_papers(ARXIV / "windowA.jsonl.gz")
    in_window = {p.key for p in window}
    listed = [dataclasses.replace(p, date="", section=None) for p in big.papers
              if p.key not in in_window]
    fake = FakeArxiv(window + listed, today=dt.date(2025, 12, 30), oai_page=1000)
    fake.start()
    env = {"OPDLIST_ARXIV_RSS_URL": fake.urls["rss_url"],
           "OPDLIST_ARXIV_API_URL": fake.urls["api_url"],
           "OPDLIST_ARXIV_OAI_URL": fake.urls["oai_url"],
           "OPDLIST_MIN_INTERVAL": str(args.interval)}
    repo = make_repo(Path(tempfile.mkdtemp()) / "repo")
    (repo / "README.md").write_text(big.text, encoding="utf-8")
    try:
        a = opdlist(repo, fake, env, "daily")
        b = opdlist(repo, fake, env, "daily", "--from", "2025-10-01", tty=True)
        b2 = opdlist(repo, fake, env, "daily", "--from", "2025-10-01")
        c = opdlist(repo, fake, env, "audit", "--from", "2025-10-01", "--to", "2025-12-30",
                    "--input", str(ARXIV / "windowA.jsonl.gz"), "--top", str(args.top))
    finally:
        fake.stop()

    per_day = [(d, int(n), int(k)) for d, n, k in re.findall(
        r"^(\d{4}-\d\d-\d\d): (\d+) new paper\(s\), \d+ unseen, (\d+) candidate\(s\)$",
        b["out"], re.M)]
    backfilled = [k for d, n, k in per_day if d < "2025-12-30"]
    n_old = sum(n for d, n, k in per_day if d < "2025-12-30")
    oai_min = math.ceil(n_old / 1000)
    print(f"interval {args.interval:g} s between requests; {len(list(big.text.splitlines()))}-line "
          f"README with 180 entries in 9 leaf sections; fake arXiv serving window A "
          f"({len(window)} papers) and the listed papers' metadata\n")
    print("| run | requests (rss/api/oai) | seconds | peak memory MB |")
    print("|---|---:|---:|---:|")
    for name, r in (("(a) first daily", a), ("(b) daily --from 2025-10-01 (window A)", b),
                    ("(b') the same backfill again", b2), ("(c) audit of the quarter", c)):
        e = r["by_endpoint"]
        print(f"| {name} | {r['requests']} ({e['rss']}/{e['api']}/{e['oai']}) | "
              f"{r['seconds']:.1f} | {r['peak_mb']:.0f} |")
    print(f"\n(b) polite minimum: ceil({n_old} papers / 1000 per OAI-PMH page) = {oai_min} "
          f"+ 1 feed = {oai_min + 1} requests; made {b['requests']}")
    bars = sorted(set(re.findall(r"(OAI-PMH|scoring|metadata|catch-up): ", b["err"])))
    last = [line for line in re.split(r"[\r\n]", b["err"]) if "OAI-PMH:" in line][-1:]
    print(f"(b) progress bars seen on the terminal: {bars}; last OAI-PMH frame: {last}")
    if backfilled:
        dist = Counter(backfilled)
        print(f"(b) candidates per listing day over {len(backfilled)} backfilled days: "
              f"mean {statistics.mean(backfilled):.2f}, median {statistics.median(backfilled):g}, "
              f"max {max(backfilled)}, total {sum(backfilled)}; days with k candidates: "
              + ", ".join(f"{k}: {dist[k]}" for k in sorted(dist)))
    again = re.search(r"(\d+) candidate\(s\) added", b2["out"])
    print(f"(b') candidates added: {again.group(1) if again else 0} ({b2['out'].strip()})")
    print("\n(a) output:\n" + a["out"].strip() + "\n" + a["err"].strip())
    lines = c["out"].splitlines()
    cut = next(i for i, line in enumerate(lines) if line.startswith("Best unlisted"))
    print("\n(c) audit:\n" + "\n".join(lines[:cut + 17]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
