"""Replay of a labelled window: metrics, the two reference rankers, the online replay.

Pure functions on papers, scores and labels; they return numbers and pandas tables. Reading
files, printing and plotting belong to `opdlist evaluate` (scripts/cmd_score.py).

The metrics are those of the maintainer's day: he reads the top K of each announcement day
(recall and precision at K per day), or the candidates above one global threshold that lets
through N papers per day on average (R@Navg), and average precision over the whole window.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from sklearn.metrics import average_precision_score, precision_recall_curve

KS = (3, 5, 10)
AVGS = (1, 2)


# ---- metrics ---------------------------------------------------------------------------
def order(scores: np.ndarray) -> np.ndarray:
    """Indices best first; ties keep input order (deterministic)."""
    return np.argsort(-np.asarray(scores, dtype=float), kind="stable")


def per_day_top(scores: np.ndarray, days: Sequence[str], k: int) -> np.ndarray:
    """Boolean mask of the top `k` papers of each day."""
    scores = np.asarray(scores, dtype=float)
    days = np.asarray(days)
    mask = np.zeros(len(scores), bool)
    for d in np.unique(days):
        idx = np.flatnonzero(days == d)
        mask[idx[order(scores[idx])[:k]]] = True
    return mask


def global_top(scores: np.ndarray, n: int) -> np.ndarray:
    """Boolean mask of the `n` best papers overall (the global threshold that lets n through)."""
    mask = np.zeros(len(scores), bool)
    mask[order(scores)[:n]] = True
    return mask


def metrics(scores: np.ndarray, labels: np.ndarray, days: Sequence[str]) -> dict:
    """AP, recall and precision at K per day, recall at N per day on average."""
    labels = np.asarray(labels, bool)
    npos = int(labels.sum())
    n_days = len(set(days))
    out = {"AP": float(average_precision_score(labels, scores)) if npos else float("nan")}
    for k in KS:
        m = per_day_top(scores, days, k)
        hits = int((m & labels).sum())
        out[f"R@{k}/day"] = hits / npos if npos else float("nan")
        out[f"P@{k}/day"] = hits / max(int(m.sum()), 1)
    for n in AVGS:
        m = global_top(scores, n * n_days)
        out[f"R@{n}avg"] = int((m & labels).sum()) / npos if npos else float("nan")
    return out


def table(rankers: dict[str, np.ndarray], labels, days) -> pd.DataFrame:
    """One row per ranker, the metrics as columns."""
    return pd.DataFrame({name: metrics(s, labels, days) for name, s in rankers.items()}).T


def pr_curve(scores, labels):
    precision, recall, _ = precision_recall_curve(np.asarray(labels, bool), scores)
    return recall, precision


def ranks(scores: np.ndarray, days: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(rank in the whole window, rank within its day), 1-based."""
    scores = np.asarray(scores, dtype=float)
    overall = np.empty(len(scores), int)
    overall[order(scores)] = np.arange(1, len(scores) + 1)
    days = np.asarray(days)
    in_day = np.empty(len(scores), int)
    for d in np.unique(days):
        idx = np.flatnonzero(days == d)
        in_day[idx[order(scores[idx])]] = np.arange(1, len(idx) + 1)
    return overall, in_day


# ---- reference rankers -----------------------------------------------------------------
#: the keyword query: phrase -> weight (hits in the title count twice)
KEYWORDS = {
    "on-policy distillation": 3.0, "on policy distillation": 3.0,
    "on-policy self-distillation": 3.0, "self-distillation": 2.0, "self distillation": 2.0,
    "policy distillation": 1.5, "knowledge distillation": 1.0, "reverse kl": 1.0,
    "student-generated": 1.0, "distillation": 0.2,
}


def keyword_scores(papers: Iterable) -> np.ndarray:
    """The keyword query: weighted phrase hits in title (×2) and abstract."""
    pats = {k: re.compile(r"\b" + re.escape(k) + r"\b") for k in KEYWORDS}
    out = []
    for p in papers:
        title, abstract = p.title.lower(), (p.abstract or "").lower()
        out.append(sum(w * (2 * len(pats[k].findall(title)) + len(pats[k].findall(abstract)))
                       for k, w in KEYWORDS.items()))
    return np.asarray(out, dtype=float)


