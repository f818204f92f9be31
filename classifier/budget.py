"""The review budget of a day, shared by `opdlist daily` (scripts/daily.py `pick`) and the
online replay of `opdlist evaluate` (classifier/evaluate.py `replay`). Light on purpose: the
daily job imports it without pandas.

The budget follows the day: every paper whose calibrated score is at least `min_score` is
proposed, best first, and `max_per_day` is only a safety cap, so a day with ten OPD papers
shows all ten and a quiet day one or none.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

#: background papers the daily job fits on: the newest listing days up to this many
RECENT_CAP = 3000


def proposed(scores: Sequence[float], min_score: float, max_per_day: int,
             forced: int = 0) -> list[int]:
    """Indices of the day's papers to propose, best first (ties in input order): every one
    with a calibrated score of at least `min_score`, at most `max_per_day` (a safety cap)
    minus the `forced` candidates the maintainer's steering already put in."""
    s = np.asarray(scores, dtype=float)
    best = np.argsort(-s, kind="stable")
    return [int(i) for i in best if s[i] >= min_score][:max(0, max_per_day - forced)]


def recent(papers: Sequence, cap: int = RECENT_CAP) -> list:
    """The papers of the newest listing days, whole days, up to `cap` papers (at least the
    newest day): the daily job's background. The online replay trains on the last five
    listing days (about 2,300 papers), so a daily model fitted on the same amount of
    background is the one whose scores the replays calibrated `min_score` on; and it fits
    in about half the time of the ten days the paper cache keeps."""
    by_day: dict[str, list] = {}
    for p in papers:
        by_day.setdefault(p.date or "", []).append(p)
    out: list = []
    for day in sorted(by_day, reverse=True):
        if out and len(out) + len(by_day[day]) > cap:
            break
        out.extend(by_day[day])
    return out
