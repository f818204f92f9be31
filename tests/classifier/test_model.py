"""The model on real data: it finds the OPD paper of a day, files it, says why, learns from
the maintainer's decisions, and is reused from disk until its training data changes."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from classifier import Scored, TrainingSet, fit, load_or_fit
from classifier import TrainingError
from store.paper import Paper

from .conftest import TOPIC, VOLD

SELF = "On-Policy Self-Distillation"
TS = "Teacher–Student–Based OPD"


def text(p) -> str:
    """Title and abstract, lower case."""
    return f"{p.title} {p.abstract}".lower()


def test_the_opd_paper_of_the_day_comes_first(scored, day):
    best = max(range(len(day)), key=lambda i: scored[i].score)
    assert day[best].id == VOLD


def test_scores_are_probabilities_in_input_order(scored, day):
    assert [s.id for s in scored] == [p.id for p in day]
    assert all(isinstance(s, Scored) and 0.0 <= s.score <= 1.0 for s in scored)
    vold = next(s for s in scored if s.id == VOLD)
    # min_score 0.05 lets the OPD paper through and almost nothing else of the day
    assert vold.score >= 0.05
    assert sum(s.score >= 0.05 for s in scored) <= 5
    assert np.median([s.score for s in scored]) < 0.01


def test_fitting_is_deterministic(list_papers, sections, day, scored):
    again = fit(TrainingSet(positives=list_papers, background=day, sections=sections, topic=TOPIC))
    assert [s.score for s in again.score(day)] == [s.score for s in scored]


def test_why_names_the_phrases_that_drove_the_score(scored):
    vold = next(s for s in scored if s.id == VOLD)
    assert 3 <= len(vold.why) <= 6
    assert "on-policy distillation" in vold.why
    assert all(isinstance(t, str) and t and "__" not in t for t in vold.why)


def test_why_names_followed_authors(model):
    p = Paper(id="x1", title="Scaling attention for long documents",
              abstract="We study attention for long context language models.",
              authors=["Li Dong", "Furu Wei"])
    assert "author: Li Dong" in model.score([p])[0].why


def test_section_is_one_of_the_given_sections_with_confidence(model, scored, sections):
    assert {s.section for s in scored} <= set(sections)
    assert all(0.0 < s.section_confidence <= 1.0 for s in scored)
    p = Paper(id="x2", title="On-policy self-distillation for reasoning",
              abstract="The model is its own teacher: it conditions on privileged context and "
                       "distils into itself on its own rollouts (self-distillation).")
    s = model.score([p])[0]
    assert s.section == SELF
    assert s.score > np.quantile([x.score for x in scored], 0.99)   # with the day's best


def test_pipeline_is_one_printable_sklearn_pipeline_of_term_views(model):
    from sklearn.pipeline import FeatureUnion, Pipeline

    from classifier.features import Terms
    assert isinstance(model.pipeline, Pipeline)
    first = model.pipeline.steps[0][1]
    assert isinstance(first, FeatureUnion)
    assert [name for name, _ in first.transformer_list] == ["words", "title", "authors",
                                                            "categories"]
    assert all(isinstance(t, Terms) for _, t in first.transformer_list)
    shown = str(model)
    assert "Terms" in shown and "LogisticRegression" in shown and "SectionModel" in shown


@pytest.mark.parametrize("background", ["the paper itself", "a day"])
def test_section_leave_one_out_at_least_13_of_17(list_papers, sections, day, background):
    """Train on 16 of the list's papers, file the 17th (as `opdlist score --train` does with
    the paper as the pool, or beside a day's listings); the biggest section alone gets 10."""
    right = 0
    for i, p in enumerate(list_papers):
        bg = [p] if background == "the paper itself" else day
        m = fit(TrainingSet(positives=list_papers[:i] + list_papers[i + 1:], background=bg,
                            sections=sections, topic=TOPIC))
        right += m.score([p])[0].section == p.section
    assert right >= 13


# ---- learning from the maintainer ------------------------------------------------------
def test_rejections_push_similar_papers_down_and_approvals_pull_them_up(
        list_papers, sections, day, model):
    kd = [p for p in day if "knowledge distillation" in text(p) and p.id != VOLD]
    assert len(kd) >= 4
    rejected, probe = kd[:-1], kd[-1]
    before = model.score([probe])[0].score
    after_reject = fit(TrainingSet(positives=list_papers, negatives=rejected, background=day,
                                   sections=sections, topic=TOPIC)).score([probe])[0].score
    assert after_reject < before
    approved = [replace(p, section=TS) for p in rejected]
    after_approve = fit(TrainingSet(positives=list_papers + approved, background=day,
                                    sections=sections, topic=TOPIC)).score([probe])[0].score
    assert after_approve > before


