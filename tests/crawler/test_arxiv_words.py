"""arXiv's own words on a paper (its author comment and journal reference) travel from the
fake arXiv, which serves them from ../shared/arxiv/comments.jsonl where the real interfaces
have them, through the crawler into `Paper`."""
from __future__ import annotations

import datetime as dt

from crawler import crawl, fetch_metadata
from scripts.fake_arxiv import load
from tests.conftest import ARXIV, needs_shared
from tests.crawler.conftest import make_cfg

pytestmark = needs_shared

D = dt.date
ICLR = "2601.18735"        # "Accepted to ICLR 2026" (COMMENTS.md's first example)


def papers_with_comments():
    """A tenth of window B's January (and the ICLR paper), the comments of comments.jsonl
    merged in by id."""
    january = [p for p in load([ARXIV / "windowB.jsonl.gz", ARXIV / "comments.jsonl"])
               if p.date and p.date <= "2026-01-30"]
    return [p for i, p in enumerate(january) if i % 10 == 0 or p.key == ICLR]


def test_comments_jsonl_merges_into_the_data_by_id():
    by_id = {p.key: p for p in papers_with_comments()}
    assert by_id[ICLR].comment == "Accepted to ICLR 2026" and by_id[ICLR].title
    assert sum(1 for p in by_id.values() if p.comment) > 0.3 * len(by_id)


def test_the_api_and_oai_pmh_give_the_comment_the_rss_feed_does_not(serve, tmp_path):
    fake = serve(papers_with_comments(), today=D(2026, 1, 29))
    cfg = make_cfg(fake, tmp_path)
    (got,) = fetch_metadata(cfg, [ICLR])
    assert got.comment == "Accepted to ICLR 2026"
    oai = crawl(cfg, start=D(2026, 1, 5), end=D(2026, 1, 28))      # > 15 days: OAI-PMH
    assert fake.count("oai") >= 1
    assert next(p for p in oai.papers if p.key == ICLR).comment == "Accepted to ICLR 2026"
    fake.set_today(D(2026, 1, 28))
    rss = crawl(cfg, cursor=D(2026, 1, 27))
    assert rss.papers and all(p.comment == "" for p in rss.papers)


def test_a_revised_paper_comes_back_with_its_new_words_and_title(serve, tmp_path):
    fake = serve(papers_with_comments(), today=D(2026, 1, 29))
    fake.revise(ICLR, comment="Accepted to ICLR 2026 (oral); camera-ready",
                journal_ref="Proc. ICLR 2026", title="A New Title")
    (got,) = fetch_metadata(make_cfg(fake, tmp_path), [ICLR])
    assert (got.title, got.comment, got.journal_ref) == \
        ("A New Title", "Accepted to ICLR 2026 (oral); camera-ready", "Proc. ICLR 2026")
