"""The metadata of the list's own papers: fetched once, in few requests, what arXiv lacks said
once; and the layering that keeps this wiring out of store/."""
from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import json
import logging
from pathlib import Path

import pytest

from conftest import ARXIV, ROOT, needs_shared
from scripts.fake_arxiv import FakeArxiv
from scripts.metadata import NOT_ON_ARXIV, fill_list_metadata
from store import listfile
from store.config import load_config
from store.files import atomic_write, read_papers
from store.state import PaperCache, read_span, write_cursor

pytestmark = needs_shared
GONE = "2602.06019"       # Multi-Token Prediction via Self-Distillation: "unknown" to the fake


@pytest.fixture(scope="module")
def fake():
    papers = [dataclasses.replace(p, date="") for p in read_papers(ARXIV / "list_papers.jsonl")
              if p.key != GONE]
    server = FakeArxiv(papers, today=dt.date(2026, 3, 4))
    server.start()
    yield server
    server.stop()


def setup(repo: Path, **urls):
    cfg = load_config(repo, {"min_interval": "0", "max_retries": "0", "timeout": "2", **urls},
                      environ={})
    return cfg, listfile.load(cfg.readme_path), PaperCache(cfg.cache_path)


def run(cfg, doc, cache, caplog) -> tuple[dict, str]:
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="opdlist"):
        memo = fill_list_metadata(cfg, doc, cache)
    if cache.dirty:             # the caller saves the cache with the run's other files
        cache.save()
    for path, text in memo.items():
        atomic_write(path, text)
    return memo, caplog.text


def test_listed_papers_are_fetched_once_and_what_arxiv_lacks_is_said_once(repo, fake, caplog):
    cfg, doc, cache = setup(repo, api_url=fake.urls["api_url"])
    fake.clear()
    memo, said = run(cfg, doc, cache, caplog)
    assert fake.count("api") == 1, "10 ids, one id_list request"
    assert "fetched the metadata of 9 listed paper(s) in 1 request(s)" in said
    assert f"arXiv knows no paper {GONE}" in said and "1 listed entry is not on arXiv" in said
    assert len(PaperCache(cfg.cache_path)) == 9
    remembered = json.loads((cfg.state_path / NOT_ON_ARXIV).read_text())
    assert remembered[GONE]["reason"] == "unknown to arXiv"
    assert remembered["https://thinkingmachines.ai/blog/on-policy-distillation/"]["reason"] == \
        "not an arXiv link"

    # the next run asks nothing and says nothing
    fake.clear()
    cfg, doc, cache = setup(repo, api_url=fake.urls["api_url"])
    memo, said = run(cfg, doc, cache, caplog)
    assert fake.count() == 0 and memo == {} and said == ""

    # an entry removed from the list is forgotten: listed again, it is reported again
    text = cfg.readme_path.read_text(encoding="utf-8")
    block = next(b for b in text.split("\n- **") if GONE in b)
    cfg.readme_path.write_text(text.replace("\n- **" + block, "", 1), encoding="utf-8")
    cfg, doc, cache = setup(repo, api_url=fake.urls["api_url"])
    memo, _ = run(cfg, doc, cache, caplog)
    assert GONE not in json.loads((cfg.state_path / NOT_ON_ARXIV).read_text())


def test_offline_the_papers_train_on_titles_and_the_next_run_asks_again(repo, caplog):
    cfg, doc, cache = setup(repo, api_url="http://127.0.0.1:9/api/query")   # nothing listens
    memo, said = run(cfg, doc, cache, caplog)
    assert "could not fetch the metadata of 10 listed paper(s)" in said
    assert "the next run asks again" in said and "arXiv knows no paper" not in said
    assert len(PaperCache(cfg.cache_path)) == 0
    remembered = json.loads((cfg.state_path / NOT_ON_ARXIV).read_text())
    assert list(remembered) == ["https://thinkingmachines.ai/blog/on-policy-distillation/"]


def test_the_cursor_keeps_the_first_day_proposed(tmp_path):
    path = tmp_path / "cursor.json"
    path.write_text('{"last_day": "2025-10-27"}')           # a cursor of an older version
    assert read_span(path) == (dt.date(2025, 10, 27), dt.date(2025, 10, 27))
    write_cursor(path, dt.date(2025, 10, 28), dt.date(2025, 10, 1))
    write_cursor(path, dt.date(2025, 10, 29))               # a plain run keeps first_day
    assert read_span(path) == (dt.date(2025, 10, 1), dt.date(2025, 10, 29))


def test_store_never_imports_the_crawler_or_the_classifier():
    for path in sorted((ROOT / "store").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                assert name.split(".")[0] not in ("crawler", "classifier", "scripts"), \
                    f"{path.name}:{node.lineno} imports {name}"


def test_an_id_arxiv_did_not_know_is_asked_again_when_a_listing_brings_it_or_a_week_later(
        repo, fake, caplog):
    """An id_list answer can miss a paper (announced later than asked, a passing fault). It
    is remembered as unknown, but not for ever: once a listing brings the paper into the
    cache it is forgotten (a runner without the cache then fetches it, instead of training
    on its title), and an old report is asked again."""
    cfg, doc, cache = setup(repo, api_url=fake.urls["api_url"])
    run(cfg, doc, cache, caplog)
    memo_path = cfg.state_path / NOT_ON_ARXIV
    assert GONE in json.loads(memo_path.read_text())
    # a listing brought the paper into the cache: forgotten
    gone = next(p for p in read_papers(ARXIV / "list_papers.jsonl") if p.key == GONE)
    cfg, doc, cache = setup(repo, api_url=fake.urls["api_url"])
    cache.add([gone])
    run(cfg, doc, cache, caplog)
    assert GONE not in json.loads(memo_path.read_text())
    # a report older than a week: asked again
    cfg, doc, cache = setup(repo, api_url=fake.urls["api_url"])
    cache.papers.pop(GONE, None)
    old = (dt.date.today() - dt.timedelta(days=8)).isoformat()
    memo = json.loads(memo_path.read_text())
    memo[GONE] = {"reason": "unknown to arXiv", "reported": old}
    memo_path.write_text(json.dumps(memo))
    fake.clear()
    run(cfg, doc, cache, caplog)
    assert any(GONE in path for _, path, _ in fake.requests), "asked again"
    assert json.loads(memo_path.read_text()).get(GONE, {}).get("reported") != old
