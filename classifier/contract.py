"""What every ranker takes and gives: `TrainingSet` in, `Scored` out, `Topic` the part of the
configuration the model reads. A ranker is a module with `fit(TrainingSet) -> Model` whose
model has `score(papers) -> list[Scored]` (classifier/ranker.py is today's; its docstring
says how it keeps the score contract below). Replacing the ranker is one module plus its tests.

**The score contract.** `Scored.score` is the probability that the list should contain the
paper, in [0, 1]: calibrated to the topic's `prior` (the share of relevant papers among the
listings, a key of `[tool.opdlist]`), so `min_score = 0.02` (the default) means "at least
a 1-in-50 chance". It depends on the list, the decisions and the paper, and on the background only as
a sample of what the listings look like: a background of a few thousand recent papers (the
last ten listing days) is what it is calibrated for. Scores are comparable across a file and
across days; `opdlist daily` proposes every paper with score >= `min_score`.

Papers are `store.paper.Paper` records (anything with ``id``, ``key``, ``title``,
``abstract``, ``authors``, ``categories``; positives may carry ``section``).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Optional


class TrainingError(ValueError):
    """The training set cannot train a model (e.g. no positives)."""


@dataclass(frozen=True)
class Topic:
    """What the model needs to know about the list's topic, from the configuration.

    - `joins`: phrases written with a space or a hyphen that are one term ("on policy" ->
      "on-policy"); a word ending in * matches any ending ("self distill*").
    - `prior`: the share of relevant papers among the listings (the calibration target
      behind `min_score`)."""
    joins: tuple = ()
    prior: float = 0.003

    def __post_init__(self):
        object.__setattr__(self, "joins", tuple(self.joins))


@dataclass
class TrainingSet:
    positives: list = field(default_factory=list)    # .section set, or None
    negatives: list = field(default_factory=list)    # rejected papers (hard negatives)
    background: list = field(default_factory=list)   # unlabeled recent listings
    sections: list = field(default_factory=list)     # leaf sections, README order
    topic: Topic = field(default_factory=Topic)

    def fingerprint(self, params: Optional[dict] = None) -> str:
        """Hash of everything fitting depends on (papers' text, authors, categories, roles,
        sections, topic, the ranker's `params`): equal fingerprints give equal models."""
        h = hashlib.sha256()
        h.update(json.dumps({"params": params or {}, "sections": list(self.sections),
                             "joins": list(self.topic.joins), "prior": self.topic.prior},
                            sort_keys=True).encode())
        for role, papers in (("pos", self.positives), ("neg", self.negatives),
                             ("bg", self.background)):
            for p in papers:
                h.update(json.dumps([role, p.id, p.title, p.abstract or "", list(p.authors or []),
                                     list(p.categories or []),
                                     p.section if role == "pos" else None],
                                    ensure_ascii=False).encode())
        return h.hexdigest()


@dataclass
class Scored:
    id: str
    #: P(the list should contain this paper), calibrated to `Topic.prior` (module docstring)
    score: float
    section: Optional[str]
    section_confidence: float
    why: list = field(default_factory=list)
    #: the runner-up section when the model is unsure of `section`, else None
    section_alternative: Optional[str] = None
    #: the closest listed paper (positive of the training data): (id, title), or None
    like: Optional[tuple] = None
