"""Section assignment at the list's real size: k-fold cross-validation through
`opdlist score --train`, beside the majority and nearest-centroid baselines.

`../shared/arxiv/later_sections.jsonl` holds 34 papers with the leaf section the later upstream
list filed them under (nested ones as `Parent / Child`). Each fold writes the other papers as a
train file (a record with `section` is a positive of it) and the fold's papers as the input,
runs `opdlist score --input FOLD --output OUT --train TRAIN` as a subprocess, and compares the
`section` it writes with the true one. The baselines see the same folds: "majority" files every
paper under the biggest section of the train part, "nearest centroid" under the section whose
mean TF-IDF vector (title + abstract, sublinear, English stop words) is closest by cosine.

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
sys.path.insert(0, str(ROOT))


def centroid_sections(train: list[dict], test: list[dict]) -> list[str]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize
    docs = [f"{p['title']}. {p.get('abstract') or ''}" for p in train + test]
    X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(docs)
    Xtr, Xte = X[:len(train)], X[len(train):]
    names = sorted({p["section"] for p in train})
    C = np.vstack([np.asarray(Xtr[[i for i, p in enumerate(train) if p["section"] == s]]
                              .mean(axis=0)) for s in names])
    sims = normalize(Xte) @ normalize(C).T
    return [names[j] for j in np.asarray(sims).argmax(axis=1)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--folds", type=int, default=10)
    args = ap.parse_args()
    from sklearn.model_selection import KFold
    path = Path(args.shared) / "arxiv" / "later_sections.jsonl"
    papers = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    truth = [p["section"] for p in papers]
    got = {"opdlist score --train": [None] * len(papers), "majority": [None] * len(papers),
           "nearest centroid": [None] * len(papers)}
    alternative = [None] * len(papers)
    opdlist = str(Path(sys.executable).parent / "opdlist")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for f, (tr, te) in enumerate(KFold(args.folds, shuffle=True, random_state=0)
                                     .split(papers)):
            train = [papers[i] for i in tr]
            test = [{k: v for k, v in papers[i].items() if k != "section"} for i in te]
            (tmp / "train.jsonl").write_text("".join(json.dumps(p) + "\n" for p in train))
            (tmp / "fold.jsonl").write_text("".join(json.dumps(p) + "\n" for p in test))
            subprocess.run([opdlist, "--repo", str(ROOT), "score", "--input",
                            str(tmp / "fold.jsonl"), "--output", str(tmp / "out.jsonl"),
                            "--train", str(tmp / "train.jsonl")], check=True,
                           capture_output=True, text=True)
            out = {r["id"]: r for r in map(json.loads, (tmp / "out.jsonl").read_text()
                                           .splitlines())}
            biggest = Counter(p["section"] for p in train).most_common(1)[0][0]
            cent = centroid_sections(train, [papers[i] for i in te])
            for j, i in enumerate(te):
                got["opdlist score --train"][i] = out[papers[i]["id"]]["section"]
                alternative[i] = out[papers[i]["id"]].get("section_alternative")
                got["majority"][i] = biggest
                got["nearest centroid"][i] = cent[j]
    n = len(papers)
    print(f"{path.name}: {n} papers, {len(set(truth))} leaf sections "
          f"({', '.join(f'{s}: {c}' for s, c in Counter(truth).most_common())}); "
          f"{args.folds}-fold cross-validation")
    print("| method | right | accuracy | sections it proposes |")
    print("|---|---|---|---|")
    for name, pred in got.items():
        right = sum(a == b for a, b in zip(pred, truth))
        print(f"| {name} | {right}/{n} | {right / n:.2f} | {len(set(pred))} |")
    ours = got["opdlist score --train"]
    alt = sum(1 for a, b, t in zip(ours, alternative, truth) if a != t and b == t)
    print(f"\nwrong but the runner-up (section_alternative) right: {alt}; "
          f"papers carrying a section_alternative: {sum(1 for a in alternative if a)}")
    print("per true section, opdlist right / papers:")
    for s, c in Counter(truth).most_common():
        r = sum(1 for a, t in zip(ours, truth) if t == s and a == t)
        print(f"  {s}: {r}/{c}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
