"""Section assignment: which of the list's leaf sections a relevant paper belongs in.

It reads the ranker's features differently from the relevance model: sections differ in what
a paper *is* ("self-distillation", "multi-teacher", "black-box", "stability"), not in who
wrote it, so the author and category views are left out and the title view counts half as
much as the text (`column_scale`); rows are L2-normalised over what is left (`rows`).

Terms are weighed by how rare they are *among the list's papers* (an idf over the listed
papers, in place of the relevance model's rarity among the listings): what every listed
paper says ("distillation", "teacher", "on-policy") tells no section from another, what a few
say ("multi-teacher", "tokenizer", "black-box") does.

A section's centroid is the normalised mean of its papers' rows, shrunk towards the mean of
all listed papers by `SHRINK` pseudo-papers: a section of one or two papers is not decided
by the one word a new paper happens to share with them (a "user" in an abstract is no
reason to file it under a section whose only paper is about user interests). The section's heading, read as a
paper ("Teacher–Student–Based OPD: Multi-Teacher"), counts as one more paper of its centroid
(`NAME_WEIGHT`): the maintainer named the section after what belongs in it, and a small
section learns little else (nested test README under cross-validation: first right 0.75 ->
0.79, first or runner-up 0.88 -> 0.90; lived from the broad list: 0.46 -> 0.62). A paper goes
to the most similar centroid (cosine); the confidence is a softmax of the similarities
(temperature `TEMPERATURE`). A centroid has no size prior, so small sections are proposed as
readily as the biggest one. Sections never come from here: they are given (README.md or the
train file).

Fallbacks, so it never crashes on a thin list:
- no section has a positive: the first section, confidence 1/number of sections;
- one section has positives: that section, confidence 1.0 if it is the only section, else
  its Laplace-smoothed share ((n + 1) / (n + S));
- a section without positives is never proposed (nothing says what belongs in it).
"""
from __future__ import annotations

from typing import Optional

import numpy as np
import scipy.sparse as sp

TEMPERATURE = 0.05   # softmax temperature of the cosine similarities (confidence)
SHRINK = 1.0         # pseudo-papers of the whole list's mean in every section's centroid
NAME_WEIGHT = 1.0    # the section's heading counts as this many papers of its centroid


def normalised(X) -> sp.csr_matrix:
    """Rows of `X` L2-normalised (a zero row stays zero)."""
    X = sp.csr_matrix(X)
    norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ X)


class SectionModel:
    def __init__(self, sections: list[str], column_scale: Optional[np.ndarray] = None):
        self.sections = list(sections)
        self.column_scale = column_scale
        self.centroids: Optional[np.ndarray] = None   # one row per section in `present`
        self.present: list[int] = []                   # indices into `sections`
        self.fixed: Optional[tuple[str, float]] = None

    def __repr__(self) -> str:
        shown = [self.sections[i] for i in self.present] if self.centroids is not None else \
            [self.fixed[0]] if self.fixed else []
        return f"SectionModel(nearest centroid of {len(shown)} section(s): {shown})"

    def rows(self, X) -> sp.csr_matrix:
        """The section view of feature rows `X`: scaled columns, rows L2-normalised."""
        X = sp.csr_matrix(X)
        if self.column_scale is not None:
            X = X @ sp.diags(self.column_scale)
        return normalised(X)

    def fit(self, X, labels: list[str], names=None) -> "SectionModel":
        """`X` rows of the positives with a known section, `labels` their section names;
        `names`, if given, one row per section of `sections`: its heading read as a paper."""
        X = sp.csr_matrix(X)
        known_rows = [i for i, s in enumerate(labels) if s in self.sections]
        if known_rows:   # terms weighed by their rarity among the listed papers
            df = np.asarray((X[known_rows] > 0).sum(axis=0)).ravel()
            idf = np.log((1.0 + len(known_rows)) / (1.0 + df)) + 1.0
            base = self.column_scale if self.column_scale is not None else 1.0
            self.column_scale = base * idf
        known = [s for s in labels if s in self.sections]
        present = sorted(set(known), key=self.sections.index)
        S = max(len(self.sections), 1)
        if not present:
            self.fixed = (self.sections[0] if self.sections else None, 1.0 / S)
        elif len(present) == 1:
            n = len(known)
            conf = 1.0 if len(self.sections) == 1 else (n + 1) / (n + S)
            self.fixed = (present[0], conf)
        else:
            y = np.array([self.sections.index(labels[i]) for i in known_rows])
            R = self.rows(X[known_rows])
            self.present = [self.sections.index(s) for s in present]
            everyone = np.asarray(R.mean(axis=0)).ravel()
            # the section's own name ("Multi-Teacher", "Training Stability") as one more paper
            named = np.asarray(self.rows(names).todense()) if names is not None else \
                np.zeros((len(self.sections), R.shape[1]))
            weight = NAME_WEIGHT if names is not None else 0.0
            cent = np.vstack([(np.asarray(R[y == k].sum(axis=0)).ravel() + SHRINK * everyone
                               + weight * named[k]) / ((y == k).sum() + SHRINK + weight)
                              for k in self.present])
            self.centroids = cent / np.linalg.norm(cent, axis=1, keepdims=True)
        return self

    def predict(self, X) -> list[tuple[Optional[str], float, Optional[str], float]]:
        """Per row: (section, confidence, runner-up section or None, its probability)."""
        n = X.shape[0]
        if self.centroids is None:
            return [(*self.fixed, None, 0.0)] * n
        sims = np.asarray(self.rows(X) @ self.centroids.T)
        z = np.exp((sims - sims.max(axis=1, keepdims=True)) / TEMPERATURE)
        proba = z / z.sum(axis=1, keepdims=True)
        order = np.argsort(-proba, axis=1, kind="stable")
        out = []
        for i in range(n):
            b, r = order[i, 0], order[i, 1]
            out.append((self.sections[self.present[b]], float(proba[i, b]),
                        self.sections[self.present[r]], float(proba[i, r])))
        return out