def sanity_scores(positives: Sequence, pool: Sequence) -> np.ndarray:
    """The arxiv-sanity-lite recommender as its compute.py/serve.py do it: TF-IDF of title,
    abstract and authors (1–2-grams, max_df=0.1, min_df=5, 20,000 features, sublinear tf),
    LinearSVC(C=0.01, class_weight='balanced') with the positives as 1 and every pool paper
    as 0; the score is the SVM's decision value."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    def doc(p):
        return " ".join([p.title, p.abstract or "", " ".join(p.authors or [])])

    docs = [doc(p) for p in positives] + [doc(p) for p in pool]
    n = len(docs)
    v = TfidfVectorizer(strip_accents="unicode", lowercase=True, stop_words="english",
                        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b", ngram_range=(1, 2),
                        max_features=20000, sublinear_tf=True,
                        max_df=0.1 if n >= 50 else 1.0, min_df=5 if n >= 500 else 1)
    X = v.fit_transform(docs)
    y = np.r_[np.ones(len(positives)), np.zeros(len(pool))]
    clf = LinearSVC(C=0.01, class_weight="balanced", max_iter=10000, tol=1e-6)
    clf.fit(X, y)
    return clf.decision_function(X[len(positives):])


from classifier.budget import proposed  # noqa: E402  (the rule of daily, re-exported)


# ---- online replay ---------------------------------------------------------------------
RECENT_DAYS = 5


def replay(ts, pool: Sequence, positive_ids: set, *, per_day: int, min_score: float,
           learn: bool, recent_days: int = RECENT_DAYS, fit=None, counts=None,
           choose=None) -> dict:
    """The daily job replayed day by day. Each day the day's papers are scored by a model
    trained on `ts` (plus, when `learn`, every decision so far) with the listings of the
    last `recent_days` days up to this one as background; the papers `proposed` picks
    (score >= `min_score`, at most `per_day`: the rule of `opdlist daily`) go to a
    simulated maintainer who approves the labelled positives (into the
    section the model proposed) and rejects the rest. `choose(papers, scored)` -> indices,
    when given, picks instead of `proposed` (`opdlist evaluate` passes the daily job's own
    `pick`, so the include phrases and followed authors steer the replay as they steer
    `daily`). Returns found/total positives,
    candidates reviewed, per-day rows and the decisions (approved, rejected papers; empty
    without `learn`).

    Each day's model is the one `daily` would fit on that day's papers (its own term
    weights and columns); the papers' n-gram counts are made once for the whole window
    (`counts`: `features.count_papers`, or a model's kept counts) and lent to every day's
    fit, so a quarter replays in about a minute."""
    if fit is None:
        from classifier.features import count_papers
        from classifier.ranker import fit as fit_on
        if counts is None:   # several replays of one window may share them (`counts`)
            counts = count_papers(list(ts.positives) + list(ts.negatives)
                                  + list(ts.background) + list(pool), ts.topic.joins)

        def fit(ts):
            return fit_on(ts, counts=counts)
    by_day: dict[str, list] = {}
    for p in pool:
        by_day.setdefault(p.date, []).append(p)
    approved, rejected = [], []
    found = reviewed = 0
    rows = []
    total = sum(1 for p in pool if p.key in positive_ids)
    ordered = sorted(by_day)
    for n, day in enumerate(ordered):
        papers = by_day[day]
        recent = [p for d in ordered[max(0, n - recent_days + 1):n + 1] for p in by_day[d]]
        cur = replace(ts, positives=list(ts.positives) + approved,
                      negatives=list(ts.negatives) + rejected,
                      background=list(ts.background) + recent)
        model = fit(cur)
        scored = model.score(papers)
        picked = (choose(papers, scored) if choose is not None
                  else proposed([s.score for s in scored], min_score, per_day))
        hits = 0
        for i in picked:
            p = papers[i]
            if p.key in positive_ids:
                hits += 1
                if learn:
                    approved.append(replace(p, section=scored[i].section, label=1))
            elif learn:
                rejected.append(replace(p, label=0))
        found += hits
        reviewed += len(picked)
        rows.append({"day": day, "papers": len(papers), "reviewed": len(picked), "found": hits})
    return {"found": found, "positives": total, "recall": found / total if total else float("nan"),
            "reviewed": reviewed, "days": pd.DataFrame(rows),
            "approved": approved, "rejected": rejected}
