"""`opdlist score` and `opdlist evaluate`: the classifier on the command line.

score     rank papers of a Paper JSONL file (the pure model: no include/exclude phrases)
evaluate  replay a labelled window against two reference rankers; table + PR plot
"""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from scripts.cli import subcommand
from scripts.daily import topic
from store.errors import BadInput

log = logging.getLogger("opdlist")


def register(sub):
    p = subcommand(
        sub, "score",
        "Score papers for relevance to the list: probability, section and the terms that drove it",
        "opdlist score --input new.jsonl --output scored.jsonl --train train.jsonl")
    p.add_argument("--input", required=True, metavar="POOL.jsonl",
                   help="papers to score (Paper JSONL, may be gzipped)")
    p.add_argument("--output", required=True, metavar="OUT.jsonl",
                   help="one object per paper: id, score, section, section_confidence, "
                        "section_alternative (runner-up when unsure), why, like (closest "
                        "listed paper), venue (the badge the input's comment/journal_ref "
                        "claim, else Arxiv<year>); "
                        "best first")
    p.add_argument("--train", metavar="TRAIN.jsonl",
                   help="training papers replacing the list and decisions: a record with "
                        "'section' is a positive of it, 'label': 0 a rejected paper, "
                        "'label': 1 a positive of no known section, anything else background")
    p.set_defaults(func=cmd_score)

    e = subcommand(
        sub, "evaluate",
        "Replay a labelled window: AP, recall/precision at top K per day, R@1avg/R@2avg for "
        "this model, a keyword query and arxiv-sanity-lite, plus a precision-recall plot",
        "opdlist evaluate --pool windowA.jsonl.gz --labels windowA_labels.jsonl "
        "--train list_papers.jsonl --per-day 5 --online")
    e.add_argument("--pool", required=True, metavar="POOL.jsonl.gz", help="the window's papers")
    e.add_argument("--labels", required=True, metavar="LABELS.jsonl",
                   help="JSONL with 'id' and 'positive' (true/false)")
    e.add_argument("--train", metavar="TRAIN.jsonl",
                   help="training papers (default: the list in README.md and the decisions)")
    e.add_argument("--per-day", type=int, default=None, metavar="K",
                   help="safety cap per day of the online replay (which proposes every "
                        "paper with score >= min_score, as daily does) and marker on the "
                        "plot (default: max_per_day of the configuration)")
    e.add_argument("--online", action="store_true",
                   help="also replay day by day with a simulated maintainer, with and "
                        "without learning from the decisions")
    e.add_argument("--fetch-abstracts", action="store_true",
                   help="without --train: fetch the abstracts of listed papers missing from the "
                        "paper cache from arXiv (default: never touch the network)")
    e.add_argument("--plot", default="evaluate.png", metavar="FILE",
                   help="where to write the precision-recall plot (default: evaluate.png)")
    e.add_argument("--worst", type=int, default=10, metavar="N",
                   help="how many of the worst-ranked positives to list (default 10)")
    e.set_defaults(func=cmd_evaluate)


# ---- training data -----------------------------------------------------------------------
def read_train(path: str):
    """(positives, negatives, background, sections) of a --train file."""
    from store.files import read_papers
    papers = read_papers(path, unique=True)
    pos, neg, bg, sections = [], [], [], []
    for p in papers:
        if p.section:
            pos.append(p)
            if p.section not in sections:
                sections.append(p.section)
        elif p.label == 0:
            neg.append(p)
        elif p.label == 1:
            pos.append(p)
        else:
            bg.append(p)
    if not pos:
        raise BadInput("no positives to train on (no record with 'section' or \"label\": 1)",
                       file=path)
    return pos, neg, bg, sections


def training(args, cfg, fetch: bool = True):
    """(positives, negatives, background, sections, source) from --train or the repository;
    `fetch`: abstracts of listed papers missing from the cache may be fetched from arXiv."""
    if args.train:
        pos, neg, bg, sections = read_train(args.train)
        return pos, neg, bg, sections, args.train
    from scripts.metadata import fill_list_metadata
    from store import listfile
    from store.files import atomic_write
    from store.state import paper_cache
    from store.training import repo_training
    doc = listfile.load(cfg.readme_path, strict=False)
    cache = paper_cache(cfg)
    if fetch:
        for path, text in fill_list_metadata(cfg, doc, cache,
                                             progress=sys.stderr.isatty()).items():
            atomic_write(path, text)
        if cache.dirty:
            cache.save()
    pos, neg, sections = repo_training(cfg, doc=doc, cache=cache)
    if not pos:
        raise BadInput("the list has no papers to train on", file=str(cfg.readme_path))
    return pos, neg, [], sections, str(cfg.readme_path)


