"""What GitHub makes of the list's Markdown: its own renderer (cmark-gfm, through `cmarkgfm`,
with the extensions github.com uses) is the judge.

A title or an authors string in README.md is Markdown that must display as the plain text it
stands for: no emphasis, link, autolink, code, strikethrough or HTML may come out of it, in
the place it stands in an entry (inside the title's ``**…**`` or the authors' ``*…*``).

- `shows_as_text(md, plain, where)`: does `md`, standing as the title (or the authors) of an
  entry, render as exactly `plain`, nothing else, and leave the entry's shape intact?
- `escape(text, where)`: the Markdown for `text` that does: the text as it is when GitHub
  shows it as plain already (``N.Benjamin Erichson``, ``Node.js``, ``Zhipu AI & Tsinghua
  University``), else with backslash escapes (``&lt;`` for ``<``) on just the characters that
  would otherwise render as markup, each one checked with the renderer.
- `unescape(md)`: the plain text a string of the list displays as (backslash escapes and
  entities read as CommonMark reads them); `escape` reads its input so, so text that is
  escaped already is not escaped twice.
- `markup_problem(md, where)`: lint's check of a string already in the list: why it would
  not display as plain text (None when it does).

GitHub also renders ``$…$`` as math, which cmark-gfm leaves to a later step: a string with
two or more ``$`` has them escaped (``\\$``), as GitHub's documentation asks. E-mail
addresses are autolinked whatever is escaped in them (cmark-gfm joins the text first): such a
string cannot be written as plain text and `markup_problem` says so.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from functools import lru_cache
from typing import Optional

import cmarkgfm
from cmarkgfm.cmark import Options

_OPTIONS = Options.CMARK_OPT_UNSAFE     # raw HTML kept as tags: it shows up as markup

_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"      # what CommonMark lets a backslash escape
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_READ = re.compile(r"\\([" + re.escape(_PUNCT) + r"])|" + _ENTITY.pattern)
# the characters that may start or end markup in the middle of a line (emphasis, links,
# code, strikethrough, HTML, entities, autolinks' "http:" and "www.", math): `escape`
# considers escaping only these
_RISKY = set("\\*_[]`~<&!$:.@|")

# Where plain text stands in the Markdown the tool writes, each place a `str.format` field,
# with stand-ins for the link, date and badge: an entry of the list, and the lines of the
# candidates pull request's body (`opdlist pr-body`).
_URL = "https://arxiv.org/pdf/2601.00001"
_BADGE = "https://img.shields.io/badge/Arxiv2026-orange"
TEMPLATES = {
    "entry": "- **{title}**  \n  *{authors}*. [[pdf](" + _URL + ")], 2026.01. ![](" + _BADGE +
             ")\n",
    "link": "1. **[{text}](https://arxiv.org/abs/2601.00001)** `2601.00001`\n",
    "emphasis": "1. x\n   score **0.50** · section *{text}* · announced 2026-01-05\n",
    "line": "1. x\n   why: {text}\n",
}
STAND_IN = {"title": "Title", "authors": "Author"}


def render(markdown: str) -> str:
    """HTML of `markdown` as github.com renders it (cmark-gfm with GitHub's extensions)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown, _OPTIONS)


def _decode(m: re.Match) -> str:
    if m.group(1) is not None:
        return m.group(1)
    char = html.unescape(m.group(0))
    return m.group(0) if char == m.group(0) else char


def unescape(text: str) -> str:
    """The plain text a title or authors string of the list displays as (CommonMark's
    backslash escapes and entities); the inverse of `escape`."""
    return _READ.sub(_decode, text)


@lru_cache(maxsize=4096)
def _rendered(template: str, values: tuple) -> str:
    return render(TEMPLATES[template].format(**dict(values)))


_TAG = re.compile(r"<(/?[A-Za-z][A-Za-z0-9]*|!--)([^>]*)>")


def _shape(out: str) -> tuple:
    """HTML as a reader meets it: its tags (with their attributes) and the texts between
    them, entities read (``&lt;script>`` of the tag filter is the text ``<script>``)."""
    items, at = [], 0
    for m in _TAG.finditer(out):
        items += [html.unescape(out[at:m.start()]), m.group(0)]
        at = m.end()
    return tuple(items + [html.unescape(out[at:])])


@lru_cache(maxsize=8)
def _frame(template: str) -> tuple:
    """The shape of `template` rendered, each of its places a `str.format` field again."""
    names = re.findall(r"\{(\w+)\}", TEMPLATES[template])
    shape = _shape(_rendered(template, tuple((n, f"OPDLIST{n.upper()}") for n in names)))
    out = []
    for x in shape:
        if not x.startswith("<"):
            x = x.replace("{", "{{").replace("}", "}}")
            for n in names:
                x = x.replace(f"OPDLIST{n.upper()}", "{" + n + "}")
        out.append(x)
    return tuple(out)


def _math(md: str) -> bool:
    """Two or more unescaped ``$``: GitHub may render math between them."""
    return len(re.findall(r"(?<!\\)(?:\\\\)*\$", md)) >= 2


def _shows(template: str, md: dict, plain: dict) -> bool:
    """Whether `template` with the Markdown `md` in its places renders them as exactly the
    texts `plain`, its shape kept. The places are judged together: a backtick or an asterisk
    in one can pair with one in another."""
    if any(_math(x) for x in md.values()):
        return False
    want = tuple(x if x.startswith("<") else x.format(**plain) for x in _frame(template))
    return _shape(_rendered(template, tuple(sorted(md.items())))) == want


def shows_as_text(title: str, authors: str, plain_title: str, plain_authors: str) -> bool:
    """Whether an entry with the Markdown `title` and `authors` renders them as exactly the
    texts `plain_title` and `plain_authors`, and keeps the entry's shape."""
    return _shows("entry", {"title": title, "authors": authors},
                  {"title": plain_title, "authors": plain_authors})


def _escape(template: str, texts: dict) -> dict:
    """The Markdown of `texts` (place -> text) in `template` that GitHub displays as exactly
    the plain texts they read as (see `unescape`), white space collapsed. Text GitHub shows
    as plain already is returned as it is. Otherwise every risky character is escaped
    (``\\*``, ``\\[``, ``&lt;`` ...), then each escape is dropped again, left to right, where
    the renderer shows the same texts without it: only what would render as markup keeps its
    backslash. Strings that cannot be written as plain text (an e-mail address) come back
    escaped as far as it goes."""
    plain = {k: " ".join(unescape(v).split()) for k, v in texts.items()}
    if _shows(template, plain, plain):
        return plain
    tokens = {k: [("&lt;" if c == "<" else "\\" + c) if c in _RISKY else c for c in v]
              for k, v in plain.items()}

    def ok(trial: dict) -> bool:
        return _shows(template, {k: "".join(v) for k, v in trial.items()}, plain)

    if ok(tokens):
        for k, part in plain.items():
            math = part.count("$") >= 2        # a pair: both stay escaped, for legibility
            for i, c in enumerate(part):
                if c in _RISKY and not (c == "$" and math):
                    trial = {key: list(v) for key, v in tokens.items()}
                    trial[k][i] = c
                    if ok(trial):
                        tokens = trial
    return {k: "".join(v) for k, v in tokens.items()}


def escape_entry(title: str, authors: str) -> tuple[str, str]:
    """The Markdown of an entry's title and authors that GitHub displays as exactly the plain
    texts they read as (see `_escape`); `markup_problems` names what cannot be so."""
    out = _escape("entry", {"title": title, "authors": authors})
    return out["title"], out["authors"]


def escape(text: str, where: str = "title") -> str:
    """Markdown that GitHub displays as exactly the plain `text`: as an entry's title (or
    authors, `where`) beside a plain stand-in for the other, or in a place of the pull
    request's body (``link``: a linked title, ``emphasis``: a section name, ``line``: text
    in a list item), one line."""
    if where == "title":
        return escape_entry(text, STAND_IN["authors"])[0]
    if where == "authors":
        return escape_entry(STAND_IN["title"], text)[1]
    return _escape(where, {"text": text})["text"]


_KINDS = {"a": "a link", "img": "an image", "code": "code", "em": "emphasis",
          "strong": "bold text", "del": "strikethrough"}


def _tags(out: str) -> Counter:
    return Counter(("mailto" if m.group(1) == "a" and "mailto:" in m.group(2) else
                    m.group(1).lower()) for m in _TAG.finditer(out))


def _basic(md: str) -> Optional[str]:
    if md.endswith("\\") and not md.endswith("\\\\"):
        return "ends with a backslash, which escapes the closing '*' (write '\\\\')"
    if md != md.strip() or "  " in md:
        return "spaces at the start or end, or doubled, change how it renders"
    return None


def _alone(md: str, where: str) -> tuple[str, str]:
    return (md, STAND_IN["authors"]) if where == "title" else (STAND_IN["title"], md)


def markup_problem(md: str, where: str = "title") -> Optional[str]:
    """Why the title (or authors, `where`) `md` of an entry, beside a plain stand-in for the
    other part, would not display as plain text on GitHub, or None when it does."""
    problem = _basic(md)
    if problem or shows_as_text(*_alone(md, where), *_alone(unescape(md), where)):
        return problem
    fix = escape(md, where)
    if _math(md):
        return f"'$' signs would render as math on GitHub, not as text (write '{fix}')"
    extra = _tags(_rendered("entry", tuple(zip(("title", "authors"), _alone(md, where))))) - \
        _tags(_rendered("entry", tuple(STAND_IN.items())))
    if "mailto" in extra:
        return "an e-mail address renders as a link on GitHub whatever is escaped in it; " \
               "write it otherwise (e.g. 'name at example.org')"
    kinds = [_KINDS.get(tag, "HTML") for tag in extra if not tag.startswith("/")]
    kind = kinds[0] if kinds else "markup that breaks the entry's bold or italics"
    return f"would render as {kind} on GitHub, not as text (write '{fix}')"


def markup_problems(title: str, authors: str) -> list[tuple[str, str]]:
    """(part, why) for each part of an entry (its Markdown `title` and `authors`) that would
    not display as plain text on GitHub. The entry is judged as it stands; when it fails,
    each part is judged beside a plain stand-in for the other to say which one is at fault."""
    out = [(where, problem) for where, md in (("title", title), ("authors", authors))
           if (problem := _basic(md))]
    if out or shows_as_text(title, authors, unescape(title), unescape(authors)):
        return out
    out = [(where, problem) for where, md in (("title", title), ("authors", authors))
           if (problem := markup_problem(md, where))]
    if not out:
        fixed = escape_entry(title, authors)
        out.append(("title", "the title and the authors together would render as markup on "
                             f"GitHub (a delimiter in one pairs with one in the other); write "
                             f"them as '{fixed[0]}' and '{fixed[1]}'"))
    return out
