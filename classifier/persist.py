"""Model persistence: joblib, with the fingerprint of the training data beside the model.

`load_or_fit(ts, path)` reuses the model at `path` while the training set's fingerprint is
unchanged and refits (and rewrites the file atomically) when it changes. A missing, corrupt or
incompatible file is simply refitted: the model is rebuildable state.

The background alone moving on does not force a refit: the daily job's background is the last
ten days of listings, so it changes every day, while what the model learns comes from the
labelled papers (the list, approvals, rejections). With `reuse_background` (what `daily`
passes) a saved model is reused while the labelled data are unchanged and at least
`OVERLAP` of today's background was in the background it was fitted on: a model fitted on
days 1–10 scores day 11 like any new day. A decision, a new list entry or a background that has
moved on by more than that (a week without a run) refits.
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


OVERLAP = 0.5


def reusable(model: Model | None, ts: TrainingSet, reuse_background: bool) -> bool:
    if model is None:
        return False
    if model.fingerprint == fingerprint(ts):
        return True
    if not reuse_background or model.labelled_fingerprint != fingerprint(ts, ("pos", "neg")):
        return False
    keys = {p.key for p in ts.background}
    old = model.background_keys
    return bool(keys) and len(keys & old) >= OVERLAP * len(keys)


def load_or_fit(ts: TrainingSet, path: Path | str, reuse_background: bool = False) -> Model:
    model = load(path)
    if reusable(model, ts, reuse_background):
        return model
    model = fit(ts)
    save(model, path)
    return model
