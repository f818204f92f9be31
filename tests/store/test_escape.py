"""Titles and authors display as the plain text they are (issue 11.3), checked against a
real CommonMark renderer (markdown-it-py, with GFM's strikethrough and tables and linkify's
autolinks), not only against our own parser."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from conftest import HISTORY, SEED_README
from store.readme import Entry, escape, lint, markup_problem, parse, unescape

MD = MarkdownIt("commonmark", {"linkify": True}).enable(["linkify", "strikethrough", "table"])


def displayed(title: str, authors: str = "A One") -> tuple[str, str]:
    """What a reader sees of an entry's title and authors, rendered as GitHub does; fails
    when either renders as anything but text (a link, emphasis, code, HTML...)."""
    entry = Entry(title=title, authors=authors, url="https://arxiv.org/pdf/2601.00001",
                  date="2026.01", venue="Arxiv2026")
    text = "\n".join(entry.render()) + "\n"
    inline = [t for t in next(t for t in MD.parse(text) if t.type == "inline").children
              if t.type != "text" or t.content]       # delimiters leave empty text tokens
    kinds = [t.type for t in inline]
    assert kinds[0] == "strong_open", (text, kinds)
    close = kinds.index("strong_close")
    assert set(kinds[1:close]) == {"text"}, (text, kinds)
    assert kinds[close + 1:close + 3] == ["hardbreak", "em_open"], (text, kinds)
    em_close = kinds.index("em_close", close)
    assert set(kinds[close + 3:em_close]) == {"text"}, (text, kinds)
    assert kinds[em_close + 1:em_close + 3] == ["text", "link_open"], (text, kinds)
    assert inline[em_close + 1].content == ". [", (text, kinds)
    return ("".join(t.content for t in inline[1:close]),
            "".join(t.content for t in inline[close + 3:em_close]))


HOSTILE = ["\\[click\\](http://evil.example)", "\\\\[click\\\\](http://evil.example)",
           "[click](http://evil.example)", "*not emphasis*", "_not emphasis_", "**bold**",
           "a title ending in \\", "see http://evil.example now", "www.evil.com",
           "mail me@evil.com", "<script>alert(1)</script>", "<http://evil.example>",
           "`code`", "~~struck~~", "$x^2$", "&amp; &lt; &#42;", "a | b", "![img](x.png)",
           ":smile: emoji", "Tinker.ai and arXiv.org", "Zhipu AI & Tsinghua University"]


@pytest.mark.parametrize("plain", HOSTILE)
def test_an_escaped_title_or_authors_displays_as_the_text_it_is(plain):
    md = escape(plain)
    shown = " ".join(unescape(plain).split())
    assert displayed(md, md) == (shown, shown)
    assert markup_problem(md) is None and escape(md) == md


def test_the_link_trick_of_the_issue_is_text_in_the_list_and_lint_flags_it_raw():
    raw = "\\\\[click\\\\](http://evil.example)"      # what the old escaping wrote
    assert "link" in markup_problem(raw) or "unescaped '['" in markup_problem(raw)
    with pytest.raises(AssertionError):
        displayed(raw)                                 # it is a live link on GitHub
    for raw in ["*emphasis*", "trailing \\", "see http://evil.example", "a `b`", "<b>x</b>"]:
        assert markup_problem(raw), raw


def test_text_that_is_safe_already_is_written_unchanged():
    for text in ["Zhipu AI & Tsinghua University", "On-Policy Distillation: A Survey",
                 "Jonas Hübotter, Frederike Lübeck", "Qwen2.5-VL (7B) vs. GPT-4o, e.g. 3/4"]:
        assert escape(text) == text and markup_problem(text) is None


def test_every_readme_of_the_history_lints_clean_and_round_trips():
    for path in sorted(HISTORY.glob("*.md")) + [SEED_README]:
        text = path.read_text(encoding="utf-8")
        assert lint(text) == [], path.name
        assert parse(text).render() == text, path.name
        for _, e in parse(text).entries():
            assert displayed(e.title, e.authors) == (e.plain_title, unescape(e.authors))


META = st.sampled_from(list("\\*_[]`|~$<>&!#()@:./-+= ") +
                       ["http://", "https://", "www.", "mailto:", "&amp;", "&lt;", "&#42;",
                        "&copy;", ".com", "a", "b", "x", "1", "é", "\u00a0", "\t"])
STRINGS = st.lists(META, min_size=1, max_size=24).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STRINGS)
def test_any_text_escaped_displays_as_itself(text):
    plain = " ".join(unescape(text).split())     # escaped text is read as what it shows
    if not plain:
        return
    md = escape(text)
    assert unescape(md) == plain and escape(md) == md
    assert markup_problem(md) is None, md
    assert displayed(md, md) == (plain, plain)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STRINGS)
def test_lint_passes_a_title_only_when_it_displays_as_text(text):
    if not text.strip() or "\n" in text or "\t" in text or "\u00a0" in text:
        return
    if markup_problem(text) is None:
        assert displayed(text, text) == (unescape(text), unescape(text))
