"""The crawler: talks to arXiv (RSS, export API, OAI-PMH) and nothing else; out come `Paper`s.

    from crawler import crawl, fetch_metadata, CrawlResult, DayBatch
    result = crawl(cfg, cursor=last_day, seen=known_keys)
    for batch in result.days: ...        # oldest first, only papers not in `seen`
    # store the papers, then write result.new_cursor (None: leave the cursor as it is)

Modules: `http` (the one polite client: session, retries), `limits` (its rate, deadline and
watchdog), `errors` (what can go wrong), `rss`, `api`, `oai`
(what to ask and how to parse each interface), `schedule` (arXiv's announcement calendar),
`run` (what a run fetches: `crawl`, `fetch_metadata`).
"""
from crawler.run import CrawlResult, DayBatch, crawl, fetch_metadata

__all__ = ["crawl", "fetch_metadata", "CrawlResult", "DayBatch"]
