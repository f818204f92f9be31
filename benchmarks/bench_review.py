"""Review-file benchmark: load and merge a 1,000-candidate file, and hostile files.

    .venv/bin/python benchmarks/bench_review.py [N]

Builds a repository from the seed README in a temporary folder, writes a review file of N
candidates (real papers of ../shared/arxiv/windowA.jsonl.gz, every tenth approved, every tenth
rejected), times `opdlist merge` end to end, then times hostile files (alias expansion, deep
nesting) that must be refused quickly.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from store.files import read_papers  # noqa: E402
from store.candidate import Candidate, default_venue  # noqa: E402
from store.review import ReviewFile  # noqa: E402


def review_text(n: int) -> str:
    papers = read_papers(SHARED / "arxiv" / "windowA.jsonl.gz")[:n]
    rf = ReviewFile(Path("candidates.yaml"), __import__("ruamel.yaml").yaml.comments.CommentedMap(), [])
    rf.append([Candidate.of(p, score=0.5, section="Application", venue=default_venue(p.id),
                         why=["on-policy", "teacher"], announced=p.date) for p in papers])
    text = rf.dump()
    out, i = [], 0
    for line in text.splitlines(keepends=True):
        if line.startswith('    decision: ""'):
            i += 1
            line = line.replace('""', "approve" if i % 10 == 0 else
                                "reject" if i % 10 == 5 else '""')
        out.append(line)
    return "".join(out)


def run(repo: Path, *args: str) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "scripts.cli", "--repo", str(repo), *args],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    return time.perf_counter() - t, r


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        shutil.copy(SHARED / "seed" / "README.md", repo / "README.md")
        shutil.copy(ROOT / "pyproject.toml", repo / "pyproject.toml")
        (repo / "review").mkdir()
        text = review_text(n)
        (repo / "review" / "candidates.yaml").write_text(text)
        secs, r = run(repo, "merge")
        print(f"merge of {n} candidates ({len(text) / 1e6:.1f} MB): {secs:.2f} s, exit "
              f"{r.returncode}: {(r.stdout.splitlines() or [''])[-1]} {r.stderr.strip()[:200]}")
        for levels in (6, 7):
            lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
            for k in range(1, levels + 1):
                lines.append(f"a{k}: &a{k} [" + ",".join([f"*a{k - 1}"] * 10) + "]")
            lines.append(f"candidates: *a{levels}")
            (repo / "review" / "candidates.yaml").write_text("\n".join(lines) + "\n")
            secs, r = run(repo, "merge")
            print(f"billion laughs, {levels} levels: {secs:.2f} s, exit {r.returncode}: "
                  f"{r.stderr.strip()[:160]}")
        (repo / "review" / "candidates.yaml").write_text("candidates: " + "[" * 100_000 + "]" * 100_000 + "\n")
        secs, r = run(repo, "merge")
        print(f"100,000 nesting levels: {secs:.2f} s, exit {r.returncode}: {r.stderr.strip()[:160]}")


if __name__ == "__main__":
    main()
