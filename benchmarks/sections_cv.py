"""Section assignment at the list's real size: k-fold cross-validation through
`opdlist score --train`, beside the majority and nearest-centroid baselines, on two lists:

- the nested test README (`tests/bigreadme.py`: 180 entries in 9 leaf sections under nested
  `####` headings, the later upstream list's shape; its 177 arXiv papers, sections named as
  the README names them);
- `../shared/arxiv/later_sections.jsonl`: 34 papers with the leaf section the later upstream
  list filed them under (`Parent / Child`), the maintainer's own filing.

Each fold writes the other papers as a train file (a record with `section` is a positive of
it) with one real listing day (2025-10-28, 795 papers) as unlabeled background records, as
the daily job fits beside recent listings, and the fold's papers as the input, runs `opdlist
score --input FOLD --output OUT --train TRAIN` as a subprocess, and compares the `section` it writes with the true one; "first or
runner-up" also counts the `section_alternative` it writes (only when it is unsure, as the
review file shows it). The baselines see the same folds: "majority" files every paper under
the biggest section of the train part (runner-up: the second biggest), "nearest centroid"
under the section whose mean TF-IDF vector (title + abstract, sublinear, English stop words)
is closest by cosine (runner-up: the second closest). A section is *starved* when it has two
or more papers and none of them is suggested first.

    .venv/bin/python benchmarks/sections_cv.py [--shared ../shared] [--folds 10]
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]


def centroid_sections(train: list[dict], test: list[dict]) -> list[tuple[str, str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize
    docs = [f"{p['title']}. {p.get('abstract') or ''}" for p in train + test]
    X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(docs)
    Xtr, Xte = X[:len(train)], X[len(train):]
    names = sorted({p["section"] for p in train})
    C = np.vstack([np.asarray(Xtr[[i for i, p in enumerate(train) if p["section"] == s]]
                              .mean(axis=0)) for s in names])
    sims = np.asarray(normalize(Xte) @ normalize(C).T)
    order = np.argsort(-sims, axis=1)
    return [(names[o[0]], names[o[1]] if len(o) > 1 else None) for o in order]


def nested_papers() -> list[dict]:
    from bigreadme import build
    big = build(180)
    return [{**p.to_dict(), "section": p.section} for p in big.papers]


def later_papers(shared: Path) -> list[dict]:
    path = shared / "arxiv" / "later_sections.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def background(shared: Path, papers: list[dict]) -> list[dict]:
    """One listing day of window A, without the papers being filed, as background records."""
    from store.files import read_papers
    keys = {p["id"] for p in papers}
    return [{k: v for k, v in p.to_dict().items() if k not in ("section", "label")}
            for p in read_papers(shared / "arxiv" / "windowA.jsonl.gz", unique=True)
            if p.date == "2025-10-28" and p.key not in keys]


def cross_validate(papers: list[dict], folds: int, tmp: Path, bg: list[dict]) -> dict:
    from sklearn.model_selection import KFold
    got = {m: [None] * len(papers) for m in ("opdlist score --train", "majority",
                                             "nearest centroid")}
    opdlist = str(Path(sys.executable).parent / "opdlist")
    for tr, te in KFold(folds, shuffle=True, random_state=0).split(papers):
        train = [papers[i] for i in tr]
        test = [{k: v for k, v in papers[i].items() if k != "section"} for i in te]
        (tmp / "train.jsonl").write_text("".join(json.dumps(p) + "\n" for p in train + bg))
        (tmp / "fold.jsonl").write_text("".join(json.dumps(p) + "\n" for p in test))
        subprocess.run([opdlist, "--repo", str(ROOT), "score", "--input",
                        str(tmp / "fold.jsonl"), "--output", str(tmp / "out.jsonl"),
                        "--train", str(tmp / "train.jsonl")], check=True,
                       capture_output=True, text=True)
        out = {r["id"]: r for r in map(json.loads, (tmp / "out.jsonl").read_text()
                                       .splitlines())}
        biggest = [s for s, _ in Counter(p["section"] for p in train).most_common(2)]
        cent = centroid_sections(train, [papers[i] for i in te])
        for j, i in enumerate(te):
            r = out[papers[i]["id"]]
            got["opdlist score --train"][i] = (r["section"], r.get("section_alternative"))
            got["majority"][i] = (biggest[0], biggest[1] if len(biggest) > 1 else None)
            got["nearest centroid"][i] = cent[j]
    return got


def leaf(section: str) -> str:
    return section.split(" / ")[-1]


def report(name: str, papers: list[dict], got: dict) -> None:
    truth = [p["section"] for p in papers]
    n = len(papers)
    sizes = Counter(truth)
    shown = ", ".join(f"{leaf(s)}: {c}" for s, c in sizes.most_common())
    print(f"\n{name}: {n} papers, {len(sizes)} leaf sections ({shown})")
    print("| method | first right | first or runner-up | sections proposed | starved |")
    print("|---|---|---|---|---|")
    for method, pred in got.items():
        first = sum(a == t for (a, _), t in zip(pred, truth))
        either = sum(a == t or b == t for (a, b), t in zip(pred, truth))
        starved = [leaf(s) for s, c in sizes.items()
                   if c >= 2 and not any(a == s == t for (a, _), t in zip(pred, truth))]
        print(f"| {method} | {first}/{n} = {first / n:.2f} | {either}/{n} = {either / n:.2f} | "
              f"{len({a for a, _ in pred})} | {', '.join(starved) or 'none'} |")
    ours = got["opdlist score --train"]
    print("per true section, opdlist first right / runner-up right / papers: " + "; ".join(
        f"{leaf(s)} {sum(a == t for (a, _), t in zip(ours, truth) if t == s)}/"
        f"{sum(b == t for (a, b), t in zip(ours, truth) if t == s and a != t)}/{c}"
        for s, c in sizes.most_common()))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--folds", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, papers in (("the nested test README (tests/bigreadme.py)", nested_papers()),
                             ("later_sections.jsonl (the later upstream list's own filing)",
                              later_papers(Path(args.shared)))):
            report(name, papers, cross_validate(papers, args.folds, Path(tmp),
                                                background(Path(args.shared), papers)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
