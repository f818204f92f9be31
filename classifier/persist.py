"""Model persistence: joblib, with the fingerprint of the training data beside the model.

`load_or_fit(ts, path)` reuses the model at `path` while the training set's fingerprint is
unchanged and refits (and rewrites the file atomically) when it changes. A missing, corrupt or
incompatible file is simply refitted: the model is rebuildable state.

The background moving on refits too: a model fitted on yesterday's background scored today's
papers, which it had not seen as background, differently from a model fitted today (a paper
proposed in one repository and not in another started the same day: issue 22), and a day's
refit costs a quarter of a second now that yesterday's counts are lent to it
(`fit(previous=...)`). So a score is a function of the list, the decisions and the listing
days, never of the repository's history. A run repeated on the same day reuses the model.
"""
from __future__ import annotations

import io
import logging
from pathlib import Path

import joblib

from classifier.contract import TrainingSet
from classifier.ranker import VERSION, Model, fingerprint, fit
from store.files import atomic_write

log = logging.getLogger(__name__)


def save(model: Model, path: Path | str) -> None:
    buf = io.BytesIO()
    # uncompressed: zlib took 0.3 s of a daily run's 3 to save 8 MB as 3.4 (the file is
    # local, git-ignored and rebuildable); loading takes the same 0.1 s either way
    joblib.dump({"version": VERSION, "fingerprint": model.fingerprint, "model": model}, buf)
    atomic_write(path, buf.getvalue())


def load(path: Path | str) -> Model | None:
    """The model at `path`, or None when there is none usable."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        blob = joblib.load(path)
        if blob.get("version") != VERSION or not isinstance(blob.get("model"), Model):
            return None
        return blob["model"]
    except Exception as e:  # corrupt or from another version: rebuild
        log.info("model at %s unusable (%s); refitting", path, e.__class__.__name__)
        return None


def reusable(model: Model | None, ts: TrainingSet) -> bool:
    """`model` was fitted on exactly `ts`."""
    return model is not None and model.fingerprint == fingerprint(ts)


def load_or_fit(ts: TrainingSet, path: Path | str) -> Model:
    model = load(path)
    if reusable(model, ts):
        return model
    model = fit(ts)
    save(model, path)
    return model
