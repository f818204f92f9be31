"""What the classifier learns from, gathered from the repository's files.

Positives: the papers of the list (README.md) in their sections, with abstracts from the
paper cache, plus approved decisions not (yet) in the list. Negatives: rejected decisions.
Abstracts of listed papers missing from the cache are fetched once through the export API
(`id_list`) and cached; offline, such papers train on their titles only, and we say so.
"""
from __future__ import annotations

import logging
from typing import Callable, Optional

from store import listfile
from store.config import Config
from store.decisions import read_decisions
from store.errors import OpdError
from store.paper import KnownPapers, Paper
from store.readme import ListDoc
from store.state import PaperCache

log = logging.getLogger("opdlist")

Fetch = Callable[[Config, list[str]], list[Paper]]


def _default_fetch(cfg: Config, ids: list[str]) -> list[Paper]:
    from crawler import fetch_metadata   # the network lives in crawler/, imported on need
    return fetch_metadata(cfg, ids)


def fill_cache(cfg: Config, doc: ListDoc, cache: PaperCache,
               fetch: Optional[Fetch] = _default_fetch) -> list[str]:
    """Fetch metadata of listed arXiv papers missing from the cache; returns the ids still
    missing afterwards (offline, or unknown to arXiv)."""
    missing = [e.arxiv_id for _, e in doc.entries() if e.arxiv_id and e.arxiv_id not in cache]
    if missing and fetch is not None:
        try:
            fetched = fetch(cfg, missing)
            cache.add(fetched)
            cache.save()
            log.info("fetched metadata of %d listed paper(s) into %s", len(fetched),
                     cfg.cache_path.relative_to(cfg.repo) if cfg.cache_path.is_relative_to(cfg.repo)
                     else cfg.cache_path)
        except OpdError as e:
            log.warning("could not fetch abstracts of listed papers (%s)", e)
    return [i for i in missing if i not in cache]


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


def repo_training(cfg: Config, fetch: Optional[Fetch] = _default_fetch,
                  doc: ListDoc | None = None,
                  cache: PaperCache | None = None) -> tuple[list[Paper], list[Paper], list[str]]:
    """(positives with sections, rejected papers, leaf section names) of the repository."""
    doc = doc or listfile.load(cfg.readme_path, strict=False)
    cache = cache if cache is not None else PaperCache(cfg.cache_path)
    still_missing = fill_cache(cfg, doc, cache, fetch)
    positives = list_papers(doc, cache)
    if still_missing:
        log.warning("%d listed paper(s) have no abstract (offline?): training on their titles "
                    "only", len(still_missing))
    known = KnownPapers()
    for p in positives:
        known.add(p.key, p.title)
    sections = doc.section_names()
    negatives = []
    for d in read_decisions(cfg.decisions_path):
        if d.decision == "reject":
            negatives.append(d.paper)
        elif not known.has(d.paper.key, d.paper.title):
            if d.paper.section not in sections:
                d.paper.section = None
            positives.append(d.paper)
    return positives, negatives, sections
