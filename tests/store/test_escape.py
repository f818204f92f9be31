"""Titles and authors display as the plain text they are, judged by GitHub's own renderer
(cmark-gfm through `cmarkgfm`, with GitHub's extensions: autolinks, strikethrough, tables,
tag filter): escaped only where GitHub would render markup, written as they are otherwise."""
from __future__ import annotations

import gzip
import json
from html.parser import HTMLParser

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ARXIV, HISTORY, SEED_README, needs_shared
from store.markdown import escape, escape_entry, markup_problem, markup_problems, unescape
from store.listdoc import Entry
from store.readme import lint, parse


class _Shape(HTMLParser):
    """The tags and text of a rendered entry, in order: ('tag', name) / ('text', data)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.items.append(("tag", tag))

    def handle_startendtag(self, tag, attrs):
        self.items.append(("tag", tag))

    def handle_endtag(self, tag):
        self.items.append(("tag", "/" + tag))

    def handle_data(self, data):
        if self.items and self.items[-1][0] == "text":
            self.items[-1] = ("text", self.items[-1][1] + data)
        else:
            self.items.append(("text", data))

    def handle_comment(self, data):
        self.items.append(("tag", "!--"))


def displayed(title: str, authors: str = "A One") -> tuple[str, str]:
    """What a reader of github.com sees of an entry's title and authors; fails when either
    renders as anything but text (a link, emphasis, code, HTML...) or breaks the entry."""
    entry = Entry(title=title, authors=authors, url="https://arxiv.org/pdf/2601.00001",
                  date="2026.01", venue="Arxiv2026")
    text = "\n".join(entry.render()) + "\n"
    html = cmarkgfm.github_flavored_markdown_to_html(text, Options.CMARK_OPT_UNSAFE)
    shape = _Shape()
    shape.feed(html)
    items = [x for x in shape.items if x != ("text", "\n")]
    tags = [x[1] for x in items if x[0] == "tag"]
    assert tags == ["ul", "li", "strong", "/strong", "br", "em", "/em", "a", "/a", "img",
                    "/li", "/ul"], (text, html)
    strong = items.index(("tag", "strong"))
    em = items.index(("tag", "em"))
    assert items[strong + 1][0] == "text" and items[strong + 2] == ("tag", "/strong"), html
    assert items[em + 1][0] == "text" and items[em + 2] == ("tag", "/em"), html
    assert items[em + 3] == ("text", ". ["), html
    return items[strong + 1][1], items[em + 1][1]


def shown(text: str) -> str:
    return " ".join(unescape(text).split())


HOSTILE = ["\\[click\\](http://evil.example)", "\\\\[click\\\\](http://evil.example)",
           "[click](http://evil.example)", "*not emphasis*", "_not emphasis_", "**bold**",
           "a title ending in \\", "see http://evil.example now", "www.evil.com",
           "<script>alert(1)</script>", "<http://evil.example>", "`code`", "~~struck~~",
           "~one~", "$x^2$", "&amp; &lt; &#42;", "a | b", "![img](x.png)", "A*-search",
           "ftp://files.example", "https://x.y/z_(a)", "snake_case and _x_", "a**b**c",
           "Zhipu AI & Tsinghua University", "<b>Teacher</b>", "x < y > z"]


@pytest.mark.parametrize("plain", HOSTILE)
@pytest.mark.parametrize("where", ["title", "authors"])
def test_an_escaped_title_or_authors_displays_as_the_text_it_is(plain, where):
    md = escape(plain, where)
    got = displayed(md) if where == "title" else displayed("T", md)
    assert got[0 if where == "title" else 1] == shown(plain)
    assert markup_problem(md, where) is None and escape(md, where) == md


@pytest.mark.parametrize("text", [
    "N.Benjamin Erichson", "Node.js", "Tinker.ai and arXiv.org", ":smile: emoji",
    "Zhipu AI & Tsinghua University", "On-Policy Distillation: A Survey", "x < y",
    "Jonas Hübotter, Frederike Lübeck", "Qwen2.5-VL (7B) vs. GPT-4o, e.g. 3/4", "a | b",
    "snake_case_name", "It's \"quoted\"", "$5 budget", "A. B. C-D", "e.g. www"])
def test_text_github_shows_as_plain_is_written_exactly_as_it_is(text):
    for where in ("title", "authors"):
        assert escape(text, where) == text and markup_problem(text, where) is None
    assert displayed(text, text) == (text, text)


def test_lint_flags_what_github_would_render_and_says_how_to_write_it():
    cases = {"*emphasis*": "emphasis", "see http://evil.example": "a link",
             "a `b`": "code", "<b>x</b>": "HTML", "~~gone~~": "strikethrough",
             "www.evil.com": "a link", "[a](http://b.c)": "a link",
             "$x$ and $y$": "math", "trailing \\": "backslash"}
    for raw, what in cases.items():
        problem = markup_problem(raw)
        assert problem and what in problem, (raw, problem)
        with pytest.raises(AssertionError):
            if "backslash" not in what and "math" not in what:
                displayed(raw)
            else:
                raise AssertionError
    assert "write 'see http\\://evil.example'" in markup_problem("see http://evil.example")


def test_an_e_mail_address_cannot_be_written_as_text_and_lint_says_so():
    problem = markup_problem(escape("mail me@evil.com"))
    assert problem and "e-mail" in problem


def test_every_readme_of_the_history_lints_clean_and_round_trips():
    for path in sorted(HISTORY.glob("*.md")) + [SEED_README]:
        text = path.read_text(encoding="utf-8")
        assert lint(text) == [], path.name
        assert parse(text).render() == text, path.name
        for _, e in parse(text).entries():
            assert displayed(e.title, e.authors) == (e.plain_title, unescape(e.authors))


@needs_shared
def test_real_titles_and_author_lines_of_a_quarter_go_in_as_github_shows_them():
    """Every title and author line of window A's first two weeks (6,000 papers): escaped,
    it displays as itself; text GitHub shows as plain (nearly all) is written unchanged."""
    unchanged = 0
    n = 0
    with gzip.open(ARXIV / "windowA.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            p = json.loads(line)
            if p["date"] > "2025-10-14":
                break
            title, authors = " ".join(p["title"].split()), ", ".join(p["authors"])
            t, a = escape(title, "title"), escape(authors, "authors")
            assert displayed(t, a) == (shown(title), shown(authors)), (t, a)
            n += 1
            unchanged += (t == title and a == authors)
    assert n > 5000 and unchanged / n > 0.99


META = st.sampled_from(list("\\*_[]`|~$<>&!#()@:./-+= ") +
                       ["http://", "https://", "www.", "mailto:", "&amp;", "&lt;", "&#42;",
                        "&copy;", ".com", "a", "b", "x", "1", "é", "\u00a0", "\t"])
STRINGS = st.lists(META, min_size=1, max_size=24).map("".join)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STRINGS)
def test_any_text_escaped_displays_as_itself(text):
    plain = shown(text)     # escaped text is read as what it shows
    if not plain:
        return
    title, authors = escape_entry(text, text)
    assert unescape(title) == unescape(authors) == plain
    assert escape_entry(title, authors) == (title, authors)
    problems = markup_problems(title, authors)
    if any("e-mail" in why for _, why in problems):      # GitHub links it whatever we do
        assert "@" in plain
        return
    assert problems == [], (title, authors)
    assert displayed(title, authors) == (plain, plain)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(STRINGS)
def test_lint_passes_an_entry_only_when_it_displays_as_text(text):
    if not text.strip() or "\n" in text or "\t" in text or "\u00a0" in text:
        return
    if markup_problems(text, text) == []:
        assert displayed(text, text) == (unescape(text), unescape(text))
