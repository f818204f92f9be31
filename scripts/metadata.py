"""The metadata of the list's own papers: fetched once through the export API's ``id_list``
and kept in the paper cache, so the classifier trains on their abstracts.

Wired here, in scripts/, because it joins crawler/ (the network) and store/ (the files).
Each run asks only for the listed arXiv papers the cache lacks, up to 200 ids a request
(a 180-entry list is one request), with a progress bar on a terminal. What cannot be
fetched is said once and remembered in ``state/not_on_arxiv.json``, not on every run:
ids arXiv does not know (asked again a week later, or as soon as a listing brings the
paper), and entries that are not on arXiv (a blog post, a PDF elsewhere); they train on
their titles. Offline, nothing is remembered: the next run asks again.
"""
from __future__ import annotations

import datetime as dt
import logging

from store.config import Config
from store.errors import OpdError
from store.listdoc import ListDoc
from store.state import PaperCache, not_on_arxiv_text, read_not_on_arxiv
from store.training import listed_arxiv_ids

log = logging.getLogger("opdlist")

NOT_ON_ARXIV = "not_on_arxiv.json"
UNKNOWN = "unknown to arXiv"
RETRY_DAYS = 7


def _rel(cfg: Config, path) -> str:
    return str(path.relative_to(cfg.repo)) if path.is_relative_to(cfg.repo) else str(path)


def _some(items: list[str], n: int = 5) -> str:
    return ", ".join(items[:n]) + (f" and {len(items) - n} more" if len(items) > n else "")


def fill_list_metadata(cfg: Config, doc: ListDoc, cache: PaperCache, *,
                       progress: bool = False, client=None) -> dict:
    """Fetch what the cache lacks of the listed arXiv papers into `cache`, in memory: the
    caller saves it with the run's other files, so a run that fails later leaves the cache
    file as it was. Returns the files still to write, ``{path: text}``: the not-on-arXiv
    memory when it changed, which the caller writes likewise (a failed run reports again)."""
    path = cfg.state_path / NOT_ON_ARXIV
    reported = read_not_on_arxiv(path)
    before = dict(reported)
    today = dt.date.today().isoformat()
    # an id arXiv did not know is asked again once the cache has the paper (a listing
    # brought it: arXiv knows it now) or a week after it was reported (an answer can be
    # wrong for a while): a runner without the cache must not train on its title forever
    retry = (dt.date.today() - dt.timedelta(days=RETRY_DAYS)).isoformat()
    reported = {k: v for k, v in reported.items()
                if v.get("reason") != UNKNOWN or (k not in cache and v.get("reported", "") > retry)}
    line_of = {}
    for _, e in doc.entries():
        line_of.setdefault(e.arxiv_id or e.key, e.line)
    foreign = [e for _, e in doc.entries() if not e.arxiv_id and e.key not in reported]
    if foreign:
        log.info("%d listed entr%s not on arXiv, so %s on %s title%s only: %s",
                 len(foreign), "y is" if len(foreign) == 1 else "ies are",
                 "it trains" if len(foreign) == 1 else "they train",
                 "its" if len(foreign) == 1 else "their", "" if len(foreign) == 1 else "s",
                 _some([f"{cfg.readme}:{e.line} {e.url}" for e in foreign], 3))
        for e in foreign:
            reported[e.key] = {"reason": "not an arXiv link", "reported": today}
    wanted = [i for i in listed_arxiv_ids(doc) if i not in cache and i not in reported]
    requests = 0
    if wanted:
        from crawler import fetch_metadata
        from crawler.http import Client
        own = client is None
        client = client or Client(cfg)
        n0 = client.limiter.requests
        try:
            fetched = fetch_metadata(cfg, wanted, client=client, progress=progress)
        except OpdError as e:
            log.warning("could not fetch the metadata of %d listed paper(s) (%s): they train "
                        "on their titles this run; the next run asks again", len(wanted), e)
            fetched = None
        finally:
            requests = client.limiter.requests - n0
            if own:
                client.close()
        if fetched is not None:
            cache.add(fetched)       # saved by the caller with the run's other files
            if fetched:
                log.info("fetched the metadata of %d listed paper(s) in %d request(s) into %s",
                         len(fetched), requests, _rel(cfg, cfg.cache_path))
            unknown = [i for i in wanted if i not in cache]
            if unknown:
                log.warning("arXiv knows no paper %s: %s on %s title%s only; said once "
                            "(remembered in %s)",
                            _some([f"{i} ({cfg.readme}:{line_of.get(i, '?')})" for i in unknown]),
                            "it trains" if len(unknown) == 1 else "they train",
                            "its" if len(unknown) == 1 else "their",
                            "" if len(unknown) == 1 else "s", _rel(cfg, path))
                for i in unknown:
                    reported[i] = {"reason": UNKNOWN, "reported": today}
    # entries no longer listed are forgotten, so a re-added one is reported again
    listed = {e.arxiv_id or e.key for _, e in doc.entries()}
    reported = {k: v for k, v in reported.items() if k in listed}
    return {path: not_on_arxiv_text(reported)} if reported != before else {}
