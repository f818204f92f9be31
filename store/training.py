"""What the classifier learns from, gathered from the repository's files.

Positives: the papers of the list (README.md) in their leaf sections, named as the README
names them (heading text, or ``Parent / Child`` where the text is ambiguous), with abstracts
from the paper cache, plus approved decisions not (yet) in the list. Negatives: rejected
decisions. This module only reads: filling the cache with the metadata of listed papers
talks to arXiv and is wired in `scripts/metadata.py` (store/ never imports crawler/).
Papers the cache has no abstract for train on their titles only.
"""
from __future__ import annotations

import logging

from store import listfile
from store.config import Config
from store.decisions import Decision, read_decisions
from store.paper import KnownPapers, Paper
from store.listdoc import ListDoc
from store.state import PaperCache, paper_cache

log = logging.getLogger("opdlist")


def listed_arxiv_ids(doc: ListDoc) -> list[str]:
    """The arXiv ids of the list's entries, in list order, each once."""
    seen: dict[str, None] = {}
    for _, e in doc.entries():
        if e.arxiv_id:
            seen.setdefault(e.arxiv_id, None)
    return list(seen)


def list_papers(doc: ListDoc, cache: PaperCache) -> list[Paper]:
    """Each entry of the list as a Paper with its section (abstract from the cache)."""
    out = []
    for section, e in doc.entries():
        cached = cache.get(e.key)
        p = Paper(id=e.arxiv_id or e.url, title=e.plain_title, authors=e.author_list,
                  link=e.url, section=section.label, label=1)
        if cached:
            p.abstract, p.categories, p.date = cached.abstract, cached.categories, cached.date
            p.authors = cached.authors or p.authors
        out.append(p)
    return out


def repo_training(cfg: Config, doc: ListDoc | None = None, cache: PaperCache | None = None,
                  decisions: list[Decision] | None = None
                  ) -> tuple[list[Paper], list[Paper], list[str]]:
    """(positives with sections, rejected papers, leaf section names) of the repository
    (`doc`, `cache` and `decisions`: as read already, else read here)."""
    doc = doc or listfile.load(cfg.readme_path, strict=False)
    cache = cache if cache is not None else paper_cache(cfg)
    decisions = read_decisions(cfg.decisions_path) if decisions is None else decisions
    positives = list_papers(doc, cache)
    known = KnownPapers()
    for p in positives:
        known.add(p.key, p.title)
    sections = doc.section_names()
    negatives = []
    for d in decisions:
        if d.update:                # an update of a listed entry: nothing about relevance
            continue
        if d.decision == "reject":
            negatives.append(d.paper)
        elif not known.has(d.paper.key, d.paper.title):
            if d.paper.section not in sections:
                d.paper.section = None
            positives.append(d.paper)
    return positives, negatives, sections
