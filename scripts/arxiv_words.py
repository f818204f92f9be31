"""arXiv's own words on papers (author comment, journal reference, current title): the venue
suggested for the day's candidates, and the updates of listed entries (`opdlist refresh`).

Wired here, in scripts/, because it joins crawler/ (the export API's ``id_list``), classifier/
(`suggest_venue`, pure) and store/ (the list, the decisions, the review file).

- `suggest`: the venue fields of a candidate: the badge its words state (``ICML2026``), and
  where it was read (``source: "arXiv comment: Accepted at ICML 2026"``); else
  ``Arxiv<year>`` and no source.
- `updates`: for each listed arXiv entry, what arXiv says now and the entry does not: a venue
  its comment or journal reference states (``update: venue``), a title changed in a newer
  version (``update: title``), a withdrawal (``update: withdrawn``). Each is a candidate of the
  review file, decided like one; `merge` applies an approved update in place. An update
  decided before (approved or rejected), or waiting in the review file, is not proposed again.
"""
from __future__ import annotations

import logging
import re
from typing import Iterable

from store.candidate import Candidate
from store.decisions import Decision
from store.entry_text import plain_title
from store.paper import Paper, normalise_title
from store.listdoc import ListDoc

log = logging.getLogger("opdlist")

BATCH = 100          # ids per id_list request of a refresh (arXiv's advice: modest requests)
WITHDRAWN = re.compile(r"\b(?:withdrawn|withdraw[sn]?|retracted)\b", re.IGNORECASE)


def current(cfg, ids: Iterable[str], *, client=None, progress: bool = False,
            batch: int = BATCH) -> dict[str, Paper]:
    """arXiv's metadata of `ids` as it stands now (the export API's ``id_list``, `batch` ids a
    request), by key; ids arXiv does not know are left out."""
    from crawler import fetch_metadata
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    return {p.key: p for p in fetch_metadata(cfg, ids, client=client, progress=progress,
                                             batch=batch)}


def suggest(paper: Paper, listed: str) -> dict[str, str]:
    """The venue fields of a candidate (`venue`, and `source` when the words claim an
    acceptance), from the paper's comment and journal reference as of listing day `listed`."""
    from classifier.venue import suggest_venue     # (the classifier package imports sklearn)
    v = suggest_venue(paper.comment, paper.journal_ref, listed=listed or None,
                      arxiv_id=paper.id)
    if not v.accepted:
        return {"venue": v.badge}
    where = "journal reference" if v.words and v.words in paper.journal_ref else "comment"
    return {"venue": v.badge, "source": f"arXiv {where}: {v.words or paper.comment}"}


def with_venues(candidates: list[Candidate], words: dict[str, Paper]) -> None:
    """Set each candidate's venue from arXiv's words on it (`words`, by key), when it has
    any; a candidate without them keeps its `Arxiv<year>`."""
    for c in candidates:
        paper = words.get(c.key)
        if paper is not None and (paper.comment or paper.journal_ref):
            for name, value in suggest(paper, c.announced).items():
                setattr(c, name, value)


def _decided(decisions: list[Decision]) -> set[tuple[str, str, str]]:
    """(key, kind, arXiv's words) of every update decided before: the same words do not
    call for the same update again, whatever the maintainer made of it."""
    return {(d.paper.key, d.update, d.source) for d in decisions if d.update}


def updates(doc: ListDoc, now: dict[str, Paper], decisions: list[Decision],
            pending: list[Candidate], today: str) -> list[Candidate]:
    """The updates of the list's arXiv entries that arXiv's metadata `now` (by key) calls
    for, as review-file candidates (see the module docstring), in list order."""
    done = _decided(decisions)
    waiting = {(c.key, c.update) for c in pending if c.update}
    out: list[Candidate] = []
    for section, e in doc.entries():
        paper = now.get(e.key)
        if paper is None:
            continue

        def propose(kind: str, **fields) -> None:
            if (e.key, kind, fields["source"]) in done or (e.key, kind) in waiting:
                return
            base = dict(title=e.plain_title, authors=e.author_list, link=e.url,
                        section=section.label, venue=e.venue, update=kind, announced=today)
            out.append(Candidate.of(paper, **{**base, **fields}))

        if WITHDRAWN.search(paper.comment):
            propose("withdrawn", was=e.plain_title, source=f"arXiv comment: {paper.comment}")
            continue
        venue = suggest(paper, today)
        if venue.get("source") and venue["venue"] != e.venue:
            propose("venue", was=e.venue, **venue)
        title = plain_title(paper.title)
        if normalise_title(title) != normalise_title(e.plain_title):
            propose("title", title=title, was=e.plain_title,
                    source=f"arXiv title: {' '.join(paper.title.split())}")
    return out
