"""Today's ranker: one scikit-learn Pipeline (term views -> logistic regression), the
calibration that turns its decision value into the probability of the score contract
(classifier/contract.py), the section model, and why and like.

    model = fit(TrainingSet(positives=..., negatives=..., background=..., sections=...,
                            topic=Topic(joins=..., prior=...)))
    model.score(papers)     # -> list[Scored], input order
    print(model)            # the Pipeline and the section model

**Positive-unlabeled learning.** The list gives the positives; everything else is unlabeled.
The background (recent listings, or the pool being scored) are *weak* negatives: all of them
together weigh as much as all positives, so the few relevant papers hidden among them barely
pull the model down. Papers the maintainer rejected are *hard* negatives: each weighs
`HARD_WEIGHT` times a positive.

**How the score contract is kept.** Decision values of the positives are taken out of fold
(three folds: a listed paper is scored by a model that never saw it, like a new paper),
those of the background likewise (rejected papers are left out: they are the top of an
earlier ranking, not a sample of the listings), and a one-dimensional logistic regression
(Platt scaling) is fitted on them with the two classes weighted to `Topic.prior` : 1 - prior.
So ``score`` = P(relevant) for a paper of the listings, assuming about prior * 450 such
papers per announcement day (0.003: 1.4 a day), and `min_score` = 0.02 (the default) means
"at least a 1-in-50 chance". What the score depends on besides the list, the decisions and
the paper is the background as a sample of the listings: the views weigh terms by their
rate in it (classifier/features.py), so a day and ten read a paper alike, and the
calibration's tail comes from it, which is why the daily job fits on the last several
listing days (`budget.recent`); classifier/README.md has the measurements.

Fitting is deterministic: no randomness besides fixed seeds, stable sorts. BLAS runs
single-threaded (a day fits 3x faster; a quarter no slower).
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Optional, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from classifier.contract import Scored, Topic, TrainingError, TrainingSet
from classifier.features import (carry_counts, content_key, fit_union, learn_names,
                                 make_union, readable, transform, view_counts)
from classifier.sections import SectionModel

VERSION = 10
C = 10.0            # inverse regularisation of the relevance model
HARD_WEIGHT = 0.5   # one rejected paper weighs half a listed paper
FOLDS = 3           # folds of the out-of-fold calibration
BG_CAP = 4000       # background papers per calibration fold (sampled, reweighted)
SEED = 0
SURE = 0.6          # a section suggestion below this confidence carries its runner-up
LIKE_CLEAR = 2.0    # a title-only listed paper is `like` only when twice as close as any other
PARAMS = {"v": VERSION, "C": C, "hard": HARD_WEIGHT, "folds": FOLDS}

__all__ = ["Model", "Scored", "Topic", "TrainingError", "TrainingSet", "fit", "SURE"]


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))


class Rows:
    """Feature rows of papers by content key (`features.content_key`): the training papers'
    rows, so scoring the background itself (the pool of `opdlist score`, today's listings in
    `daily`) needs no second transform. Transient: a saved model does not keep them."""

    def __init__(self, keys: list, X):
        self.X = sp.csr_matrix(X)
        self.at = {k: i for i, k in enumerate(keys)}

    def get(self, keys: list) -> list:
        return [self.at.get(k) for k in keys]


class TermIndex:
    """The readable terms of a fitted union's columns: the text and the title view of a
    term are one term of a why (`T`: columns x terms, 0/1); "" for an unnamed column."""

    def __init__(self, union):
        names = [readable(n) for n in union.get_feature_names_out()]
        self.terms = sorted(set(names))
        index = {t: i for i, t in enumerate(self.terms)}
        self.of_col = np.array([index[n] for n in names], dtype=np.int64)
        self.T = sp.csr_matrix((np.ones(len(names)), (np.arange(len(names)), self.of_col)),
                               shape=(len(names), len(self.terms)))


class Like:
    """The positives of the training data a new paper can be "like": their rows over what the
    section model reads (text and title), L2-normalised, and which have an abstract."""

    def __init__(self, rows, papers: list, has_abstract: np.ndarray):
        self.rows = sp.csr_matrix(rows)
        self.papers = papers                 # (id, title) of each row
        self.has_abstract = np.asarray(has_abstract, bool)

    def closest(self, rows) -> list[Optional[tuple]]:
        """Per row of `rows` (normalised the same way): the closest positive with an
        abstract, or a title-only one (a blog post) only when it is clearly closer
        (`LIKE_CLEAR` times) than any with an abstract: a few words of a title match any
        paper that uses them."""
        if self.rows.shape[0] == 0:
            return [None] * rows.shape[0]
        sims = (sp.csr_matrix(rows) @ self.rows.T).toarray()
        out = []
        full = np.flatnonzero(self.has_abstract)
        bare = np.flatnonzero(~self.has_abstract)
        for s in sims:
            best = full[np.argmax(s[full])] if len(full) else None
            other = bare[np.argmax(s[bare])] if len(bare) else None
            if best is None or (other is not None and s[other] > LIKE_CLEAR * s[best]):
                best = other
            out.append(self.papers[best] if best is not None and s[best] > 0 else None)
        return out


class Model:
    """A fitted relevance model. `pipeline` is the sklearn Pipeline (printable), `sections`
    the section model; `score` is the public face (`why` and `like` come with it)."""

    def __init__(self, pipeline: Pipeline, calibration: tuple[float, float],
                 sections: SectionModel, like: Like, contender_share: np.ndarray,
                 fingerprint: str, info: dict, counts: Optional[dict] = None, rows: Optional[Rows] = None):
        self.pipeline = pipeline
        self.calibration = calibration
        self.sections = sections
        self.like_index = like
        self.contender_share = contender_share   # see `why`
        self.fingerprint = fingerprint
        self.info = info                         # counts of the training data, ...
        self.counts = counts                     # the views' hashed counts, for the next fit
        self.rows = rows                         # transient (see Rows)
        self.terms = TermIndex(pipeline.named_steps["features"])

    def __repr__(self) -> str:
        return (f"Model({self.info}, calibration={self.calibration})\n{self.pipeline}\n"
                f"sections: {self.sections}")

    # ---- scoring ---------------------------------------------------------------------
    def features(self, papers: Sequence):
        """The feature rows of `papers`: the training rows where the model has them (by
        content), a transform of the others."""
        papers = list(papers)
        keys = [content_key(p) for p in papers]
        union = self.pipeline.named_steps["features"]
        if self.rows is None:
            return transform(union, papers, keys)
        at = self.rows.get(keys)
        new = [i for i, a in enumerate(at) if a is None]
        if not new:
            return self.rows.X[at]
        Xn = transform(union, [papers[i] for i in new], [keys[i] for i in new])
        j = iter(range(self.rows.X.shape[0], self.rows.X.shape[0] + len(new)))
        full = [a if a is not None else next(j) for a in at]
        return sp.vstack([self.rows.X, Xn], format="csr")[full]

    def decision(self, papers: Sequence) -> np.ndarray:
        if not papers:
            return np.zeros(0)
        with threadpool_limits(1):
            return self.pipeline.named_steps["clf"].decision_function(self.features(papers))

    def probability(self, decision: np.ndarray) -> np.ndarray:
        a, b = self.calibration
        return _sigmoid(a * decision + b)

    def score(self, papers: Sequence) -> list[Scored]:
        """One `Scored` per paper, in input order (the contract: classifier/contract.py)."""
        papers = list(papers)
        if not papers:
            return []
        with threadpool_limits(1):
            X = self.features(papers)
            prob = self.probability(self.pipeline.named_steps["clf"].decision_function(X))
            secs = self.sections.predict(X)
            whys = self.why(X)
            likes = self.like(X)
        return [Scored(id=p.id, score=float(prob[i]), section=secs[i][0],
                       section_confidence=float(secs[i][1]), why=whys[i],
                       section_alternative=secs[i][2] if secs[i][1] < SURE else None,
                       like=likes[i])
                for i, p in enumerate(papers)]

    def why(self, X, most: int = 6, least: int = 3) -> list[list[str]]:
        """Per row of `X`: the 3–6 terms that lift this paper above the typical contender,
        each named once.

        A term's contribution is value × weight. The typical contenders are the
        best-ranked papers of the training background (the top 0.5 %, at least 20; fixed at
        fit time): the knowledge-distillation and RL papers of the recent listings. A term's
        lift is its contribution times (1 - the share of contenders that have it)², and a
        term more than half of them have does not lift at all: terms every such paper shares
        ("distillation", "teacher", "student") fall away and what is left is what sets this
        one apart ("on-policy distillation", "reverse kl", a followed author). Terms are
        ranked by lift; the text and title views of a term count once, and a word of a
        phrase already named is not named again ("technical report", not also "technical"
        and "report"); when fewer than three terms lift the paper, the largest plain
        contributions fill up to three."""
        coef = self.pipeline.named_steps["clf"].coef_.ravel()
        terms, T = self.terms.terms, self.terms.T
        X = sp.csr_matrix(X)
        share = self.contender_share
        pos = np.where(coef > 0, coef, 0.0)
        plain = sp.csr_matrix(X @ sp.diags(pos) @ T)
        term_share = np.zeros(len(terms))
        np.maximum.at(term_share, self.terms.of_col, share)
        lift = sp.csr_matrix(X @ sp.diags(pos * (1 - share) ** 2) @ T)
        out = []
        for i in range(X.shape[0]):
            lo, hi = lift.indptr[i], lift.indptr[i + 1]
            cols, v = lift.indices[lo:hi], lift.data[lo:hi]
            # a term most contenders share (share above one half) does not set this paper
            # apart; it may only fill up to `least`
            lifting = [j for j in np.lexsort((cols, -v))
                       if v[j] > 0 and term_share[cols[j]] <= 0.5 and terms[cols[j]]]
            row: list[str] = []
            for j in lifting:
                if len(row) >= most or (len(row) >= least and v[j] < 0.1 * v[lifting[0]]):
                    break
                _add_term(row, terms[cols[j]])
            if len(row) < least:
                lo, hi = plain.indptr[i], plain.indptr[i + 1]
                cols, v = plain.indices[lo:hi], plain.data[lo:hi]
                for j in np.lexsort((cols, -v)):
                    if len(row) >= least or v[j] <= 0:
                        break
                    if terms[cols[j]]:
                        _add_term(row, terms[cols[j]])
            out.append(row)
        return out

    def like(self, X) -> list[Optional[tuple]]:
        """Per row of `X`: the closest listed paper, (id, title) or None (`Like.closest`)."""
        return self.like_index.closest(self.sections.rows(X))

    def __getstate__(self):
        d = dict(self.__dict__)
        d["rows"] = None
        d.pop("terms", None)
        return d

    def __setstate__(self, state):
        self.__dict__.update(state)
        self.terms = TermIndex(self.pipeline.named_steps["features"])


def _add_term(row: list, term: str) -> None:
    """Add `term` to a why unless it names nothing new: a word of a phrase already there
    ("technical" beside "technical report"), or a phrase whose words are all there already.
    A phrase replaces the words of it named before."""
    words = term.split()
    if term in row:
        return
    if len(words) == 1 and any(term in t.split() for t in row if " " in t):
        return
    if len(words) > 1:
        if all(w in row for w in words):
            return
        row[:] = [t for t in row if t not in words]
    row.append(term)


# ---- fitting -------------------------------------------------------------------------------
def fingerprint(ts: TrainingSet) -> str:
    """The fingerprint of `ts` for this ranker: equal fingerprints give equal models
    (`persist` reuses a saved model while it holds)."""
    return ts.fingerprint(params=PARAMS)


def _heading(section: str) -> SimpleNamespace:
    """A section's heading read as a paper (sections.py: the centroid's named paper):
    "Teacher–Student–Based OPD / Multi-Teacher" -> "Teacher–Student–Based OPD: Multi-Teacher"."""
    text = section.replace(" / ", ": ")
    return SimpleNamespace(title=text, abstract=text, authors=[], categories=[])


def _split(ts: TrainingSet):
    """Positives, negatives and background with duplicates removed (a paper that is a
    positive or a rejection is not also background)."""
    seen = set()
    pos, neg, bg = [], [], []
    for papers, out in ((ts.positives, pos), (ts.negatives, neg), (ts.background, bg)):
        for p in papers:
            if p.key in seen:
                continue
            seen.add(p.key)
            out.append(p)
    return pos, neg, bg


def weights(n_pos: int, n_neg: int, n_bg: int, scale: float | None = None) -> np.ndarray:
    """Sample weights in the order positives, negatives, background: each positive `scale`,
    each rejected paper HARD_WEIGHT * `scale`, all background together as much as all
    positives. By default `scale` makes the weights sum to the number of samples (so C means
    what it means with class_weight='balanced'); the calibration folds pass the full model's
    scale so their loss estimates the same objective."""
    if scale is None:
        n = n_pos + n_neg + n_bg
        scale = n / (n_pos + HARD_WEIGHT * n_neg + (n_pos if n_bg else 0))
    return scale * np.concatenate([np.ones(n_pos), np.full(n_neg, HARD_WEIGHT),
                                   np.full(n_bg, n_pos / n_bg if n_bg else 0.0)])


def _linear(X, y, w) -> LogisticRegression:
    """The logistic regression on rows `X`, fitted on the columns some of them have: the
    others' coefficients are 0 under the L2 penalty anyway, and L-BFGS's cost grows with
    the number of columns."""
    clf = LogisticRegression(C=C, max_iter=1000, random_state=SEED)
    X = sp.csr_matrix(X)
    active = np.flatnonzero(X.getnnz(axis=0))
    if len(active) == X.shape[1]:
        return clf.fit(X, y, sample_weight=w)
    clf.fit(X[:, active], y, sample_weight=w)
    coef = np.zeros((1, X.shape[1]))
    coef[0, active] = clf.coef_[0]
    clf.coef_, clf.n_features_in_ = coef, X.shape[1]
    return clf


def calibrate(dec_pos: np.ndarray, dec_neg: np.ndarray, prior: float) -> tuple[float, float]:
    """Platt scaling of decision values to P(relevant), positives and negatives weighted to
    `prior` : 1 - `prior`. Returns (a, b) with P = sigmoid(a * decision + b)."""
    if len(dec_pos) == 0 or len(dec_neg) == 0:
        return 1.0, float(np.log(prior / (1 - prior)))
    x = np.concatenate([dec_pos, dec_neg])[:, None]
    y = np.r_[np.ones(len(dec_pos)), np.zeros(len(dec_neg))]
    w = np.r_[np.full(len(dec_pos), prior / len(dec_pos)),
              np.full(len(dec_neg), (1 - prior) / len(dec_neg))]
    w *= len(w) / w.sum()
    lr = LogisticRegression(C=100.0, max_iter=1000).fit(x, y, sample_weight=w)
    a, b = float(lr.coef_[0, 0]), float(lr.intercept_[0])
    if a <= 0:  # positives no better than negatives out of fold: the prior, nothing more
        return 1e-6, float(np.log(prior / (1 - prior)))
    return a, b


def section_columns(union) -> np.ndarray:
    """Column weights of the section model and of `like`: the title view half as heavy as
    the text, no authors or categories, and each term's rarity among the listings divided
    out (the section model weighs a term by its rarity among the listed papers instead: see
    classifier/sections.py)."""
    scale = []
    weights_ = union.transformer_weights or {}
    for name, view in union.transformer_list:
        w = {"words": 1.0, "title": 0.5}.get(name, 0.0) / weights_.get(name, 1.0)
        scale.append(w / view.column_idf_)
    return np.concatenate(scale)


def contender_share(Xb, clf, frac: float = 0.005, least: int = 20) -> np.ndarray:
    """Per feature column: the share of the best-ranked background papers (the typical
    contenders of a day) that have it; see `Model.why`."""
    k = min(Xb.shape[0], max(least, int(np.ceil(frac * Xb.shape[0]))))
    if k == 0:
        return np.zeros(Xb.shape[1])
    top = np.argsort(-clf.decision_function(Xb), kind="stable")[:k]
    return np.asarray((Xb[top] > 0).mean(axis=0)).ravel()


def folds(keys: list, y: np.ndarray, k: int) -> np.ndarray:
    """The calibration fold of each paper, a function of the paper, not of its order or of
    the other papers: an unlabelled or rejected paper's fold comes from its content key (one
    paper more or less moves no other paper to another fold: a repository whose cache read
    four papers' abstracts slightly differently calibrated 0.44 against 0.49 when the folds
    were dealt in key order); the few positives are dealt round-robin in the order of their
    keys, so every fold has its share of them."""
    fold = np.array([int.from_bytes(key[:4], "big") % k for key in keys], dtype=np.int64)
    members = np.flatnonzero(y == 1)
    ranked = members[np.argsort([keys[i] for i in members], kind="stable")]
    fold[ranked] = np.arange(len(ranked)) % k
    return fold


def _out_of_fold(X, keys: list, n_pos: int, n_neg: int,
                 n_bg: int) -> tuple[np.ndarray, np.ndarray]:
    """Decision values of positives and of negatives (rejected and background) each from a
    model that did not see them (`folds`). A fold trains on at most BG_CAP background papers
    (those of the smallest content keys: a fixed sample of the papers, whatever their order,
    weighted to the same total): an unbiased estimate of the same objective at a fraction of
    the cost on a quarter of listings."""
    n = n_pos + n_neg + n_bg
    y = np.r_[np.ones(n_pos), np.zeros(n_neg + n_bg)]
    k = min(FOLDS, n_pos, n_neg + n_bg)
    if k < 2:  # one positive: nothing to hold out; in-sample values (optimistic)
        w = weights(n_pos, n_neg, n_bg)
        dec = _linear(X, y, w).decision_function(X)
        return dec[:n_pos], dec[n_pos:]
    scale = weights(n_pos, n_neg, n_bg)[0]
    fold = folds(keys, y, k)
    oof = np.zeros(n)
    for f in range(k):
        tr, te = np.flatnonzero(fold != f), np.flatnonzero(fold == f)
        tr_pos, tr_neg = tr[tr < n_pos], tr[(tr >= n_pos) & (tr < n_pos + n_neg)]
        tr_bg = tr[tr >= n_pos + n_neg]
        if len(tr_bg) > BG_CAP:
            tr_bg = np.sort(tr_bg[np.argsort([keys[i] for i in tr_bg],
                                             kind="stable")[:BG_CAP]])
        rows = np.concatenate([tr_pos, tr_neg, tr_bg])
        w = weights(len(tr_pos), len(tr_neg), len(tr_bg), scale=scale)
        oof[te] = _linear(X[rows], y[rows], w).decision_function(X[te])
    return oof[:n_pos], oof[n_pos:]


def fit(ts: TrainingSet, previous: Optional[Model] = None, keep_counts: bool = False,
        counts: Optional[dict] = None) -> Model:
    """Fit the relevance model, its calibration and the section model on `ts`.

    Counting n-grams is most of a fit; counts are kept by content, so they can be lent:
    `previous` (yesterday's model, fitted with `keep_counts`) or `counts` (a replay's counts
    of its whole quarter, `features.count_papers`) spare counting the papers they hold. The
    model is the same either way."""
    with threadpool_limits(1):
        return _fit(ts, counts if counts is not None else
                    (previous.counts if previous is not None else None), keep_counts)


def _fit(ts: TrainingSet, counts: Optional[dict], keep_counts: bool) -> Model:
    pos, neg, bg = _split(ts)
    if not pos:
        raise TrainingError("no positives to learn from (no paper with a section or label 1)")
    if not neg and not bg:
        raise TrainingError("no negatives and no background to contrast the positives with")
    docs = pos + neg + bg
    union = make_union(docs, len(pos) + len(neg), ts.topic.joins, keep_counts=keep_counts)
    carry_counts(counts, union)
    keys = [content_key(p) for p in docs]
    try:
        X = fit_union(union, docs, keys)
    except ValueError as e:  # e.g. only stop words
        raise TrainingError(f"no usable text in the training papers ({e})") from None
    learn_names(union, pos)   # the terms a why can cite: the positives' n-grams
    y = np.r_[np.ones(len(pos)), np.zeros(len(neg) + len(bg))]
    clf = _linear(X, y, weights(len(pos), len(neg), len(bg)))

    dec_pos, dec_rest = _out_of_fold(X, keys, len(pos), len(neg), len(bg))
    # calibrate against the background only when there is one: it is a sample of the
    # listings, the rejected papers are not (they were the top of an earlier ranking)
    calibration = calibrate(dec_pos, dec_rest[len(neg):] if len(bg) else dec_rest,
                            ts.topic.prior)

    scale = section_columns(union)
    labelled = [i for i, p in enumerate(pos) if p.section]
    headings = [_heading(s) for s in ts.sections]
    sections = SectionModel(list(ts.sections), scale).fit(
        X[labelled] if labelled else X[:0], [pos[i].section for i in labelled],
        transform(union, headings) if headings else None)
    like = Like(sections.rows(X[:len(pos)]), [(p.id, p.title) for p in pos],
                [bool((p.abstract or "").strip()) for p in pos])
    info = {"positives": len(pos), "negatives": len(neg), "background": len(bg),
            "positives_without_abstract": sum(1 for p in pos if not (p.abstract or "").strip()),
            "sections": list(ts.sections)}
    return Model(Pipeline([("features", union), ("clf", clf)]), calibration, sections, like,
                 contender_share(X[len(pos) + len(neg):] if bg else X, clf),
                 fingerprint(ts), info,
                 counts=view_counts(union) if keep_counts else None,
                 rows=Rows(keys, X))
