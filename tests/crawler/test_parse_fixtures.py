"""Every real arXiv response in ../shared/arxiv/fixtures parses to the expected papers, or is
refused with a clear error (old formats, error feeds)."""
from __future__ import annotations

import datetime as dt
import logging

import pytest

from crawler.api import ApiError, parse_api
from crawler.errors import BadResponse
from crawler.oai import OaiError, parse_oai
from crawler.rss import parse_rss
from tests.conftest import FIXTURES

pytestmark = pytest.mark.skipif(not FIXTURES.exists(), reason=f"fixtures not found at {FIXTURES}")


def read(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_rss_multi_category_feed_keeps_new_and_cross_drops_replace():
    listing = parse_rss(read("rss_multi_cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24.xml"))
    assert listing.day == dt.date(2026, 9, 24)          # the channel pubDate, not the clock
    assert [(p.id, p.announce_type) for p in listing.papers] == [
        ("2609.26811", "new"), ("2609.26820", "new"), ("2205.06398", "cross")]
    drift = listing.papers[0]
    assert drift.title == "The Drift Contract: Spectral Updates for Depth-Robust Local Learning"
    assert drift.abstract.startswith("Local learning trains each layer")
    assert "Announce Type" not in drift.abstract and "\n" not in drift.abstract
    assert drift.authors == ["Fabien Polly"]
    assert listing.papers[1].authors == ["Naser Mansour", "Sidahmed Benabderrahmane",
                                         "Ameer Rahwan"]
    assert listing.papers[1].categories == ["cs.LG", "cs.AI"]
    assert all(p.date == "2026-09-24" for p in listing.papers)


def test_atom_variant_of_the_feed_parses_too():
    listing = parse_rss(read("atom_cs.LG_2026-09-25_abstracts_shortened.xml"))
    assert listing.day == dt.date(2026, 9, 25)
    assert [p.id for p in listing.papers] == ["2609.28553", "2402.10149"]
    assert listing.papers[0].authors[0] == "Quang Minh Nguyen"
    assert listing.papers[1].announce_type == "cross"


def test_old_rdf_feed_of_2018_is_refused_with_a_clear_error():
    with pytest.raises(BadResponse) as e:
        parse_rss(read("rss_oldformat_rdf_hep-ex_2018-05-23.xml"), "http://export.arxiv.org/rss/hep-ex")
    assert "RDF" in str(e.value) and "export.arxiv.org/rss/hep-ex" in str(e.value)
    assert e.value.retry is False


def test_malformed_feed_items_are_skipped_and_named():
    body = read("rss_multi_cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24.xml").replace(
        b"<title>Signal2Symbol: Neuro-Symbolic Temporal Reasoning for Explainable Physiological "
        b"Time-Series Anomaly Detection</title>", b"<title></title>")
    listing = parse_rss(body)
    assert [p.id for p in listing.papers] == ["2609.26811", "2205.06398"]
    assert listing.skipped == ["item 2 (no title; 2609.26820)"]


def test_api_search_pages_with_totals():
    p1 = parse_api(read("api_query_multi_search_testing_start0_max10.xml"))
    p2 = parse_api(read("api_query_multi_search_testing_start10_max10_page2.xml"))
    assert (p1.total, p1.start, p1.entries) == (214881, 0, 10)
    assert (p2.total, p2.start, p2.entries) == (214881, 10, 10)
    assert not {p.id for p in p1.papers} & {p.id for p in p2.papers}
    first = p1.papers[0]
    assert first.id == "2202.12139"                       # version dropped
    assert first.categories[0] == "cs.SE"                 # primary first
    assert "Aurora Ramírez" in p1.papers[1].authors       # UTF-8 bytes decoded right
    assert p1.published["2202.12139"] == dt.datetime(2022, 2, 24, 15, 5, 19,
                                                     tzinfo=dt.timezone.utc)


def test_api_submitted_date_query_and_cross_listed_primary():
    page = parse_api(read("api_query_cat_hep-ph_submittedDate_range_2026.xml"))
    assert page.total == 192 and page.entries == 3
    quark = next(p for p in page.papers if p.id == "2609.34820")
    assert quark.categories == ["astro-ph.HE", "hep-ph"]


def test_api_id_lookups_old_style_id_and_odd_title():
    old = parse_api(read("api_query_idlist_oldstyle_astro-ph_0601001.xml")).papers
    assert [p.id for p in old] == ["astro-ph/0601001"]
    zero = parse_api(read("api_query_idlist_versioned_2104.12255v1.xml")).papers
    assert [(p.id, p.title) for p in zero] == [("2104.12255", "0")]


def test_api_empty_result_and_error_feed():
    empty = parse_api(read("api_query_empty_idlist_0000.0000.xml"))
    assert (empty.total, empty.papers) == (0, [])
    with pytest.raises(ApiError) as e:
        parse_api(read("api_query_error_http400_incorrect_id_format.xml"), "http://x/api/query?id_list=abc")
    assert "incorrect id format for abc" in str(e.value) and "id_list=abc" in str(e.value)
    assert e.value.retry is False


def test_legacy_2016_api_format_parses_correctly():
    page = parse_api(read("api_query_multi_legacy2016_au_del_maestro.xml"))
    assert (page.total, page.entries, len(page.papers)) == (31, 10, 10)
    ids = [p.id for p in page.papers]
    assert "cond-mat/0412498" in ids and "1201.4869" in ids
    assert all("v" not in i.split("/")[-1] for i in ids)
    first = page.papers[0]
    assert first.title.startswith("A Luttinger Liquid Core Inside Helium-4")
    assert "  " not in first.title and "\n" not in first.abstract
    assert first.categories[0] == "cond-mat.mes-hall"


def test_oai_arxivraw_of_the_new_server():
    page = parse_oai(read("oai_listrecords_arXivRaw_set-physics-hep-th_2026-09-30_to_2026-10-03_oaipmh.xml"))
    assert [r.paper.id for r in page.records] == ["2102.06878", "2610.00146", "2610.02209"]
    old, held, new = page.records
    assert old.submitted.date() == dt.date(2021, 2, 13)     # an update, not a new paper
    assert old.datestamp == dt.date(2026, 10, 2)
    assert new.paper.authors == ["Steven B. Giddings", "Zi-Yue Wang"]
    assert new.paper.categories == ["hep-th"]
    assert page.token == ""


def test_oai_old_server_arxiv_format_and_getrecord():
    page = parse_oai(read("oai_listrecords_arXiv_set-physics-hep-th_from2017-12-14.xml"))
    first = page.records[0].paper
    assert first.id == "1412.8323" and first.authors == ["Philipp A Hoehn"]
    assert first.title == ("Toolbox for reconstructing quantum theory from rules on information "
                           "acquisition")
    assert first.categories[0] == "quant-ph"
    assert len(parse_oai(read("oai_listrecords_arXiv_set-physics-hep-ex_from2017-12-14.xml")).records) == 3
    single = parse_oai(read("oai_getrecord_arXiv_1401.2122.xml")).records
    assert [r.paper.id for r in single] == ["1401.2122"]


def test_oai_dc_page_with_resumption_token_of_the_old_server():
    page = parse_oai(read("oai_listrecords_oai_dc_set-cs_from2024-01-25_with_resumptionToken.xml"))
    assert page.token == "6960524|1001"
    assert [r.paper.id for r in page.records][:2] == ["1303.2033", "2401.14034"]
    assert page.records[0].paper.authors == ["Vilnis Liepins"]


def test_oai_no_records_match_is_an_empty_window_other_errors_fail():
    assert parse_oai(read("oai_error_noRecordsMatch_2026-10-04_oaipmh.xml")).records == []
    bad = read("oai_error_noRecordsMatch_2026-10-04_oaipmh.xml").replace(
        b"noRecordsMatch", b"badResumptionToken")
    with pytest.raises(OaiError) as e:
        parse_oai(bad, "http://x/oai")
    assert "badResumptionToken" in str(e.value)


def test_every_fixture_parses_or_is_refused_never_crashes(caplog):
    caplog.set_level(logging.WARNING)
    for path in sorted(FIXTURES.glob("*.xml")):
        parser = parse_oai if path.name.startswith("oai") else \
            parse_api if path.name.startswith("api") else parse_rss
        try:
            parser(path.read_bytes(), str(path))
        except BadResponse as e:
            assert path.name in str(e)


@pytest.mark.parametrize("body", [b"", b"<html><head><title>502 Bad Gateway</title></head></html>",
                                  b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>x"])
def test_non_feeds_are_retryable_errors(body):
    for parser in (parse_rss, parse_api, parse_oai):
        with pytest.raises(BadResponse) as e:
            parser(body, "http://example/x")
        assert e.value.retry and "http://example/x" in str(e.value)


def test_arxivs_own_words_comment_and_journal_reference_are_read_where_arxiv_gives_them():
    """The export API (arxiv:comment, arxiv:journal_ref), OAI-PMH (arXivRaw comments,
    arXiv journal-ref, oai_dc's "Comment:" description); the RSS feed has none."""
    api = {p.id: p for p in parse_api(read("api_query_cat_hep-ph_submittedDate_range_2026.xml")).papers}
    assert api["2609.34820"].comment == "Accepted as a Letter to Physical Review D"
    (old,) = parse_api(read("api_query_idlist_oldstyle_astro-ph_0601001.xml")).papers
    assert old.journal_ref == "ActaAstron.56:1-50,2006"
    raw = parse_oai(read("oai_listrecords_arXivRaw_set-physics-hep-th_2026-09-30_to_2026-10-03_oaipmh.xml"))
    assert raw.records[2].paper.comment == "26 pages"
    (single,) = parse_oai(read("oai_getrecord_arXiv_1401.2122.xml")).records
    assert single.paper.journal_ref == "Lett. Math. Phys. 108 (2018), no. 2, 359-376"
    dc = parse_oai(read("oai_listrecords_oai_dc_set-cs_from2024-01-25_with_resumptionToken.xml"))
    assert "Accepted to the Findings of EACL 2024" in [r.paper.comment for r in dc.records]
    rss = parse_rss(read("rss_multi_cs.LG+cs.AI+cs.CL+stat.ML_2026-09-24.xml"))
    assert all(p.comment == "" and p.journal_ref == "" for p in rss.papers)


def test_an_rss_abstract_is_text_as_the_export_api_gives_it():
    """feedparser gives an RSS description back as HTML ("video Q&amp;A"); the abstract is
    its text, the same the export API gives, so a paper reads alike from either (a runner
    without its cache fetches the background from the API, a cached one read it in the feed)."""
    feed = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>cs.CL updates on arXiv.org</title><link>http://rss.arxiv.org/rss/cs.CL</link>
<description>cs.CL updates</description><pubDate>Fri, 16 Jan 2026 00:00:00 -0500</pubDate>
<item><title>Video Q&amp;A at Scale</title><link>https://arxiv.org/abs/2601.10611</link>
<description>arXiv:2601.10611v1 Announce Type: new
Abstract: A free-form video Q&amp;A dataset for R&amp;D, where x &lt; y and A &amp; B, with &lt;think&gt; tags.</description>
<guid isPermaLink="false">oai:arXiv.org:2601.10611v1</guid><category>cs.CL</category>
<arxiv:announce_type>new</arxiv:announce_type><dc:creator>A. Author</dc:creator></item>
</channel></rss>"""
    (paper,) = parse_rss(feed).papers
    assert paper.title == "Video Q&A at Scale"
    assert paper.abstract == \
        "A free-form video Q&A dataset for R&D, where x < y and A & B, with <think> tags."