def _warn_titles_only(pos, source):
    bare = sum(1 for p in pos if not (p.abstract or "").strip())
    if bare:
        print(f"opdlist: {bare} of {len(pos)} positive(s) in {source} have no abstract: "
              "they train on their titles only", file=sys.stderr)


def _fit(ts, source, path=None, keep_counts=False):
    from classifier import TrainingError, fit, load_or_fit
    try:
        return load_or_fit(ts, path) if path else fit(ts, keep_counts=keep_counts)
    except TrainingError as e:
        raise BadInput(str(e), file=source) from None


# ---- score -------------------------------------------------------------------------------
def cmd_score(args, cfg) -> int:
    from classifier import TrainingSet
    from classifier.venue import suggest_venue
    from store.files import read_papers, write_jsonl

    pool = read_papers(args.input, unique=True)
    if not pool:
        write_jsonl(args.output, [])
        print(f"opdlist score: {args.input} has no papers; wrote an empty {args.output}",
              file=sys.stderr)
        return 0
    pos, neg, bg, sections, source = training(args, cfg)
    _warn_titles_only(pos, source)
    ts = TrainingSet(positives=pos, negatives=neg, background=bg + pool, sections=sections,
                     topic=topic(cfg))
    model = _fit(ts, source, None if args.train else cfg.model_path)
    scored = model.score(pool)
    order = sorted(range(len(pool)), key=lambda i: (-scored[i].score, i))
    venues = [suggest_venue(p.comment, p.journal_ref, listed=p.date, arxiv_id=p.id).badge
              for p in pool]
    write_jsonl(args.output, ({"id": scored[i].id, "score": round(scored[i].score, 6),
                               "section": scored[i].section,
                               "section_confidence": round(scored[i].section_confidence, 4),
                               "section_alternative": scored[i].section_alternative,
                               "why": scored[i].why,
                               "like": ({"id": scored[i].like[0], "title": scored[i].like[1]}
                                        if scored[i].like else None),
                               "venue": venues[i]} for i in order))
    log.info("scored %d paper(s) into %s (trained on %d positive(s), %d rejected, %d background)",
             len(pool), args.output, model.info["positives"], model.info["negatives"],
             model.info["background"])
    return 0


# ---- evaluate ----------------------------------------------------------------------------
def read_labels(path: str) -> dict[str, bool]:
    from store.files import read_json_lines
    from store.paper import paper_key
    labels: dict[str, bool] = {}
    for line, obj in read_json_lines(path):
        pid = obj.get("id")
        if not isinstance(pid, str) or not pid.strip():
            raise BadInput("missing or empty", file=path, line=line, field="id")
        if not isinstance(obj.get("positive"), bool):
            raise BadInput("must be true or false", file=path, line=line, field="positive")
        labels[paper_key(pid)] = obj["positive"]
    return labels


def plot_pr(curves: dict, markers: dict, k: int, path: str, title: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 5), dpi=110)
    for (name, (recall, precision)), color in zip(curves.items(), ("C0", "C1", "C2", "C3")):
        ax.step(recall, precision, where="post", color=color, label=name)
        r, p = markers[name]
        ax.plot([r], [p], "o", color=color, markersize=7)
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(title=f"dots: top {k} of each day", loc="upper right", fontsize=9)
    fig.tight_layout()
    import io
    from store.files import atomic_write
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    atomic_write(Path(path), buf.getvalue())


def daily_choice(cfg, per_day: int):
    """The daily job's choice of a day's candidates (`classifier.budget.pick`: the include
    phrases and followed authors first, the exclude phrases out, then every paper with score
    >= min_score) at a cap of `per_day`, as indices of the day's papers: the online replay's
    rule, so `evaluate --online` reviews what `daily` would have proposed."""
    import dataclasses
    from classifier.budget import pick
    cfg = dataclasses.replace(cfg, max_per_day=per_day)

    def choose(papers, scored):
        return [pk.index for pk in pick(papers, scored, cfg)]
    return choose


