"""Section assignment: which of the list's leaf sections a relevant paper belongs in.

A nearest-centroid classifier over the same TF-IDF features as the relevance model, reading
them differently: sections differ in what a paper *is* ("self-distillation", "multi-teacher",
"black-box", "stability"), not in who wrote it, so the author and category views are left out
and the title view counts half as much as the text (`column_scale`); rows are L2-normalised
over what is left. A section's centroid is the normalised mean of its papers' rows, a paper
goes to the most similar centroid (cosine), and the confidence is a softmax of the
similarities (temperature `TEMPERATURE`). A centroid has no size prior, so small sections
(Training Stability, Black-Box) are proposed as readily as the biggest one: the
multinomial logistic regression used before filed 34 papers of the later list into 3 of its
6 sections (17/34 right in 10-fold cross-validation, against 19/34 now; see
classifier/README.md). Sections never come from here: they are given (README.md or the
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


class SectionModel:
    def __init__(self, sections: list[str], column_scale=None):
        self.sections = list(sections)
        self.column_scale = column_scale
        self.centroids = None                 # one row per section in `present`
        self.present: list[int] = []          # indices into `sections`
        self.fixed: Optional[tuple[str, float]] = None
        self.cols = None

    @staticmethod
    def _rows(Xc):
        """Rows L2-normalised over the features the section model reads."""
        Xc = sp.csr_matrix(Xc)
        norms = np.sqrt(np.asarray(Xc.multiply(Xc).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.diags(1.0 / norms) @ Xc

    def _view(self, X):
        if self.column_scale is None:
            return X
        return X @ sp.diags(self.column_scale)

    def fit(self, X, labels: list[str]) -> "SectionModel":
        """`X` rows of the positives with a known section, `labels` their section names."""
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
            rows = [i for i, s in enumerate(labels) if s in self.sections]
            y = np.array([self.sections.index(labels[i]) for i in rows])
            Xs = sp.csr_matrix(self._view(X[rows]))
            # only the features some labelled positive has: the rest carry no weight anyway
            self.cols = np.unique(Xs.nonzero()[1])
            R = self._rows(Xs[:, self.cols])
            self.present = [self.sections.index(s) for s in present]
            cent = np.vstack([np.asarray(R[y == k].mean(axis=0)).ravel() for k in self.present])
            self.centroids = cent / np.linalg.norm(cent, axis=1, keepdims=True)
        return self

    def predict(self, X) -> list[tuple[Optional[str], float, Optional[str], float]]:
        """Per row: (section, confidence, runner-up section or None, its probability)."""
        n = X.shape[0]
        if self.centroids is None:
            return [(*self.fixed, None, 0.0)] * n
        Xc = sp.csr_matrix(X[:, self.cols])
        if self.column_scale is not None:
            Xc = Xc @ sp.diags(self.column_scale[self.cols])
        sims = np.asarray(self._rows(Xc) @ self.centroids.T)
        z = np.exp((sims - sims.max(axis=1, keepdims=True)) / TEMPERATURE)
        proba = z / z.sum(axis=1, keepdims=True)
        order = np.argsort(-proba, axis=1, kind="stable")
        out = []
        for i in range(n):
            b, r = order[i, 0], order[i, 1]
            out.append((self.sections[self.present[b]], float(proba[i, b]),
                        self.sections[self.present[r]], float(proba[i, r])))
        return out
