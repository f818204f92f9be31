"""The hashed text views read a paper as TfidfVectorizer would (same terms, same weights,
but for a rare shared column), and the positives name the columns a why cites."""
from __future__ import annotations

import re

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


def test_the_next_days_fit_counts_only_the_new_day_and_gives_the_same_model(
        list_papers, sections, window_a, tmp_path, monkeypatch):
    """The daily job refits on days that moved on by one (ten of them; five here): yesterday's
    saved model lends its hashed counts, and the model is the one a fit from scratch gives."""
    from classifier import TrainingSet, fit
    from classifier.persist import load, save
    days = sorted({p.date for p in window_a})
    of = {d: [p for p in window_a if p.date == d] for d in days[20:26]}
    yesterday = [p for d in days[20:25] for p in of[d]]
    today = [p for d in days[21:26] for p in of[d]]
    save(fit(TrainingSet(positives=list_papers[:-1], background=yesterday, sections=sections),
             keep_counts=True), tmp_path / "model.joblib")
    saved = load(tmp_path / "model.joblib")
    hashed = []
    count = Phrases._counts

    def counting(self, docs):
        hashed.append(len(docs))
        return count(self, docs)
    ts = TrainingSet(positives=list_papers, background=today, sections=sections)
    monkeypatch.setattr(Phrases, "_counts", counting)
    carried = fit(ts, previous=saved, keep_counts=True)
    monkeypatch.undo()
    # the two text views hashed the new day and the new list entry, nothing else
    assert hashed == [len(of[days[25]]) + 1] * 2
    fresh = fit(ts)
    assert np.allclose(carried.decision(today), fresh.decision(today))
    assert [s.why for s in carried.score(today[:200])] == \
        [s.why for s in fresh.score(today[:200])]
    # and the model keeps exactly today's papers for tomorrow
    words = dict(carried.pipeline.named_steps["features"].transformer_list)["words"]
    assert words.counts_.H.shape[0] == len({F.text_key(p) for p in list_papers + today})
    assert fresh.pipeline.named_steps["features"].transformer_list[0][1].counts_ is None
    # counts of a fit too small for stop words (the first days of a new list) are not
    # reused by one that has them: the same model as from scratch again
    small = fit(TrainingSet(positives=list_papers, background=of[days[25]][:150],
                            sections=sections), keep_counts=True)
    again = fit(ts, previous=small, keep_counts=True)
    assert np.allclose(again.decision(today), fresh.decision(today))


def test_method_names_become_one_token_only_where_a_word_starts():
    text = F.normalise("On policy KD; self distillation (off-policy) and\nself-generated data; "
                       "a reflection policy, a Python_on policy, x-on policy")
    words = F._TOKEN.findall(text)
    assert {"on-policy", "self-distillation", "off-policy", "self-generated"} <= set(words)
    assert "reflection" in words and "python_on" in words and "x-on-policy" in words
    assert words.count("policy") == 2      # after "reflection" and "python_on": inside a word
    assert words == re.findall(F.TOKEN, text)
