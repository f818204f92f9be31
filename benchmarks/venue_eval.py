"""The venue suggestion (`classifier.venue`) against comments labelled by hand.

`benchmarks/venue_labels.jsonl` holds 522 real arXiv comments of windows A and B (ids only:
the text is read from `../shared/arxiv/comments.jsonl`, the listing day from the windows),
each with the badge a maintainer would give by COMMENTS.md's convention, or null when the
words do not say that this paper was accepted, and a short `why`.

How the sample was drawn (`draw` below, seed 23): every A/B comment falls in one stratum, by
the first that fits: "accept+workshop/findings", "accept", "review/submit" (review, submit,
submission, commit), "workshop/findings", "publish/appear" (publish, appear, present,
proceeding, camera), "venue-other" (conference, journal, transactions, symposium or a venue
acronym), "random" (the rest: "12 pages, 5 figures", project pages). Per window it takes
16, 70, 30, 20, 25, 25 and 75 of them, and 55% of each stratum's draw is held out.

- `dev` (236): read while the rules were written;
- `heldout` (286): labelled by reading, before the rules ever ran on them (the labels were
  committed before this script existed).

Printed for each split: of the labelled acceptances, the share named exactly (badge equal);
of the non-acceptances, the share left at `Arxiv<year>`; the precision of claimed badges;
the same per stratum; a population estimate (each stratum weighted by its share of all
26,310 comments, since the sample over-represents venue words on purpose); and every
disagreement, to read.

    .venv/bin/python benchmarks/venue_eval.py [--shared ../shared] [--split heldout]
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classifier.venue import VENUES, suggest_venue  # noqa: E402

LABELS = ROOT / "benchmarks" / "venue_labels.jsonl"
_VENUES = (r"ICML|NeurIPS|NIPS|ICLR|ACL|EMNLP|NAACL|EACL|COLING|AACL|CVPR|ICCV|ECCV|WACV|AAAI|"
           r"IJCAI|KDD|WWW|Web ?Conf|SIGIR|CIKM|WSDM|RecSys|ICASSP|Interspeech|ICRA|IROS|CoRL|"
           r"RSS|MICCAI|COLM|AISTATS|UAI|LREC|TPAMI|PAMI|TMLR|JMLR|TACL|IJCV|TNNLS|TKDE|TIP|"
           r"Nature|IEEE|ACM|Springer|Elsevier")
_VENUE_WORDS = re.compile(r"accept|publish|appear|present|proceeding|conference|workshop|"
                          r"findings|journal|transaction|camera|review|submit|submission|"
                          r"commit|symposium|\b(" + _VENUES + r")\b", re.I)
_TABLE_BADGE = r"(?:{})(?:Findings)?\d{{4}}(?:Workshop)?$".format("|".join(r.short for r in VENUES))
SIZES = {"accept+workshop/findings": 16, "accept": 70, "review/submit": 30,
         "workshop/findings": 20, "publish/appear": 25, "venue-other": 25, "random": 75}
HELD_OUT = 0.55


def stratum(comment: str) -> str:
    if not _VENUE_WORDS.search(comment):
        return "random"
    if re.search("accept", comment, re.I):
        return ("accept+workshop/findings" if re.search("workshop|findings", comment, re.I)
                else "accept")
    if re.search(r"review|submit|submission|commit", comment, re.I):
        return "review/submit"
    if re.search("workshop|findings", comment, re.I):
        return "workshop/findings"
    if re.search("publish|appear|present|proceeding|camera", comment, re.I):
        return "publish/appear"
    return "venue-other"


def load(shared: Path) -> list[dict]:
    """Every A/B paper with a comment: id, window, listing day, comment."""
    days = {}
    for w in ("A", "B"):
        with gzip.open(shared / "arxiv" / f"window{w}.jsonl.gz", "rt", encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                days[d["id"]] = (w, d["date"])
    out = []
    for line in (shared / "arxiv" / "comments.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        if d["id"] in days:
            w, day = days[d["id"]]
            out.append({"id": d["id"], "window": w, "date": day, "comment": d["comment"]})
    return out


def draw(papers: list[dict], seed: int = 23) -> dict[str, str]:
    """The sample as it was drawn: id -> "dev" | "heldout"."""
    groups = defaultdict(list)
    for p in papers:
        groups[(stratum(p["comment"]), p["window"])].append(p)
    rng = random.Random(seed)
    split = {}
    for key in sorted(groups):
        pick = rng.sample(sorted(groups[key], key=lambda p: p["id"]), SIZES[key[0]])
        n_held = round(len(pick) * HELD_OUT)
        for i, p in enumerate(pick):
            split[p["id"]] = "heldout" if i < n_held else "dev"
    return split


def figures(rows: list[dict]) -> dict:
    acc = [r for r in rows if r["badge"]]
    non = [r for r in rows if not r["badge"]]
    claims = [r for r in rows if r["got"]]
    return {"n": len(rows), "acceptances": len(acc),
            "exact": sum(r["got"] == r["badge"] for r in acc),
            "non-acceptances": len(non), "left alone": sum(not r["got"] for r in non),
            "claims": len(claims), "right": sum(r["got"] == r["badge"] for r in claims)}


def share(a: int, b: int) -> str:
    return f"{a}/{b} = {a / b:.3f}" if b else "-"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--split", choices=("dev", "heldout"), help="only this split")
    args = ap.parse_args()
    papers = load(Path(args.shared))
    by_id = {p["id"]: p for p in papers}
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    drawn = draw(papers)
    assert all(drawn.get(d["id"]) == d["split"] for d in labels), "the sample is not the drawn one"
    population = defaultdict(int)
    for p in papers:
        population[stratum(p["comment"])] += 1

    rows = []
    for d in labels:
        p = by_id[d["id"]]
        v = suggest_venue(p["comment"], listed=p["date"], arxiv_id=p["id"])
        rows.append(dict(d, comment=p["comment"], date=p["date"],
                         got=v.badge if v.accepted else None))
    for split in ("dev", "heldout"):
        if args.split and split != args.split:
            continue
        part = [r for r in rows if r["split"] == split]
        f = figures(part)
        print(f"== {split}: {f['n']} comments, {f['acceptances']} acceptances, "
              f"{f['non-acceptances']} not")
        print(f"  acceptances named exactly    {share(f['exact'], f['acceptances'])}")
        print(f"  non-acceptances left alone   {share(f['left alone'], f['non-acceptances'])}")
        print(f"  precision of claimed badges  {share(f['right'], f['claims'])}")
        table = [r for r in part if r["badge"] and re.match(_TABLE_BADGE, r["badge"])]
        print(f"  acceptances at a venue of the table named exactly  "
              f"{share(sum(r['got'] == r['badge'] for r in table), len(table))}")
        est = defaultdict(float)
        for name in SIZES:
            s = figures([r for r in part if r["stratum"] == name])
            print(f"    {name:25s} exact {share(s['exact'], s['acceptances']):18s} "
                  f"left alone {share(s['left alone'], s['non-acceptances']):18s} "
                  f"precision {share(s['right'], s['claims'])}")
            w = population[name] / max(s["n"], 1)
            for k in ("exact", "acceptances", "left alone", "non-acceptances", "right", "claims"):
                est[k] += w * s[k]
        print(f"  population estimate (strata weighted by their share of all {len(papers)} "
              f"comments): exact {est['exact'] / est['acceptances']:.3f}, left alone "
              f"{est['left alone'] / est['non-acceptances']:.4f}, precision "
              f"{est['right'] / est['claims']:.3f}")
        wrong = [r for r in part if r["got"] != r["badge"]]
        print(f"  disagreements ({len(wrong)}): labelled -> suggested | listed | comment")
        for r in wrong:
            print(f"    {r['badge'] or 'null'} -> {r['got'] or 'null'} | {r['date']} | "
                  f"{r['comment'][:150]}")
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
