"""The relevance model: one scikit-learn Pipeline (TF-IDF feature union -> logistic
regression), a calibration that turns its decision value into a probability, the section
model and the why-terms.

Positive-unlabeled learning. The list gives a handful of positives; everything else is
unlabeled. Unlabeled background (recent listings, or the pool being scored) is used as *weak*
negatives: all background papers together weigh as much as all positives, so the few OPD
papers hidden in it barely pull the model down. Papers the maintainer rejected are *hard*
negatives: each weighs `HARD_WEIGHT` times a positive, far above any background paper.

The score is a calibrated probability. Decision values of the positives are taken out of
fold (stratified k-fold, so a listed paper is scored by a model that never saw it, like a
new paper), those of held-out background papers likewise (rejected papers are left out: they
are the top of an earlier ranking, not a sample of the listings), and a one-dimensional
logistic regression
(Platt scaling) is fitted on them with the classes re-weighted to a prior `PRIOR`: the share
of relevant papers among the listings. So ``score`` = P(the list should contain this paper),
assuming about PRIOR * 450 ≈ 1.4 such papers per announcement day of cs.LG/cs.CL/cs.AI.
`min_score = 0.02` (the default) therefore means "at least a 1-in-50 chance".

Fitting is deterministic: no randomness besides fixed seeds, stable sorts.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from classifier.features import carry_counts, learn_names, make_union, term_matrix, width
from classifier.sections import SectionModel

VERSION = 5
C = 10.0            # inverse regularisation of the relevance model
HARD_WEIGHT = 0.5   # one rejected paper weighs half a listed paper
PRIOR = 0.003       # share of relevant papers among the listings (calibration target)
FOLDS = 3           # folds of the out-of-fold calibration
BG_CAP = 4000       # background papers per calibration fold (sampled, reweighted)
SEED = 0
SURE = 0.6          # a section suggestion below this confidence carries its runner-up


class TrainingError(ValueError):
    """The training set cannot train a model (e.g. no positives)."""


@dataclass
class TrainingSet:
    positives: list = field(default_factory=list)    # .section set, or None
    negatives: list = field(default_factory=list)    # rejected papers (hard negatives)
    background: list = field(default_factory=list)   # unlabeled recent listings
    sections: list = field(default_factory=list)     # leaf sections, README order

    def fingerprint(self, roles: tuple = ("pos", "neg", "bg")) -> str:
        """Hash of everything fitting depends on (papers' text, authors, categories, roles,
        sections, model version): equal fingerprints give equal models. `roles` limits it
        to some of the papers: ("pos", "neg") is the labelled data (see `persist`)."""
        h = hashlib.sha256()
        h.update(json.dumps({"v": VERSION, "C": C, "hard": HARD_WEIGHT, "prior": PRIOR,
                             "folds": FOLDS, "sections": list(self.sections)}).encode())
        for role, papers in (("pos", self.positives), ("neg", self.negatives),
                             ("bg", self.background)):
            if role not in roles:
                continue
            for p in papers:
                h.update(json.dumps([role, p.id, p.title, p.abstract or "", list(p.authors or []),
                                     list(p.categories or []),
                                     getattr(p, "section", None) if role == "pos" else None],
                                    ensure_ascii=False).encode())
        return h.hexdigest()


@dataclass
class Scored:
    id: str
    score: float
    section: Optional[str]
    section_confidence: float
    why: list = field(default_factory=list)
    #: the runner-up section when the model is unsure of `section` (confidence below
    #: SURE), else None
    section_alternative: Optional[str] = None
    #: the closest listed paper (positive of the training data): (id, title), or None
    like: Optional[tuple] = None


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))


class Model:
    """A fitted relevance model. `pipeline` is the sklearn Pipeline (printable)."""

    def __init__(self, pipeline: Pipeline, calibration: tuple[float, float],
                 sections: SectionModel, fingerprint: str, info: dict):
        self.pipeline = pipeline
        self.calibration = calibration
        self.sections = sections
        self.fingerprint = fingerprint
        self.info = info          # counts of the training data, titles-only flag …

    def __repr__(self) -> str:
        return f"Model({self.info}, calibration={self.calibration})"

    # ---- scoring ---------------------------------------------------------------------
    def features(self, papers: Sequence):
        rows = getattr(self, "_rows", None)
        if rows is not None:
            docs = self._docs
            idx = [rows.get(id(p)) for p in papers]
            idx = [i if i is not None and docs[i] is p else None for i, p in zip(idx, papers)]
            if all(i is not None for i in idx):
                return self._X[idx]
            new = [p for p, i in zip(papers, idx) if i is None]
            if len(new) < len(papers) // 2:  # mostly training papers: transform the others
                Xn = sp.csr_matrix(self.pipeline.named_steps["features"].transform(new),
                                   dtype=np.float64)
                j = iter(range(self._X.shape[0], self._X.shape[0] + len(new)))
                full = [i if i is not None else next(j) for i in idx]
                return sp.vstack([self._X, Xn], format="csr")[full]
        return self.pipeline.named_steps["features"].transform(list(papers))

    def decision(self, papers: Sequence) -> np.ndarray:
        if not papers:
            return np.zeros(0)
        return self.pipeline.decision_function(list(papers))

    def probability(self, decision: np.ndarray) -> np.ndarray:
        a, b = self.calibration
        return _sigmoid(a * decision + b)

    def score(self, papers: Sequence) -> list[Scored]:
        """One `Scored` per paper, in input order."""
        papers = list(papers)
        if not papers:
            return []
        with threadpool_limits(1):
            return self._score(papers)

    def _score(self, papers: list) -> list[Scored]:
        X = self.features(papers)
        clf = self.pipeline.named_steps["clf"]
        dec = clf.decision_function(X)
        prob = self.probability(dec)
        secs = self.sections.predict(X)
        whys = self.why(X)
        likes = self.like(X)
        return [Scored(id=p.id, score=float(prob[i]), section=secs[i][0],
                       section_confidence=float(secs[i][1]), why=whys[i],
                       section_alternative=secs[i][2] if secs[i][1] < SURE else None,
                       like=likes[i])
                for i, p in enumerate(papers)]

    def why(self, X, most: int = 6, least: int = 3) -> list[list[str]]:
        """Per row of `X`: the 3–6 terms that lift this paper above the typical contender
        of its batch (a day's listings, or the scored file).

        A term's contribution is value × weight. The typical contenders are the
        best-ranked papers of the training background (the top 0.5 %, at least 20; fixed at
        fit time): the knowledge-distillation and RL papers of the recent listings. A term's
        lift is its contribution times (1 - the share of contenders that have it)², and a
        term more than half of them have does not lift at all: terms every such paper shares
        ("distillation", "teacher", "student") fall away and what is left is what sets this
        one apart ("on-policy distillation", "reverse kl", a followed author). Terms are
        ranked by lift; the same term from the text and the title views counts once; when
        fewer than three terms lift the paper, the largest plain contributions fill up to
        three."""
        coef = self.pipeline.named_steps["clf"].coef_.ravel()
        terms, term_of_col, T = term_matrix(self.pipeline.named_steps["features"])
        X = sp.csr_matrix(X)
        share = getattr(self, "contender_share", None)
        if share is None:
            share = np.zeros(X.shape[1])
        pos = np.where(coef > 0, coef, 0.0)
        # T: feature columns -> distinct terms (text and title views of a term add up)
        plain = sp.csr_matrix(X @ sp.diags(pos) @ T)
        term_share = np.zeros(len(terms))
        np.maximum.at(term_share, term_of_col, share)
        lift = sp.csr_matrix(X @ sp.diags(pos * (1 - share) ** 2) @ T)
        out = []
        for i in range(X.shape[0]):
            lo, hi = lift.indptr[i], lift.indptr[i + 1]
            cols, v = lift.indices[lo:hi], lift.data[lo:hi]
            # a term most contenders share (factor below 1/4: share above one half) does not
            # set this paper apart; it may only fill up to `least`
            lifting = [j for j in np.lexsort((cols, -v))
                       if v[j] > 0 and term_share[cols[j]] <= 0.5 and terms[cols[j]]]
            # below a tenth of the strongest lift, a term adds nothing once three are kept
            row = [terms[cols[j]] for n, j in enumerate(lifting[:most])
                   if n < least or v[j] >= 0.1 * v[lifting[0]]]
            if len(row) < least:
                lo, hi = plain.indptr[i], plain.indptr[i + 1]
                cols, v = plain.indices[lo:hi], plain.data[lo:hi]
                for j in np.lexsort((cols, -v)):
                    if len(row) >= least or v[j] <= 0:
                        break
                    if terms[cols[j]] and terms[cols[j]] not in row:
                        row.append(terms[cols[j]])
            out.append(row)
        return out

    def like(self, X) -> list[Optional[tuple]]:
        """Per row of `X`: the closest positive of the training data by cosine over what the
        section model reads (text and title): (id, title), or None."""
        ref = getattr(self, "like_rows", None)
        if ref is None or ref.shape[0] == 0:
            return [None] * X.shape[0]
        scale = self.sections.column_scale
        Xv = sp.csr_matrix(X) if scale is None else sp.csr_matrix(X) @ sp.diags(scale)
        sims = (SectionModel._rows(Xv) @ ref.T).toarray()
        best = sims.argmax(axis=1)
        return [self.like_papers[b] if sims[i, b] > 0 else None for i, b in enumerate(best)]

    def __getstate__(self):
        d = dict(self.__dict__)
        for k in ("_rows", "_docs", "_X"):
            d.pop(k, None)
        return d


# ---- fitting -------------------------------------------------------------------------
def _split(ts: TrainingSet):
    """Positives, negatives and background with duplicates removed (a paper that is a
    positive or a rejection is not also background)."""
    seen = set()
    pos, neg, bg = [], [], []
    for role, papers, out in (("pos", ts.positives, pos), ("neg", ts.negatives, neg),
                              ("bg", ts.background, bg)):
        for p in papers:
            k = getattr(p, "key", p.id)
            if k in seen:
                continue
            seen.add(k)
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
    the number of columns (a replay's day has a third of the window's vocabulary)."""
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


def calibrate(dec_pos: np.ndarray, dec_neg: np.ndarray, prior: float = PRIOR) -> tuple[float, float]:
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
    """Column weights of the section model: the title view half as heavy as the text, no
    authors or categories (see classifier/sections.py)."""
    scale = []
    weights_ = union.transformer_weights or {}
    for name, tr in union.transformer_list:
        n = width(tr)
        w = {"words": 1.0, "title": 0.5}.get(name, 0.0) / weights_.get(name, 1.0)
        scale.append(np.full(n, w))
    return np.concatenate(scale)


def contender_share(Xb, clf, frac: float = 0.005, least: int = 20) -> np.ndarray:
    """Per feature column: the share of the best-ranked background papers (the typical
    contenders of a day) that have it; see `Model.why`."""
    k = min(Xb.shape[0], max(least, int(np.ceil(frac * Xb.shape[0]))))
    top = np.argsort(-clf.decision_function(Xb), kind="stable")[:k]
    return np.asarray((Xb[top] > 0).mean(axis=0)).ravel()


def _out_of_fold(X, n_pos: int, n_neg: int, n_bg: int) -> tuple[np.ndarray, np.ndarray]:
    """Decision values of positives and of negatives (rejected and background) each from a
    model that did not see them (stratified k-fold). A fold trains on at most BG_CAP
    background papers (a fixed random sample, weighted to the same total): an unbiased
    estimate of the same objective at a fraction of the cost on a quarter of listings."""
    n = n_pos + n_neg + n_bg
    y = np.r_[np.ones(n_pos), np.zeros(n_neg + n_bg)]
    k = min(FOLDS, n_pos, n_neg + n_bg)
    if k < 2:  # one positive: nothing to hold out; in-sample values (optimistic)
        w = weights(n_pos, n_neg, n_bg)
        dec = _linear(X, y, w).decision_function(X)
        return dec[:n_pos], dec[n_pos:]
    scale = weights(n_pos, n_neg, n_bg)[0]
    rng = np.random.default_rng(SEED)
    oof = np.zeros(n)
    for tr, te in StratifiedKFold(k, shuffle=True, random_state=SEED).split(np.zeros(n), y):
        tr_pos, tr_neg = tr[tr < n_pos], tr[(tr >= n_pos) & (tr < n_pos + n_neg)]
        tr_bg = tr[tr >= n_pos + n_neg]
        if len(tr_bg) > BG_CAP:
            tr_bg = np.sort(rng.choice(tr_bg, BG_CAP, replace=False))
        rows = np.concatenate([tr_pos, tr_neg, tr_bg])
        w = weights(len(tr_pos), len(tr_neg), len(tr_bg), scale=scale)
        oof[te] = _linear(X[rows], y[rows], w).decision_function(X[te])
    return oof[:n_pos], oof[n_pos:]


class Vectors:
    """A fitted feature union and the rows it gave, by paper key: lets a replay of many
    days fit each day's model without vectorising the same papers again (see
    `classifier.evaluate.replay`). The daily job never uses it: it fits its own union."""

    def __init__(self, papers: Sequence, n_positive: int = 0):
        papers = list(papers)
        self.union = make_union(papers, n_positive)
        X = sp.csr_matrix(self.union.fit_transform(papers), dtype=np.float64)
        self.X = X
        self.row = {getattr(p, "key", p.id): i for i, p in enumerate(papers)}

    @classmethod
    def of(cls, model: "Model") -> "Vectors":
        """The union and training rows of a freshly fitted `model` (not one loaded from
        disk: those rows are not persisted)."""
        v = cls.__new__(cls)
        v.union = model.pipeline.named_steps["features"]
        v.X = model._X
        v.row = {getattr(p, "key", p.id): i for i, p in enumerate(model._docs)}
        return v

    def rows(self, papers: Sequence):
        missing = list({getattr(p, "key", p.id): p for p in papers
                        if getattr(p, "key", p.id) not in self.row}.values())
        if missing:
            extra = sp.csr_matrix(self.union.transform(missing), dtype=np.float64)
            for i, p in enumerate(missing):
                self.row[getattr(p, "key", p.id)] = self.X.shape[0] + i
            self.X = sp.vstack([self.X, extra], format="csr")
        return self.X[[self.row[getattr(p, "key", p.id)] for p in papers]]


def fit(ts: TrainingSet, vectors: Optional[Vectors] = None,
        previous: Optional["Model"] = None, keep_counts: bool = False) -> Model:
    """Fit the relevance model, its calibration and the section model on `ts` (with
    `vectors`, on the rows of an already fitted feature union).

    The daily job refits on a background that moved on by one day: with `keep_counts` the
    model keeps its papers' hashed n-gram counts, and the next fit, given it as `previous`,
    counts only the papers new since (the result is the same model; see
    `classifier.features.Counts`).

    BLAS runs single-threaded here: the solver's vectors are small, and threads handing
    them around cost more than they save (a day fits 3x faster; the window no slower)."""
    with threadpool_limits(1):
        return _fit(ts, vectors, previous, keep_counts)


def _fit(ts: TrainingSet, vectors: Optional[Vectors] = None,
         previous: Optional["Model"] = None, keep_counts: bool = False) -> Model:
    pos, neg, bg = _split(ts)
    if not pos:
        raise TrainingError("no positives to learn from (no paper with a section or label 1)")
    if not neg and not bg:
        raise TrainingError("no negatives and no background to contrast the positives with")
    docs = pos + neg + bg
    if vectors is not None:
        union, X = vectors.union, vectors.rows(docs)
    else:
        union = make_union(docs, len(pos), keep_counts=keep_counts)
        if previous is not None:
            carry_counts(previous.pipeline.named_steps["features"], union)
        try:
            X = union.fit_transform(docs)
        except ValueError as e:  # e.g. only stop words
            raise TrainingError(f"no usable text in the training papers ({e})") from None
        X = sp.csr_matrix(X, dtype=np.float64)
    learn_names(union, pos)   # the terms a why can cite: the positives' n-grams
    y = np.r_[np.ones(len(pos)), np.zeros(len(neg) + len(bg))]
    w = weights(len(pos), len(neg), len(bg))
    clf = _linear(X, y, w)

    dec_pos, dec_rest = _out_of_fold(X, len(pos), len(neg), len(bg))
    # calibrate against the background only when there is one: it is a sample of the
    # listings, the rejected papers are not (they were the top of an earlier ranking)
    calibration = calibrate(dec_pos, dec_rest[len(neg):] if len(bg) else dec_rest)

    labelled = [i for i, p in enumerate(pos) if getattr(p, "section", None)]
    sections = SectionModel(list(ts.sections), section_columns(union)).fit(
        X[labelled] if labelled else X[:0], [pos[i].section for i in labelled])

    pipeline = Pipeline([("features", union), ("clf", clf)])
    info = {"positives": len(pos), "negatives": len(neg), "background": len(bg),
            "positives_without_abstract": sum(1 for p in pos if not (p.abstract or "").strip()),
            "sections": list(ts.sections)}
    model = Model(pipeline, calibration, sections, ts.fingerprint(), info)
    model.labelled_fingerprint = ts.fingerprint(("pos", "neg"))
    model.background_keys = frozenset(getattr(p, "key", p.id) for p in bg)
    scale = sections.column_scale
    model.like_rows = SectionModel._rows(X[:len(pos)] @ sp.diags(scale))
    model.like_papers = [(p.id, p.title) for p in pos]
    model.contender_share = contender_share(X[len(pos) + len(neg):] if bg else X, clf)
    # the training papers' rows, so scoring the background itself (the pool) needs no
    # second transform; transient, never persisted
    model._rows = {id(p): i for i, p in enumerate(docs)}
    model._docs = docs          # keeps the ids above alive and checkable (`is`)
    model._X = X
    return model
