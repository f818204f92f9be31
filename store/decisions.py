"""`state/decisions.jsonl`: every approve / reject the maintainer made, with the day decided.

One Paper JSONL record per decision plus ``decision`` (``approve`` | ``reject``), ``decided``
(YYYY-MM-DD) and, for approvals, the ``section`` and ``venue`` they went in with. Rejected
papers are the classifier's hard negatives; approved ones are positives of their section.
A paper decided once is never proposed again.

A decision on an update of a listed entry (`opdlist refresh`) carries ``update`` (``venue``,
``title`` or ``withdrawn``) and ``source``, arXiv's words that called for it: it says nothing
of the paper's relevance (the classifier leaves it out), and the same words do not call for
the same update again.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from store.files import dumps_jsonl, read_json_lines
from store.paper import Paper


@dataclass
class Decision:
    paper: Paper
    decision: str       # approve | reject
    decided: str        # YYYY-MM-DD
    venue: str = ""
    note: str = ""      # the maintainer's comment on the candidate (their reason)
    update: str = ""    # venue | title | withdrawn: a decision on an update of a listed entry
    source: str = ""    # ... and arXiv's words that called for it

    def to_dict(self) -> dict:
        d = self.paper.to_dict()
        d.pop("label", None)
        d.update(decision=self.decision, decided=self.decided)
        for name in ("venue", "note", "update", "source"):
            if getattr(self, name):
                d[name] = getattr(self, name)
        return d


def read_decisions(path: Path) -> list[Decision]:
    if not Path(path).exists():
        return []
    out = []
    for lineno, obj in read_json_lines(path):
        paper = Paper.from_dict({k: v for k, v in obj.items()
                                 if k not in ("decision", "decided", "venue", "note", "update",
                                              "source")},
                                file=str(path), line=lineno)
        decision = str(obj.get("decision", "")).lower()
        paper.label = 1 if decision == "approve" else 0
        out.append(Decision(paper, decision, str(obj.get("decided", "")), obj.get("venue", ""),
                            str(obj.get("note", "")), str(obj.get("update", "")),
                            str(obj.get("source", ""))))
    return out


def render_decisions(decisions: list[Decision]) -> str:
    return dumps_jsonl(d.to_dict() for d in decisions)