def cmd_evaluate(args, cfg) -> int:
    import textwrap

    import numpy as np
    from classifier import TrainingSet
    from classifier import evaluate as ev
    from scripts.tables import WIDTH, table as text_table
    from store.files import read_papers

    k = args.per_day if args.per_day is not None else cfg.max_per_day
    if k < 1:
        raise BadInput("--per-day must be at least 1")
    labels = read_labels(args.labels)
    pool = read_papers(args.pool, unique=True)
    if not pool:
        raise BadInput("the pool has no papers to evaluate", file=args.pool)
    undated = next((p for p in pool if not p.date), None)
    if undated is not None:
        raise BadInput(f"paper {undated.id} has no 'date' (announcement day)", file=args.pool,
                       field="date")
    pos, neg, bg, sections, source = training(args, cfg, fetch=args.fetch_abstracts)
    _warn_titles_only(pos, source)
    train_keys = {p.key for p in pos + neg}
    pool = [p for p in pool if p.key not in train_keys]
    y = np.array([labels.get(p.key, False) for p in pool])
    if not y.any():
        raise BadInput("no positive label among the pool's papers (after removing training "
                       "papers)", file=args.labels)
    days = [p.date for p in pool]

    t0 = time.perf_counter()
    model = _fit(TrainingSet(positives=pos, negatives=neg, background=bg + pool,
                             sections=sections, topic=topic(cfg)), source, keep_counts=True)
    scored = model.score(pool)
    ours = np.array([s.score for s in scored])
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    sanity = ev.sanity_scores(pos, pool)
    t_sanity = time.perf_counter() - t0
    rankers = {"opdlist (this model)": ours, "keyword query": ev.keyword_scores(pool),
               "arxiv-sanity-lite SVM": sanity}
    tab = ev.table(rankers, y, days)

    n_days = len(set(days))
    print(f"pool {args.pool}: {len(pool)} papers on {n_days} announcement days, "
          f"{int(y.sum())} positive(s)")
    print(f"trained on {len(pos)} positive(s) and {len(neg)} rejected; "
          f"{len(train_keys)} training paper(s) removed from the pool")
    print(text_table([{"ranker": name, **row} for name, row in tab.iterrows()],
                     ["ranker", *tab.columns], shrink=("ranker",)))
    print(f"fit + score: this model {t_ours:.1f} s, arxiv-sanity-lite {t_sanity:.1f} s")

    overall, in_day = ev.ranks(ours, days)
    rows = []
    for i in np.flatnonzero(y):
        rows.append({"rank": int(overall[i]), "in day": int(in_day[i]),
                     "score": float(ours[i]), "day": days[i], "id": pool[i].id,
                     "title": pool[i].title, "why": ", ".join(scored[i].why)})
    worst = sorted(rows, key=lambda r: -r["rank"])[:args.worst]
    print("\npositives this model ranks worst (rank in the window and in their day):")
    print(text_table(worst, ["rank", "in day", "score", "day", "id", "title", "why"],
                     shrink=("title", "why"), floats="{:.4f}"))

    curves = {name: ev.pr_curve(s, y) for name, s in rankers.items()}
    markers = {}
    for name, s in rankers.items():
        m = ev.per_day_top(s, days, k)
        markers[name] = ((m & y).sum() / y.sum(), (m & y).sum() / max(m.sum(), 1))
    plot_pr(curves, markers, k, args.plot,
            f"{Path(args.pool).name}: {int(y.sum())} positives, {n_days} days")
    print(f"\nprecision-recall plot: {args.plot}")

    if args.online:
        print("\n" + textwrap.fill(
            f"online replay, the rule of opdlist daily: the papers with an include phrase "
            f"or a followed author, then every other paper of the day with score >= "
            f"{cfg.min_score} (min_score) and no exclude phrase, best first, at most {k} "
            f"(--per-day, default max_per_day):", WIDTH))
        ts = TrainingSet(positives=pos, negatives=neg, background=bg, sections=sections,
                         topic=topic(cfg))
        pids = {p.key for p, lab in zip(pool, y) if lab}
        t0 = time.perf_counter()
        rows = []
        for learn in (True, False):
            # the pool's n-grams counted above, lent to every day's fit of both replays
            r = ev.replay(ts, pool, pids, per_day=k, min_score=cfg.min_score, learn=learn,
                          counts=model.counts, choose=daily_choice(cfg, k))
            rows.append({"replay": "learning from decisions" if learn else "without learning",
                         "found": r["found"], "positives": r["positives"],
                         "recall": r["recall"], "reviewed": r["reviewed"],
                         "reviewed/day": r["reviewed"] / n_days,
                         "seconds": time.perf_counter() - t0})
            t0 = time.perf_counter()
        print(text_table(rows, list(rows[0]), shrink=("replay",)))
    return 0
