"""The classifier: a ranker trained on the list that scores new papers, assigns a section and
says why. Pure: no I/O besides model persistence (`load_or_fit`).

    from classifier import TrainingSet, Topic, fit
    model = fit(TrainingSet(positives=..., negatives=..., background=..., sections=[...],
                            topic=Topic(joins=..., prior=...)))
    model.score(papers)  # -> list[Scored], same order

What a ranker takes and gives, and what its score promises: classifier/contract.py. Today's
ranker: classifier/ranker.py. The daily rule (`pick`): classifier/budget.py.

The names below are imported on first use, so `import classifier.budget` (the daily rule,
wanted by commands that never fit a model) does not load scikit-learn.
"""
from __future__ import annotations

import importlib

_WHERE = {"Scored": "contract", "Topic": "contract", "TrainingError": "contract",
          "TrainingSet": "contract", "Model": "ranker", "fit": "ranker",
          "load_or_fit": "persist"}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"classifier.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'classifier' has no attribute {name!r}")
