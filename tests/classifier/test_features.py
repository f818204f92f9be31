"""The hashed text views read a paper as TfidfVectorizer would (same terms, same weights,
but for a rare shared column), and the positives name the columns a why cites."""
from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from classifier import features as F
from classifier.features import Phrases, full_text

from .conftest import VOLD_DAY


@pytest.fixture(scope="module")
def week(window_a):
    days = sorted({p.date for p in window_a})
    i = days.index(VOLD_DAY)
    return [p for p in window_a if days[i - 4] <= p.date <= VOLD_DAY]


def _exact(**kw):
    return TfidfVectorizer(preprocessor=full_text, ngram_range=(1, 2), sublinear_tf=True,
                           stop_words="english", token_pattern=F.TOKEN, lowercase=False,
                           **kw)


def test_hashed_view_equals_tfidfvectorizer_on_a_week_of_listings(week):
    limits = dict(min_df=2, max_df=int(0.05 * len(week)))
    mine = Phrases(full_text, stop_words=True, **limits)
    X = mine.fit_transform(week)
    exact = _exact(**limits)
    E = exact.fit_transform(week)
    # hashing lets distinct n-grams share a column now and then (2**30 columns: 15 of
    # the week's 30,731 kept terms, two rare n-grams making one column above min_df)
    assert E.shape[1] <= X.shape[1] <= 1.001 * E.shape[1]
    # every term of TfidfVectorizer is a column here, with the same tf-idf values in a
    # paper without such a shared column, and nearly the same in the others (the shared
    # column takes a little of the row's norm)
    pos, kept = mine.locate(list(exact.get_feature_names_out()))
    assert kept.all()
    Xt = X[:, pos]
    same = np.isclose(abs(Xt - E).max(axis=1).toarray().ravel(), 0, atol=1e-6)
    assert same.mean() > 0.95
    cos = np.asarray(Xt.multiply(E).sum(axis=1)).ravel() / np.sqrt(
        np.asarray(Xt.multiply(Xt).sum(axis=1)).ravel())
    assert cos.min() > 0.98
    # a new paper is read the same way too
    assert abs(mine.transform(week[:50]) - X[:50]).max() < 1e-6


def test_columns_are_named_by_the_positives_only(list_papers, week):
    mine = Phrases(full_text, min_df=2, max_df=0.05, stop_words=True).fit(list_papers + week)
    mine.learn_names(list_papers)
    names = set(mine.get_feature_names_out())
    assert "on-policy distillation" in names and "self-distillation" in names
    assert "" in names       # a term of the week no listed paper uses has no name
