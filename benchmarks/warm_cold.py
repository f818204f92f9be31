"""Does the model get better as positives accumulate? One run, the cells below, three rankers.

The four cells of the issue (the positives of a training window are added as records with
"label": 1, the way `opdlist score --train` reads them; the test window is the pool and its
own background):
  cold A   train on the list              -> test window A
  cold B   train on the list              -> test window B
  warm B   train on the list + A positives -> test window B
  warm A   train on the list + B positives -> test window A
and two more ways the list grows:
  forward  the maintainer's own order in time: the list (as of 2026-03-04) -> window B from a
           day D on, cold and with B's positives announced before D (the same direction as
           the team's later quarter, trained on the list + B), for D = 02-01, 02-15, 03-05
           and 03-15;
  lived    the list + every decision of an online replay of the other window (the daily rule,
           a simulated maintainer approving its positives and rejecting the rest): what the
           daily loop's state would be after that quarter.
  within   the same labelling on both sides: the list + a random half of a window's positives
           -> that window without them, against the list alone on the same papers (both
           halves of 5 random splits per window; this model only). Separates "the model does
           not learn from more positives" from "the two windows' labels disagree".
Rankers: this model (classifier.fit on the train papers, the pool as background), the keyword
query and the arxiv-sanity-lite reference (TF-IDF + LinearSVC), all from classifier.evaluate.
Papers of the train set are removed from the pool. "AP amb. out" leaves out of the metric the
papers exactly one public list includes (`n_lists` 1, not positive: neither in nor out);
"AP upstream" counts as positives only the papers the upstream maintainer added (window B's
`upstream: true`; B's other positives are left out of it), what the team's later quarter is
mostly made of. Each warm cell's gain over its cold cell comes with a 95 % interval: a paired
bootstrap over the papers both rank (positives and the rest resampled apart, 1,000 draws).
Fit + score seconds are wall clock of this run. "× best ref" is this model's AP over the
better of the two references' AP in the same cell (issue 22 asks for 1.1 or more, cold and
warm). Last, the invariant of issue 22: with the list and with the list + window B's twelve
technical-report and RL positives (`tests/classifier/test_v3.py`: BROAD), on every day of
windows A and B, each paper whose title names on-policy distillation against every generic
knowledge-distillation paper of its day (a title naming distillation or an abstract naming
knowledge distillation, without "on-policy" in the title, not a labelled positive), ranked
by the window-wide model of that cell: pairs where the generic paper is ranked higher.

    .venv/bin/python benchmarks/warm_cold.py [--shared ../shared] [--within]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


SNAPSHOTS = ("2026-02-01", "2026-02-15", "2026-03-05", "2026-03-15")


def _decisions(lst, sections, window, positives, counts):
    """(approved, rejected) of an online replay of `window` trained on the list: the daily
    rule and a simulated maintainer (classifier.evaluate.replay)."""
    from classifier import TrainingSet
    from classifier import evaluate as ev
    keys = {p.key for p in lst}
    pool = [p for p in window if p.key not in keys]
    cfg = _cfg()
    r = ev.replay(TrainingSet(positives=lst, sections=sections, topic=_topic()), pool,
                  positives, per_day=cfg.max_per_day, min_score=cfg.min_score, learn=True,
                  counts=counts)
    return r["approved"], r["rejected"]


def _cfg():
    from store.config import load_config
    return load_config(ROOT)


def _topic():
    from scripts.daily import topic
    return topic(_cfg())


#: window B's technical-report and RL positives (tests/classifier/test_v3.py: BROAD)
BROAD = ["2512.24092", "2603.27703", "2603.19220", "2602.00400", "2602.04884", "2603.01683",
         "2602.15763", "2602.06570", "2601.18129", "2602.02482", "2603.10165", "2602.12222"]


def invariant(lst, sections, win, lab, counts) -> dict:
    """Per training set (the list; the list + BROAD): the pairs (a paper whose title names
    on-policy distillation, a generic knowledge-distillation paper of its day) of windows A
    and B that the window-wide model ranks the wrong way round, and how many pairs there are."""
    from dataclasses import replace as rep

    from classifier import TrainingSet, fit
    from classifier.features import Text
    topic = _topic()
    title, text = Text("title", topic.joins), Text("full", topic.joins)
    broad = [rep(p, section=None, label=1) for p in win["B"] if p.key in BROAD]
    positives = lab["A"] | lab["B"]
    out = {}
    for name, train in (("list", lst), ("list + B's technical-report and RL positives",
                                        lst + broad)):
        wrong, pairs = [], 0
        for w in "AB":
            keys = {p.key for p in train}
            pool = [p for p in win[w] if p.key not in keys]
            m = fit(TrainingSet(positives=train, background=pool, sections=sections,
                                topic=topic), counts=counts)
            score = dict(zip((p.key for p in pool), m.decision(pool)))
            by_day: dict = {}
            for p in pool:
                by_day.setdefault(p.date, []).append(p)
            for day, papers in sorted(by_day.items()):
                opd = [p for p in papers if "on-policy distill" in title(p)
                       or "on-policy self-distill" in title(p)]
                kd = [p for p in papers if ("distill" in title(p) or
                                            "knowledge distillation" in text(p))
                      and "on-policy" not in title(p) and p.key not in positives]
                for o in opd:
                    for k in kd:
                        pairs += 1
                        if score[k.key] >= score[o.key]:
                            wrong.append((day, o.title[:60], k.title[:60]))
        out[name] = (wrong, pairs)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--within", action="store_true",
                    help="also the within-window table (the list + half a window's positives)")
    args = ap.parse_args()
    import pandas as pd
    from classifier import TrainingSet, fit
    from classifier import evaluate as ev
    from classifier.features import count_papers
    from store.files import read_papers
    arxiv = Path(args.shared) / "arxiv"
    lst = read_papers(arxiv / "list_papers.jsonl")
    sections = list(dict.fromkeys(p.section for p in lst))
    win = {w: read_papers(arxiv / f"window{w}.jsonl.gz", unique=True) for w in "AB"}
    records = {w: [json.loads(x) for x in (arxiv / f"window{w}_labels.jsonl").read_text()
                   .splitlines()] for w in "AB"}
    lab = {w: {r["id"] for r in records[w] if r["positive"]} for w in "AB"}
    amb = {w: {r["id"] for r in records[w] if not r["positive"]} for w in "AB"}
    upstream = {w: {r["id"] for r in records[w] if r.get("upstream")} for w in "AB"}
    pos = {w: [replace(p, section=None, label=1) for p in win[w] if p.key in lab[w]]
           for w in "AB"}
    listed = {p.key for p in lst}     # the list is README.md as of 2026-03-04
    topic = _topic()
    # every paper's n-grams counted once, lent to every fit of the run (the same models)
    counts = count_papers(list({p.key: p for p in lst + win["A"] + win["B"]}.values()),
                          topic.joins)
    # (name, positives, rejected, test papers, test window, the cold cell it is compared to)
    cold = {"A": "cold: list -> A", "B": "cold: list -> B"}
    cells = [(cold["A"], lst, [], win["A"], "A", None),
             (cold["B"], lst, [], win["B"], "B", None),
             ("warm: list + A positives -> B", lst + pos["A"], [], win["B"], "B", cold["B"]),
             ("warm: list + B positives -> A", lst + pos["B"], [], win["A"], "A", cold["A"])]
    for day in SNAPSHOTS:
        early = [p for p in pos["B"] if p.date < day and p.key not in listed]
        late = [p for p in win["B"] if p.date >= day]
        base = f"forward cold: list -> B from {day[5:]}"
        cells += [(base, lst, [], late, "B", None),
                  (f"forward warm: list + {len(early)} B positives before {day[5:]} -> B from "
                   f"{day[5:]}", lst + early, [], late, "B", base)]
    for lived, test in (("A", "B"), ("B", "A")):
        app, rej = _decisions(lst, sections, win[lived], lab[lived], counts)
        cells.append((f"lived: list + decisions of a replay of {lived} ({len(app)} approved, "
                      f"{len(rej)} rejected) -> {test}", lst + app, rej, win[test], test,
                      cold[test]))
    rows, ranked = [], {}
    for name, train, rejected, window, test, _ in cells:
        keys = {p.key for p in train + rejected}
        pool = [p for p in window if p.key not in keys]
        y = np.array([p.key in lab[test] for p in pool])
        keep = np.array([p.key not in amb[test] for p in pool])
        days = np.array([p.date for p in pool])
        # the upstream maintainer's additions; the other positives neither in nor out
        up = np.array([p.key in upstream[test] for p in pool])
        judged = up | ~y
        t = time.perf_counter()
        model = fit(TrainingSet(positives=train, negatives=rejected, background=pool,
                                sections=sections, topic=topic), counts=counts)
        ours = np.array([s.score for s in model.score(pool)])
        t_ours = time.perf_counter() - t
        t = time.perf_counter()
        sanity = ev.sanity_scores(train, pool)
        t_sanity = time.perf_counter() - t
        ranked[name] = ({p.key: v for p, v in zip(pool, ours)}, lab[test])
        for ranker, s, sec in (("opdlist", ours, t_ours), ("keyword query", ev.keyword_scores(pool), None),
                               ("arxiv-sanity-lite", sanity, t_sanity)):
            m = ev.metrics(s, y, list(days))
            rows.append({"cell": name, "positives": int(y.sum()), "ranker": ranker,
                         "AP": m["AP"],
                         "AP amb. out": ev.metrics(s[keep], y[keep], list(days[keep]))["AP"],
                         "AP upstream": ev.metrics(s[judged], up[judged],
                                                   list(days[judged]))["AP"]
                         if up.any() else float("nan"),
                         "R@3/day": m["R@3/day"], "R@5/day": m["R@5/day"],
                         "R@2avg": m["R@2avg"], "fit+score s": sec})
            print(rows[-1], file=sys.stderr, flush=True)
    df = pd.DataFrame(rows)
    best = {c: max(r["AP"] for r in rows if r["cell"] == c and r["ranker"] != "opdlist")
            for c in df.cell.unique()}
    print("| train -> test | positives in test | ranker | AP | × best ref | AP amb. out | "
          "AP upstream | R@3/day | R@5/day | R@2avg | fit+score s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        sec = "" if r["fit+score s"] is None else f"{r['fit+score s']:.1f}"
        upc = "" if np.isnan(r["AP upstream"]) else f"{r['AP upstream']:.3f}"
        ratio = f"{r['AP'] / best[r['cell']]:.2f}" if r["ranker"] == "opdlist" else ""
        print(f"| {r['cell']} | {r['positives']} | {r['ranker']} | {r['AP']:.3f} | {ratio} | "
              f"{r['AP amb. out']:.3f} | {upc} | {r['R@3/day']:.3f} | {r['R@5/day']:.3f} | "
              f"{r['R@2avg']:.3f} | {sec} |")
    print("\nwarm minus cold on the same test, AP [95 % paired bootstrap] (amb. out; upstream):")
    for ranker in df.ranker.unique():
        d = df[df.ranker == ranker].set_index("cell")
        print(f"  {ranker}:")
        for name, _, _, _, test, base in cells:
            if not base:
                continue
            ci = (" [%+.3f, %+.3f]" % interval(ranked[base], ranked[name])
                  if ranker == "opdlist" else "")
            gain = {k: d.loc[name, k] - d.loc[base, k]
                    for k in ("AP", "AP amb. out", "AP upstream")}
            gup = "-" if np.isnan(gain["AP upstream"]) else f"{gain['AP upstream']:+.3f}"
            print(f"    {name}: {gain['AP']:+.3f}{ci} ({gain['AP amb. out']:+.3f}; {gup})")
    print("\ninvariant: an on-policy distillation title below a generic KD paper of its day")
    for name, (wrong, pairs) in invariant(lst, sections, win, lab, counts).items():
        print(f"  {name}: {len(wrong)} of {pairs} pairs" + "".join(
            f"\n    {d}: {o!r} below {k!r}" for d, o, k in wrong[:10]))
    if args.within:
        within_window(lst, sections, win, lab, pos, counts)
    return 0


def within_window(lst, sections, win, lab, pos, counts, seeds: int = 5,
                  windows: str = "AB") -> None:
    """Warm minus cold when the added positives are labelled like the test's: for each window
    and split, the list + one half of the window's positives -> the window without that
    half (the other half are its positives), against the list alone on the same pool. Only
    the positives the list does not have are split (A 8, B 33)."""
    from classifier import TrainingSet, fit
    from classifier import evaluate as ev
    print("\nwithin a window: list + half its positives -> the rest of it (AP, this model):")
    print("| window | split | added | positives in test | cold AP | warm AP | warm - cold |")
    print("|---|---|---|---|---|---|---|")
    summary = []
    listed = {p.key for p in lst}
    for w in windows:
        positives = sorted((p for p in pos[w] if p.key not in listed), key=lambda p: p.key)
        gains = []
        for seed in range(seeds):
            order = np.random.default_rng(seed).permutation(len(positives))
            for half in (order[:len(order) // 2], order[len(order) // 2:]):
                added = [positives[i] for i in half]
                keys = {p.key for p in lst + added}
                pool = [p for p in win[w] if p.key not in keys]
                y = np.array([p.key in lab[w] for p in pool])
                days = [p.date for p in pool]
                ap = []
                for train in (lst, lst + added):
                    model = fit(TrainingSet(positives=train, background=pool, sections=sections,
                                            topic=_topic()), counts=counts)
                    ap.append(ev.metrics(np.array([s.score for s in model.score(pool)]), y,
                                         days)["AP"])
                gains.append(ap[1] - ap[0])
                print(f"| {w} | {seed} | {len(added)} | {int(y.sum())} | {ap[0]:.3f} | "
                      f"{ap[1]:.3f} | {gains[-1]:+.3f} |", flush=True)
        g = np.array(gains)
        summary.append(f"  {w}: mean {g.mean():+.3f}, warm > cold in {int((g > 0).sum())} of "
                       f"{len(g)}, from {g.min():+.3f} to {g.max():+.3f}")
    print("\n".join(summary))


def interval(cold: tuple, warm: tuple, draws: int = 1000) -> tuple[float, float]:
    """95 % interval of AP(warm) - AP(cold) over the papers both rank: a paired bootstrap,
    positives and the rest resampled separately (so every draw has all its positives' count)."""
    from sklearn.metrics import average_precision_score as ap
    (c, labels), (w, _) = cold, warm
    keys = sorted(set(c) & set(w))
    y = np.array([k in labels for k in keys])
    sc, sw = np.array([c[k] for k in keys]), np.array([w[k] for k in keys])
    pos, neg = np.flatnonzero(y), np.flatnonzero(~y)
    rng = np.random.default_rng(0)
    d = []
    for _ in range(draws):
        i = np.r_[rng.choice(pos, len(pos)), rng.choice(neg, len(neg))]
        d.append(ap(y[i], sw[i]) - ap(y[i], sc[i]))
    return float(np.percentile(d, 2.5)), float(np.percentile(d, 97.5))


if __name__ == "__main__":
    sys.exit(main())