def test_an_approved_paper_becomes_a_positive_of_its_section(list_papers, sections, day):
    app = [p for p in list_papers if p.section != "Application"]
    news = next(p for p in list_papers if p.section == "Application")
    # with the news-recommendation paper the Application section can be proposed at all
    without = fit(TrainingSet(positives=app, background=day, sections=sections, topic=TOPIC))
    assert "Application" not in {s.section for s in without.score(day)}
    recsys = [p for p in day if "recommend" in text(p)][:3]
    m = fit(TrainingSet(positives=app + [news] + [replace(p, section="Application")
                                                  for p in recsys],
                        background=day, sections=sections, topic=TOPIC))
    assert "Application" in {s.section for s in m.score(day)}


# ---- thin training data: fall back, never crash ----------------------------------------
def test_titles_only_training_works(list_papers, sections, day):
    bare = [replace(p, abstract="") for p in list_papers]
    m = fit(TrainingSet(positives=bare, background=[replace(p, abstract="") for p in day],
                        sections=sections, topic=TOPIC))
    assert m.info["positives_without_abstract"] == len(bare)
    s = m.score(day)
    assert max(range(len(day)), key=lambda i: s[i].score) in \
        sorted(range(len(day)), key=lambda i: -s[i].score)[:1]
    vold = next(x for x in s if x.id == VOLD)
    assert sorted(x.score for x in s)[-10] <= vold.score    # still in the day's top 10


def test_one_section_only(list_papers, day):
    ts = [p for p in list_papers if p.section == TS]
    m = fit(TrainingSet(positives=ts, background=day, sections=[TS], topic=TOPIC))
    out = m.score(day[:20])
    assert {s.section for s in out} == {TS} and all(s.section_confidence == 1.0 for s in out)


def test_one_positive_in_a_section_and_sections_without_positives(list_papers, day, sections):
    one = [p for p in list_papers if p.section == SELF][:1]
    m = fit(TrainingSet(positives=one, background=day, sections=sections, topic=TOPIC))
    out = m.score(day[:5])
    assert {s.section for s in out} == {SELF}
    assert all(0 < s.section_confidence < 1 for s in out)


def test_positives_without_section(list_papers, day, sections):
    nosec = [replace(p, section=None, label=1) for p in list_papers]
    out = fit(TrainingSet(positives=nosec, background=day, sections=sections, topic=TOPIC)).score(day[:5])
    assert all(s.section == sections[0] for s in out)


def test_no_positives_is_a_training_error(day, sections):
    with pytest.raises(TrainingError):
        fit(TrainingSet(positives=[], background=day, sections=sections, topic=TOPIC))


def test_tiny_training_sets(sections):
    pos = [Paper(id="1", title="On-policy distillation of language models", section=TS)]
    bg = [Paper(id="2", title="Image segmentation with transformers")]
    m = fit(TrainingSet(positives=pos, background=bg, sections=sections, topic=TOPIC))
    a, b = m.score([Paper(id="3", title="On-policy distillation for reasoning"),
                    Paper(id="4", title="Segmentation of medical images")])
    assert a.score > b.score and a.section == TS


def test_empty_input_scores_to_nothing(model):
    assert model.score([]) == []


# ---- persistence ---------------------------------------------------------------------
def test_model_is_persisted_and_reused_until_the_training_data_changes(
        tmp_path, list_papers, sections, day, monkeypatch):
    path = tmp_path / "state" / "model.joblib"
    ts = TrainingSet(positives=list_papers, background=day[:200], sections=sections, topic=TOPIC)
    m1 = load_or_fit(ts, path)
    assert path.exists()
    mtime = path.stat().st_mtime_ns

    import classifier.persist as persist
    monkeypatch.setattr(persist, "fit", lambda ts: pytest.fail("refitted unchanged data"))
    m2 = load_or_fit(ts, path)
    assert m2.fingerprint == m1.fingerprint and path.stat().st_mtime_ns == mtime
    assert [s.score for s in m2.score(day[:30])] == pytest.approx([s.score for s in m1.score(day[:30])], rel=1e-9)
    # the terms a why cites survive the file (names_ is stored compactly)
    assert [s.why for s in m2.score(day[:30])] == [s.why for s in m1.score(day[:30])]
    assert "Terms" in str(m2.pipeline)
    monkeypatch.undo()

    ts2 = replace(ts, negatives=[day[250]])      # a rejection: new fingerprint, refit
    m3 = load_or_fit(ts2, path)
    assert m3.fingerprint != m1.fingerprint and m3.info["negatives"] == 1
    assert load_or_fit(ts2, path).fingerprint == m3.fingerprint


def test_a_corrupt_model_file_is_rebuilt(tmp_path, list_papers, sections, day):
    path = tmp_path / "model.joblib"
    path.write_bytes(b"not a joblib file")
    ts = TrainingSet(positives=list_papers, background=day[:100], sections=sections, topic=TOPIC)
    m = load_or_fit(ts, path)
    from classifier.ranker import fingerprint
    assert m.fingerprint == fingerprint(ts) and path.stat().st_size > 1000
