"""Model persistence: joblib, with the fingerprint of the training data beside the model.

`load_or_fit(ts, path)` reuses the model at `path` while the training set's fingerprint is
unchanged and refits (and rewrites the file atomically) when it changes. A missing, corrupt or
incompatible file is simply refitted: the model is rebuildable state.
"""
from __future__ import annotations

import io
import logging
from pathlib import Path

import joblib

from classifier.model import VERSION, Model, TrainingSet, fit
from store.files import atomic_write

log = logging.getLogger(__name__)


def save(model: Model, path: Path | str) -> None:
    buf = io.BytesIO()
    joblib.dump({"version": VERSION, "fingerprint": model.fingerprint, "model": model}, buf,
                compress=3)
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


def load_or_fit(ts: TrainingSet, path: Path | str) -> Model:
    fp = ts.fingerprint()
    model = load(path)
    if model is not None and model.fingerprint == fp:
        return model
    model = fit(ts)
    save(model, path)
    return model
