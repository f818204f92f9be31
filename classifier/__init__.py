"""The classifier: a TF-IDF model trained on the list that scores new papers, assigns a
section and says why. Pure: no I/O besides model persistence (`load_or_fit`).

    from classifier import TrainingSet, Scored, fit, load_or_fit
    model = fit(TrainingSet(positives=..., negatives=..., background=..., sections=[...]))
    model.score(papers)  # -> list[Scored], same order
"""
from classifier.model import Model, Scored, TrainingError, TrainingSet, fit
from classifier.persist import load_or_fit

__all__ = ["Model", "Scored", "TrainingError", "TrainingSet", "fit", "load_or_fit"]
