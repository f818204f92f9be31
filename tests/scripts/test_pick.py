"""Which scored papers become the day's candidates: budget, threshold and steering."""
from dataclasses import dataclass

from classifier.budget import pick
from store.config import Config
from store.paper import Paper


@dataclass
class S:                       # the shape of classifier.Scored that pick reads
    score: float
    section: str = "Application"
    why: tuple = ("distillation",)
    section_alternative: str | None = None
    like: tuple | None = None


def paper(i: int, title: str = "A paper", authors=("Ann Author",)) -> Paper:
    return Paper(id=f"2510.{i:05d}", title=title, abstract="", authors=list(authors))


def test_best_first_within_the_daily_budget_and_above_the_threshold():
    papers = [paper(i) for i in range(10)]
    scores = [S(s) for s in (0.01, 0.9, 0.2, 0.3, 0.04, 0.8, 0.5, 0.06, 0.7, 0.6)]
    got = pick(papers, scores, Config(max_per_day=3, min_score=0.05))
    assert [p.score for p in got] == [0.9, 0.8, 0.7]
    got = pick(papers, scores, Config(max_per_day=50, min_score=0.05))
    assert min(p.score for p in got) == 0.06 and len(got) == 8


def test_include_phrases_and_followed_authors_always_get_in_exclude_phrases_never():
    papers = [paper(1, "Dataset Distillation for Vision"),
              paper(2, "On-Policy Distillation at scale"),
              paper(3, "Something else", authors=("Tianzhu Ye",)),
              paper(4, "A strong paper")]
    scores = [S(0.99), S(0.001), S(0.001), S(0.5)]
    cfg = Config(max_per_day=1, min_score=0.05, include_phrases=["on-policy distillation"],
                 exclude_phrases=["dataset distillation"], follow_authors=["tianzhu ye"])
    got = pick(papers, scores, cfg)
    assert [p.paper.id for p in got] == ["2510.00002", "2510.00003"]
    assert got[0].reasons == ["include: on-policy distillation"]
    assert got[1].reasons == ["follows: Tianzhu Ye"]
    cfg.max_per_day = 3
    assert [p.paper.id for p in pick(papers, scores, cfg)] == \
        ["2510.00002", "2510.00003", "2510.00004"]


def test_steering_matches_whatever_the_case_accents_and_line_breaks():
    """A maintainer types "on-policy distillation" and "jurgen muller"; arXiv writes
    "On-Policy\n  Distillation" and "Jürgen Müller". Plain ASCII text and accented text both
    match (ASCII takes a shorter path through the folding)."""
    papers = [Paper(id="2510.00001", title="Learning\n  ON-POLICY   Distillation", abstract="",
                    authors=["Ann Author"]),
              Paper(id="2510.00002", title="Sélf-distillation revisited", abstract="",
                    authors=["Jürgen Müller"]),
              Paper(id="2510.00003", title="Unrelated", abstract="Dataset distillation",
                    authors=["Bob"])]
    cfg = Config(max_per_day=5, min_score=0.9, include_phrases=["On-policy distillation",
                                                                "self-distillation"],
                 follow_authors=["jurgen muller"])
    got = pick(papers, [S(0.01)] * 3, cfg)
    assert [(p.paper.id, p.reasons) for p in got] == [
        ("2510.00001", ["include: on-policy distillation"]),
        ("2510.00002", ["include: self-distillation", "follows: Jürgen Müller"])]


def test_the_online_replay_is_steered_as_daily_is():
    """`opdlist evaluate --online` replays with the daily job's own pick: a paper with an
    include phrase is reviewed (and approved) however low its score, as in `daily`; without
    the steering the same replay reviews nothing."""
    from classifier import TrainingSet
    from classifier.evaluate import replay
    from conftest import ARXIV
    from scripts.cmd_score import daily_choice
    from store.files import read_papers

    class Flat:                          # a model that rates every paper alike, and low
        def score(self, papers):
            return [S(0.001) for _ in papers]
    pool = [p for p in read_papers(ARXIV / "windowA.jsonl.gz", unique=True)
            if p.date in ("2025-10-27", "2025-10-28")]
    vold = "2510.23497"        # "... via On-Policy Distillation", announced 2025-10-28
    cfg = Config(min_score=0.5, include_phrases=["on-policy distillation"])
    run = dict(per_day=20, min_score=cfg.min_score, learn=True, fit=lambda ts: Flat())
    steered = replay(TrainingSet(), pool, {vold}, choose=daily_choice(cfg, 20), **run)
    day = [p for p in pool if p.date == "2025-10-28"]
    assert [a.key for a in steered["approved"]] == [vold] and steered["found"] == 1
    assert steered["reviewed"] == len(pick(pool, Flat().score(pool), cfg))
    assert steered["days"]["reviewed"].tolist()[1] == len(pick(day, Flat().score(day), cfg))
    plain = replay(TrainingSet(), pool, {vold}, **run)
    assert plain["reviewed"] == 0 and plain["found"] == 0
