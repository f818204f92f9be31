"""The daily rule: which scored papers of an announcement day become candidates, shared by
`opdlist daily`, the online replay of `opdlist evaluate` (classifier/evaluate.py `replay`)
and `opdlist audit`. Light on purpose: the daily job imports it without pandas.

The budget follows the day: every paper whose calibrated score is at least `min_score` is
proposed, best first, and `max_per_day` is only a safety cap, so a day with ten relevant
papers shows all ten and a quiet day one or none. The maintainer's steering comes first:
include phrases and followed authors force a paper in, exclude phrases keep one out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional, Sequence

import numpy as np

from store.paper import strip_accents

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
    newest day): the daily job's background. The score is calibrated on a background of
    several listing days (classifier/contract.py), and this much fits in about half the
    time of the ten days the paper cache keeps."""
    by_day: dict[str, list] = {}
    for p in papers:
        by_day.setdefault(p.date or "", []).append(p)
    out: list = []
    for day in sorted(by_day, reverse=True):
        if out and len(out) + len(by_day[day]) > cap:
            break
        out.extend(by_day[day])
    return out


# ---- the maintainer's steering -------------------------------------------------------------
def fold(text: str) -> str:
    """Case, accents and white space folded away: "Ré-Ranking\n KD" -> "re-ranking kd"."""
    return " ".join(strip_accents(text).casefold().split())


def _text(paper) -> str:
    """The paper's title and abstract, folded, as steering phrases are looked for in them."""
    return fold(f"{paper.title} {paper.abstract}")


def phrases_in(paper, phrases) -> list[str]:
    """The steering phrases (folded: case, accents, white space) in the paper's title or
    abstract."""
    if not phrases:          # nothing to look for: no need to fold the paper's text
        return []
    text = _text(paper)
    return [p for p in map(fold, phrases) if p in text]


@dataclass
class Pick:
    paper: object
    score: float
    section: Optional[str]
    why: list[str]
    reasons: list[str] = field(default_factory=list)   # steering that forced it in
    section_alternative: Optional[str] = None          # runner-up when the model is unsure
    like: Optional[tuple] = None                        # closest listed paper: (id, title)
    index: int = -1                                     # position in the day's papers

    @property
    def terms(self) -> list[str]:
        """The reasons, then the model's why without what a reason already says
        ("include: on-policy distillation", not also "on-policy distillation")."""
        said = {r.split(": ", 1)[1] for r in self.reasons if ": " in r}
        return self.reasons + [t for t in self.why if fold(t) not in said]


def pick(papers: list, scored: list, cfg) -> list[Pick]:
    """The candidates of one announcement day, best first: `scored` are the model's
    `Scored` of `papers`, in the same order.

    `cfg` is the configuration (anything with `include_phrases`, `exclude_phrases`,
    `follow_authors`, `min_score`, `max_per_day`). A paper whose title or abstract has an
    include phrase, or one of whose authors is followed, is always a candidate (steering wins
    over the exclude list and the daily budget). Otherwise a paper with an exclude phrase is
    dropped, and of the rest every one with a calibrated score of at least `min_score` is
    proposed, best first, up to the safety cap `max_per_day` (forced ones count): `proposed`.
    Each `Pick` knows its `index` among `papers`."""
    # the steering folded once for the day, each paper's text once (and not at all when
    # there is no phrase to look for: folding 450 abstracts twice was a tenth of a run)
    follow = {fold(a) for a in cfg.follow_authors}
    include = [fold(p) for p in cfg.include_phrases]
    exclude = [fold(p) for p in cfg.exclude_phrases]
    forced, ranked = [], []
    for i, (paper, s) in enumerate(zip(papers, scored)):
        text = _text(paper) if include or exclude else ""
        reasons = [f"include: {p}" for p in include if p in text] + \
                  [f"follows: {a}" for a in paper.authors if follow and fold(a) in follow]
        item = Pick(paper, float(s.score), s.section, list(s.why), reasons,
                    s.section_alternative, s.like, i)
        if reasons:
            forced.append(item)
        elif not any(p in text for p in exclude):
            ranked.append(item)
    by_score = lambda p: (-p.score, p.paper.id)  # noqa: E731
    forced.sort(key=by_score)
    ranked.sort(key=by_score)
    keep = proposed([r.score for r in ranked], cfg.min_score, cfg.max_per_day, len(forced))
    return forced + [ranked[i] for i in keep]
