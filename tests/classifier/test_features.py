"""What the ranker reads of a paper: the topic's phrases as one term, a paper read alike
from a day of background or from ten, columns the labelled papers name, and a day's refit
that counts only the new day."""
from __future__ import annotations

import re

import numpy as np
import pytest

from classifier import Topic, TrainingSet, fit
from classifier import features as F
from classifier.features import Terms, Text, make_union

from .conftest import TOPIC, VOLD, VOLD_DAY


@pytest.fixture(scope="module")
def days(window_a):
    """The ten listing days up to the day of VOLD, oldest first."""
    order = sorted({p.date for p in window_a})
    i = order.index(VOLD_DAY)
    return [[p for p in window_a if p.date == d] for d in order[i - 9:i + 1]]


def _rows(list_papers, background, papers):
    """The rows of `papers` in the words view fitted on the list and `background`, and the
    hashed term of each column."""
    docs = list_papers + background
    union = make_union(docs, len(list_papers), TOPIC.joins)
    F.fit_union(union, docs)
    words = union.transformer_list[0][1]
    return words.transform(papers), words.columns_


def test_a_paper_reads_the_same_from_one_day_of_background_as_from_ten(list_papers, days):
    """The same paper, the same list: its row (terms and weights) with one listing day as
    background and with ten is nearly the same vector, so the model's view of it does not
    hinge on how long the repository has been running."""
    today = days[-1]
    one, terms1 = _rows(list_papers, today, today)
    ten, terms10 = _rows(list_papers, [p for d in days for p in d], today)
    # the terms of the list both keep (a term near the limits of a day's rates may be kept
    # with one background and not the other), compared on the same columns
    both = np.intersect1d(terms1, terms10)
    assert len(both) >= 0.9 * min(len(terms1), len(terms10))
    one = one[:, np.searchsorted(terms1, both)]
    ten = ten[:, np.searchsorted(terms10, both)]
    cos = np.asarray(one.multiply(ten).sum(axis=1)).ravel() / np.maximum(
        np.sqrt(np.asarray(one.multiply(one).sum(axis=1)).ravel() *
                np.asarray(ten.multiply(ten).sum(axis=1)).ravel()), 1e-12)
    has = np.asarray(one.getnnz(axis=1)).ravel() > 0
    assert np.median(cos[has]) > 0.99 and np.quantile(cos[has], 0.05) > 0.95
    vold = next(i for i, p in enumerate(today) if p.id == VOLD)
    assert cos[vold] > 0.99


def test_columns_are_the_list_terms_and_each_has_a_name(list_papers, days):
    docs = list_papers + days[-1]
    union = make_union(docs, len(list_papers), TOPIC.joins)
    F.fit_union(union, docs)
    F.learn_names(union, list_papers)
    names = [F.readable(n) for n in union.get_feature_names_out()]
    assert all(names)          # every column is a term of a listed paper
    assert {"on-policy distillation", "self-distillation", "author: Li Dong"} <= set(names)
    # a term that only the day's listings use is no column
    words = set(names)
    assert "segmentation" not in words and "galaxy" not in words


def test_the_next_days_fit_counts_only_the_new_day_and_gives_the_same_model(
        list_papers, sections, days, tmp_path, monkeypatch):
    """The daily job refits on days that moved on by one (five here): yesterday's saved
    model lends its hashed counts, and the model is the one a fit from scratch gives."""
    from classifier.persist import load, save
    yesterday = [p for d in days[-6:-1] for p in d]
    today = [p for d in days[-5:] for p in d]
    save(fit(TrainingSet(positives=list_papers[:-1], background=yesterday, sections=sections,
                         topic=TOPIC), keep_counts=True), tmp_path / "model.joblib")
    saved = load(tmp_path / "model.joblib")
    hashed = []
    count = Terms._counts

    def counting(self, docs):
        hashed.append(len(docs))
        return count(self, docs)
    ts = TrainingSet(positives=list_papers, background=today, sections=sections, topic=TOPIC)
    monkeypatch.setattr(Terms, "_counts", counting)
    carried = fit(ts, previous=saved, keep_counts=True)
    monkeypatch.undo()
    # each of the four views counted the new day and the new list entry, then the sections'
    # headings (read as papers by the section model), nothing else
    assert hashed == [len(days[-1]) + 1] * 4 + [len(sections)] * 4
    fresh = fit(ts)
    assert np.allclose(carried.decision(today), fresh.decision(today))
    assert [s.why for s in carried.score(today[:200])] == \
        [s.why for s in fresh.score(today[:200])]
    # and the model keeps exactly today's papers for tomorrow
    assert carried.counts["words"].H.shape[0] == len({F.content_key(p)
                                                      for p in list_papers + today})
    assert fresh.counts is None
    # counts of a fit too small for stop words (the first days of a new list) are not
    # reused by one that has them: the same model as from scratch again
    small = fit(TrainingSet(positives=list_papers, background=days[-1][:150],
                            sections=sections, topic=TOPIC), keep_counts=True)
    again = fit(ts, previous=small, keep_counts=True)
    assert np.allclose(again.decision(today), fresh.decision(today))


def test_the_topics_phrases_become_one_term_only_where_a_word_starts():
    text = Text("full", TOPIC.joins).normalise(
        "On policy KD; self distillation (off-policy) and\nself-generated data; self distilled "
        "a reflection policy, a Python_on policy, x-on policy; it relies on supervised data")
    words = F._TOKEN.findall(text)
    assert {"on-policy", "self-distillation", "off-policy", "self-generated",
            "self-distilled"} <= set(words)
    assert "reflection" in words and "python_on" in words and "x-on-policy" in words
    assert words.count("policy") == 2      # after "reflection" and "python_on": inside a word
    assert "on-supervised" not in words    # "relies on supervised": not a phrase of the topic
    assert words == re.findall(F.TOKEN, text)


def test_a_phrase_the_maintainer_adds_is_one_term():
    """`phrase_joins` in [tool.opdlist]: "speculative decoding" added, another list's
    topic, read as one term; without it, two words."""
    p = type("P", (), {"title": "Speculative  decoding for LLMs", "abstract": ""})()
    with_it = F.ngrams(Text("full", TOPIC.joins + ("speculative decoding",)), p)
    assert "speculative-decoding" in with_it
    assert "speculative-decoding" not in F.ngrams(Text("full", TOPIC.joins), p)
    assert Topic().joins == ()          # no topic word in the code: it comes from configuration


def test_a_saved_model_scores_as_it_did_when_two_training_papers_say_the_same(
        list_papers, sections, days, tmp_path):
    """A list can hold the same paper twice (an arXiv entry and its PDF twin with the same
    title and abstract). The daily job saves its model with the papers' counts; loaded the
    next run, it scores exactly as before (the counts once lost their alignment when one
    paper's content came twice, and every score after it was garbage)."""
    from dataclasses import replace

    from classifier.persist import load, save
    twins = list_papers + [replace(list_papers[0], id="twin-of-" + list_papers[0].id)]
    today = days[-1]
    model = fit(TrainingSet(positives=twins, background=[p for d in days[-3:] for p in d],
                            sections=sections, topic=TOPIC), keep_counts=True)
    save(model, tmp_path / "model.joblib")
    before = [s.score for s in model.score(today)]
    after = [s.score for s in load(tmp_path / "model.joblib").score(today)]
    assert np.allclose(before, after)
