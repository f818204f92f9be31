"""README.md is the list: its strict grammar, parse, lint and render.

The document is cut into five parts, and only two of them are rebuilt on render:

    head      everything up to the table of contents (intro, badges, "## Content")  kept as is
    toc       the "- [Name](#slug)" lines under "## Content"                         rebuilt
    middle    from the end of the TOC to "## Papers" (keyword convention, ...)       kept as is
    papers    "## Papers" and its "###"/"####" sections of entries                   rebuilt
    tail      everything after the list (e.g. "## Maintaining this list")            kept as is

An entry is exactly two lines (note the two trailing spaces of the first)::

    - **<Title>**  
      *<Authors>*. [[pdf](<url>)], <YYYY.MM>. ![](https://img.shields.io/badge/<Venue>-orange)

Papers live in leaf sections. The TOC lists every "##" heading of the document in order and,
nested under Papers, the paper sections, indented two spaces per level, with GitHub's anchor
slugs. Blank lines after a heading and after a section's entries are kept as found; blank
lines between two entries of one section are a lint finding. A missing final newline is
kept (no upstream README has one). Parsing any README of the list's history and rendering it
again gives identical bytes.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterator, Optional

from store.errors import BadInput
from store.markdown import markup_problems, unescape
from store.paper import arxiv_id, normalise_title, paper_key

BADGE_URL = "https://img.shields.io/badge/"
TITLE_LINE = re.compile(r"^- \*\*(?P<title>.+)\*\*(?P<brk>\s*)$")
AUTHOR_LINE = re.compile(
    r"^  \*(?P<authors>.+)\*\. \[\[pdf\]\((?P<url>[^\s]+?)\)\], (?P<date>\S+)\. "
    r"!\[\]\((?P<badge>[^)]+)\)$")
BADGE = re.compile(r"^https://img\.shields\.io/badge/(?P<venue>.+)-orange$")
VENUE = re.compile(r"^[A-Za-z0-9_.+]+(?:--[A-Za-z0-9_.+]+)*$")


def badge(text: str) -> Optional[str]:
    """A venue as the list writes its badge, one word: ``ICML 2026`` -> ``ICML2026``; None
    when it cannot be one (characters a badge cannot hold)."""
    venue = "".join(text.split())
    return venue if VENUE.match(venue) else None
DATE = re.compile(r"^(\d{4})\.(0[1-9]|1[0-2])$")
HEADING = re.compile(r"^(?P<hashes>#{1,6}) (?P<text>.*?)\s*$")
TOC_LINE = re.compile(r"^(?P<indent> *)- \[(?P<name>.*)\]\((?P<target>[^)]*)\)\s*$")
URL = re.compile(r"^https?://\S+$")


def slug(text: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    s = text.strip().lower()
    s = "".join(c for c in s if c.isalnum() or c in " -_" or unicodedata.category(c) == "Mn")
    return s.replace(" ", "-")


def nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip()


# Titles and authors are plain text: what GitHub's renderer makes of them is decided in
# store/markdown.py (`escape`, `unescape`, `markup_problem`).

SAFE_URL = re.compile(r"^https?://[^\s()<>\[\]\"'`]+$")


@dataclass
class Entry:
    title: str           # as written in the README (escaped Markdown)
    authors: str         # as written
    url: str
    date: str            # YYYY.MM
    venue: str
    line: int = 0        # line of "- **Title**" in the file read, 0 for a new entry

    @property
    def arxiv_id(self) -> Optional[str]:
        return arxiv_id(self.url)

    @property
    def key(self) -> str:
        return paper_key(self.url)

    @property
    def plain_title(self) -> str:
        """The title without Markdown escapes."""
        return unescape(self.title)

    @property
    def author_list(self) -> list[str]:
        return [a.strip() for a in unescape(self.authors).split(",") if a.strip()]

    def sort_key(self) -> tuple:
        """(YYYY.MM, arXiv id): where the maintainer puts an entry within its section."""
        aid = self.arxiv_id or ""
        m = re.match(r"^(\d{4})\.(\d+)$", aid)
        return (self.date, (m.group(1), int(m.group(2))) if m else (aid, 0))

    def render(self) -> list[str]:
        return [f"- **{self.title}**  ",
                f"  *{self.authors}*. [[pdf]({self.url})], {self.date}. "
                f"![]({BADGE_URL}{self.venue}-orange)"]


@dataclass
class Section:
    name: str                       # heading text, stripped
    level: int                      # 3 (###) or 4 (####)
    raw: str                        # the heading line as written
    line: int = 0
    parent: Optional["Section"] = None
    entries: list[Entry] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)
    gap_after_heading: int = 0      # blank lines between the heading and what follows
    gap_after_entries: int = 0      # blank lines after the entries
    label: str = ""                 # the name users give: heading text, or "Parent / Child"

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator["Section"]:
        yield self
        for c in self.children:
            yield from c.walk()

    def render(self) -> list[str]:
        out = [self.raw] + [""] * self.gap_after_heading
        for e in self.entries:
            out += e.render()
        if self.entries:
            out += [""] * self.gap_after_entries
        for c in self.children:
            out += c.render()
        return out


@dataclass
class Finding:
    line: int
    message: str


@dataclass
class ListDoc:
    """A parsed README: kept text around the rebuilt TOC and list of sections."""
    head: list[str]
    toc: list[tuple[int, str, str, str]]    # (line, indent, name, target) as found
    middle: list[str]
    papers_heading: str
    gap_after_papers_heading: int
    sections: list[Section]
    tail: list[str]
    final_newline: bool
    findings: list[Finding] = field(default_factory=list)

    # ---- queries ------------------------------------------------------------------------
    def all_sections(self) -> list[Section]:
        return [s for top in self.sections for s in top.walk()]

    def leaves(self) -> list[Section]:
        return [s for s in self.all_sections() if s.is_leaf]

    def entries(self) -> Iterator[tuple[Section, Entry]]:
        for s in self.all_sections():
            for e in s.entries:
                yield s, e

    def section_names(self) -> list[str]:
        """Names of the leaf sections (where papers go), in document order."""
        return [s.label for s in self.leaves()]

    def find_section(self, name: str) -> Section:
        """The section called `name` (heading text, or "Parent / Child"); BadInput naming the
        closest existing one otherwise."""
        want = nfc(name)
        by_label = {nfc(s.label): s for s in self.all_sections()}
        if want in by_label:
            return by_label[want]
        full = {nfc(f"{s.parent.name} / {s.name}"): s for s in self.all_sections() if s.parent}
        if want in full:
            return full[want]
        known = [s.label for s in self.all_sections()]
        close = difflib.get_close_matches(want, known, n=1, cutoff=0.0)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise BadInput(f"unknown section '{name}'{hint} (sections: {', '.join(known)})",
                       field="section")

    # ---- changes ------------------------------------------------------------------------
    def insert(self, section: Section, entry: Entry) -> None:
        """Put `entry` where the maintainer would: just before the first entry of its section
        that is newer by (YYYY.MM, arXiv id), else at the end."""
        if not section.is_leaf:
            raise BadInput(f"section '{section.label}' has subsections; papers go into one of "
                           f"them ({', '.join(c.label for c in section.children)})",
                           field="section")
        if not section.entries and section.gap_after_heading and not section.gap_after_entries:
            # an empty section: its blank lines now follow the entries
            section.gap_after_entries, section.gap_after_heading = section.gap_after_heading, 0
        new = entry.sort_key()
        for i, e in enumerate(section.entries):
            if e.sort_key() > new:
                section.entries.insert(i, entry)
                return
        section.entries.append(entry)

    def remove(self, section: Section, entry: Entry) -> None:
        """Take `entry` out of `section` (a withdrawn paper); an emptied section keeps its
        heading, its blank lines now after it."""
        section.entries.remove(entry)
        if not section.entries:
            section.gap_after_heading += section.gap_after_entries
            section.gap_after_entries = 0

    def add_section(self, name: str, under: Optional[str] = None) -> Section:
        """A new empty section at the end of the list, or of `under`'s subsections. The first
        subsection of a section that holds entries takes them (that is how a section is split:
        add the subsections, then `move` entries between them)."""
        name = nfc(name)
        if not name or "\n" in name or "](" in name:
            raise BadInput(f"bad section name {name!r}: one line of text")
        if under is None:
            siblings, level, parent = self.sections, 3, None
        else:
            parent = self.find_section(under)
            if parent.level >= 4:
                raise BadInput(f"'{parent.label}' is a #### section; sections nest two levels "
                               "(### and ####)", field="under")
            siblings, level = parent.children, 4
        if any(nfc(s.name) == name for s in siblings):
            raise BadInput(f"'{name}' exists already" +
                           (f" under '{parent.label}'" if parent else " in the list"))
        sec = Section(name=name, level=level, raw=f"{'#' * level} {name}", parent=parent)
        flat = self.all_sections()
        prev = (list(parent.walk())[-1] if parent else flat[-1]) if flat else None
        if parent is not None and parent.entries:
            # the new subsection takes the parent's entries and the blank lines after them
            sec.entries, parent.entries = parent.entries, []
            sec.gap_after_entries, parent.gap_after_entries = parent.gap_after_entries, 0
        elif prev is not None and prev is not parent:
            # the new section takes the spacing that followed `prev` (before the next
            # heading, or before the next "##" when it is the last section); `prev` keeps at
            # least the usual blank line
            gap = _trailing(prev)
            _set_trailing(sec, gap if gap or self.tail else 0)
            _set_trailing(prev, max(gap, 1))
        elif prev is parent:
            _set_trailing(sec, max(parent.gap_after_heading, 1) if self.tail or
                          parent is not flat[-1] else 0)
            parent.gap_after_heading = 0
        siblings.append(sec)
        _label_sections(self)
        return sec

    def move(self, moving: list[tuple[Section, Entry]], target: Section) -> list[Entry]:
        """Move entries into `target`, keeping the order they have in the list: into an empty
        section as they are, into one with entries each before the first newer one (where
        merge would put it). Returns the entries moved (those already in `target` stay)."""
        if not target.is_leaf:
            raise BadInput(f"section '{target.label}' has subsections; papers go into one of "
                           f"them ({', '.join(c.label for c in target.children)})",
                           field="to")
        order = {id(e): i for i, (_, e) in enumerate(self.entries())}
        moving = sorted(((s, e) for s, e in moving if s is not target),
                        key=lambda se: order[id(se[1])])
        was_empty = not target.entries
        for source, entry in moving:
            self.remove(source, entry)
        for _, entry in moving:
            if was_empty:
                if not target.entries and target.gap_after_heading and \
                        not target.gap_after_entries:
                    target.gap_after_entries, target.gap_after_heading = \
                        target.gap_after_heading, 0
                target.entries.append(entry)
            else:
                self.insert(target, entry)
        return [e for _, e in moving]

    # ---- rendering ----------------------------------------------------------------------
    def headings(self) -> list[tuple[int, str]]:
        """(level, text) of every heading of the rendered document, in order."""
        out = [h for h in _headings(self.head)] + [h for h in _headings(self.middle)]
        out.append((2, HEADING.match(self.papers_heading).group("text")))
        out += [(s.level, s.name) for s in self.all_sections()]
        out += [h for h in _headings(self.tail)]
        return out

    def expected_toc(self) -> list[tuple[str, str, str]]:
        """(indent, name, #slug) lines the TOC must have: every "##" heading and, nested
        under Papers, the paper sections."""
        slugs: dict[str, int] = {}
        anchors: list[tuple[int, str, str]] = []
        for level, text in self.headings():
            base = slug(text)
            n = slugs.get(base, 0)
            slugs[base] = n + 1
            anchors.append((level, text, base if n == 0 else f"{base}-{n}"))
        papers_index = len(_headings(self.head)) + len(_headings(self.middle))
        n_sections = len(self.all_sections())
        out = []
        for i, (level, text, anchor) in enumerate(anchors):
            in_papers = papers_index < i <= papers_index + n_sections
            if level == 2:
                out.append(("", text, "#" + anchor))
            elif in_papers:
                out.append(("  " * (level - 2), text, "#" + anchor))
        return out

    def render(self) -> str:
        toc = [f"{indent}- [{name}]({target})" for indent, name, target in self.expected_toc()]
        papers = [self.papers_heading] + [""] * self.gap_after_papers_heading
        for s in self.sections:
            papers += s.render()
        lines = self.head + toc + self.middle + papers + self.tail
        return "\n".join(lines) + ("\n" if self.final_newline else "")


def _trailing(s: Section) -> int:
    """Blank lines after a section's own lines (heading and entries)."""
    return s.gap_after_entries if s.entries else s.gap_after_heading


def _set_trailing(s: Section, n: int) -> None:
    if s.entries:
        s.gap_after_entries = n
    else:
        s.gap_after_heading = n


def _headings(lines: list[str]) -> list[tuple[int, str]]:
    out, fenced = [], False
    for line in lines:
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        m = HEADING.match(line)
        if m and not fenced:
            out.append((len(m.group("hashes")), m.group("text")))
    return out


def _label_sections(doc: ListDoc) -> None:
    """A section's label is its heading text, or "Parent / Child" where the text is shared."""
    sections = doc.all_sections()
    counts: dict[str, int] = {}
    for s in sections:
        counts[nfc(s.name)] = counts.get(nfc(s.name), 0) + 1
    for s in sections:
        ambiguous = counts[nfc(s.name)] > 1 and s.parent is not None
        s.label = f"{s.parent.name} / {s.name}" if ambiguous else s.name


# ---- parsing ------------------------------------------------------------------------------

def parse(text: str) -> ListDoc:
    """Parse README text. Problems are collected in `doc.findings` (never raised), so `lint`
    can report them all; a README without the parts of the list raises BadInput."""
    findings: list[Finding] = []
    if text.startswith("\ufeff"):
        findings.append(Finding(1, "byte-order mark at the start of the file; save as UTF-8 "
                                   "without BOM"))
        text = text[1:]
    if "\r" in text:
        findings.append(Finding(1, "CRLF (Windows) line endings; the list uses LF"))
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    final_newline = text.endswith("\n")
    lines = (text[:-1] if final_newline else text).split("\n")

    def heading_at(i: int) -> Optional[tuple[int, str]]:
        m = HEADING.match(lines[i])
        return (len(m.group("hashes")), m.group("text")) if m else None

    fenced, level2 = False, []
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and (h := heading_at(i)) and h[0] == 2:
            level2.append((i, h[1]))
    content = next((i for i, t in level2 if t.strip().lower() == "content"), None)
    papers = next((i for i, t in level2 if t.strip().lower() == "papers"), None)
    if papers is None:
        raise BadInput("no '## Papers' heading: the list is missing or the file is truncated",
                       line=len(lines))
    if content is None or content > papers:
        raise BadInput("no '## Content' heading (table of contents) before '## Papers'",
                       line=papers + 1)

    # -- table of contents: the first run of list items after "## Content"
    i = content + 1
    while i < papers and not lines[i].strip():
        i += 1
    toc_start = i
    toc = []
    while i < papers and lines[i].strip():
        m = TOC_LINE.match(lines[i])
        if not m:
            findings.append(Finding(i + 1, "table of contents: not a '- [Name](#anchor)' line"))
            toc.append((i + 1, "?", lines[i].strip(), ""))
        else:
            toc.append((i + 1, m.group("indent"), m.group("name"), m.group("target")))
        i += 1
    toc_end = i

    # -- the papers region: "## Papers" up to the next "##" heading
    end = next((j for j, _ in level2 if j > papers), len(lines))
    doc = ListDoc(head=lines[:toc_start], toc=toc, middle=lines[toc_end:papers],
                  papers_heading=lines[papers], gap_after_papers_heading=0, sections=[],
                  tail=lines[end:], final_newline=final_newline, findings=findings)
    _parse_papers(doc, lines, papers, end, findings)
    _label_sections(doc)
    _check(doc, findings)
    return doc


def _parse_papers(doc: ListDoc, lines: list[str], start: int, end: int,
                  findings: list[Finding]) -> None:
    current: Optional[Section] = None
    top: Optional[Section] = None
    blank = 0            # blank lines seen since the last heading or entry
    seen_entry = False   # the current section has an entry already
    i = start + 1
    while i < end:
        line, lineno = lines[i], i + 1
        if not line.strip():
            if line:
                findings.append(Finding(lineno, "whitespace on an otherwise blank line"))
            blank += 1
            i += 1
            continue
        h = HEADING.match(line)
        if h:
            level, name = len(h.group("hashes")), h.group("text")
            _close(doc, current, blank, seen_entry)
            blank, seen_entry = 0, False
            if level not in (3, 4):
                findings.append(Finding(lineno, f"heading level {level} under '## Papers': "
                                                "sections are ### or ####"))
                level = 3 if level < 3 else 4
            if not name.strip():
                findings.append(Finding(lineno, "section heading without a name"))
            sec = Section(name=name.strip(), level=level, raw=line, line=lineno)
            if level == 3 or top is None:
                if level == 4:
                    findings.append(Finding(lineno, "#### section without a ### section above"))
                top = sec
                doc.sections.append(sec)
            else:
                sec.parent = top
                top.children.append(sec)
            current = sec
            i += 1
            continue
        t = TITLE_LINE.match(line)
        if line.startswith("- ") or line.startswith("  *"):
            if current is None:
                findings.append(Finding(lineno, "entry before the first section heading"))
            elif seen_entry and blank:
                findings.append(Finding(lineno - blank, "blank line between two entries of "
                                                        f"section '{current.name}'"))
            elif current.children:
                findings.append(Finding(lineno, f"entry in section '{current.name}', which has "
                                                "subsections; papers live in leaf sections"))
        if current is not None and not seen_entry:
            current.gap_after_heading = blank
        blank = 0
        if not t:
            if line.startswith("  *"):
                findings.append(Finding(lineno, "authors line without a '- **Title**' line "
                                                "before it"))
            elif line.startswith("- "):
                findings.append(Finding(lineno, "broken entry: the first line must be "
                                                "'- **Title**' followed by two spaces"))
                if i + 1 < end and lines[i + 1].startswith("  *"):
                    i += 1
            else:
                findings.append(Finding(lineno, "text that is not an entry, a heading or a blank "
                                                "line inside the list"))
            i += 1
            continue
        entry = _parse_entry(lines, i, end, findings)
        if entry and current is not None:
            current.entries.append(entry)
            seen_entry = True
        i += 2 if (i + 1 < end and lines[i + 1].startswith("  ")) else 1
    _close(doc, current, blank, seen_entry)


def _close(doc: ListDoc, sec: Optional[Section], blank: int, seen_entry: bool) -> None:
    if sec is None:
        doc.gap_after_papers_heading = blank
    elif seen_entry:
        sec.gap_after_entries = blank
    else:
        sec.gap_after_heading = blank


def _parse_entry(lines: list[str], i: int, end: int,
                 findings: list[Finding]) -> Optional[Entry]:
    t = TITLE_LINE.match(lines[i])
    lineno = i + 1
    if t.group("brk") != "  ":
        findings.append(Finding(lineno, "title line must end with exactly two spaces (the "
                                        "Markdown line break)"))
    title = t.group("title")
    if not title.strip():
        findings.append(Finding(lineno, "empty title"))
    if i + 1 >= end or not lines[i + 1].startswith("  "):
        findings.append(Finding(lineno, "entry has no authors line (expected '  *Authors*. "
                                        "[[pdf](url)], YYYY.MM. ![](badge)')"))
        return None
    a = AUTHOR_LINE.match(lines[i + 1])
    if not a:
        findings.append(Finding(lineno + 1, _explain_author_line(lines[i + 1])))
        return None
    if title.strip():
        for where, problem in markup_problems(title, a.group("authors")):
            findings.append(Finding(lineno + (where == "authors"), f"{where}: {problem}"))
    if not URL.match(a.group("url")):
        findings.append(Finding(lineno + 1, f"link '{a.group('url')}' is not an http(s) URL"))
    if not DATE.match(a.group("date")):
        findings.append(Finding(lineno + 1, f"bad date '{a.group('date')}': expected YYYY.MM "
                                            "with a month 01-12"))
    b = BADGE.match(a.group("badge"))
    venue = ""
    if not b:
        findings.append(Finding(lineno + 1, f"venue badge '{a.group('badge')}' is not a "
                                            f"shields.io badge ({BADGE_URL}<Venue>-orange)"))
    else:
        venue = b.group("venue")
        if not VENUE.match(venue):
            findings.append(Finding(lineno + 1, f"venue '{venue}' has characters a badge cannot "
                                                "hold (letters, digits, '_' and '.' only)"))
    # kept even when a field is faulty, so duplicates are still found
    return Entry(title=title, authors=a.group("authors"), url=a.group("url"),
                 date=a.group("date"), venue=venue, line=lineno)


def entry_problems(entry: Entry) -> list[tuple[int, str]]:
    """What lint would find in `entry` as rendered: (1 for the title line or 2, message)."""
    lines = entry.render()
    if not TITLE_LINE.match(lines[0]):
        return [(1, "the title line would not have the form '- **Title**'")]
    findings: list[Finding] = []
    _parse_entry(lines, 0, 2, findings)
    return [(f.line, f.message) for f in findings]


def _explain_author_line(line: str) -> str:
    """Say which part of a broken authors line is wrong."""
    if not re.match(r"^  \*.+\*\.", line):
        return "authors must be in italics and followed by a period: '  *Authors*. ...'"
    if "[[pdf](" not in line:
        return "missing '[[pdf](url)]' link after the authors"
    if not re.search(r"\)\], \S+\. ", line):
        return "missing ', YYYY.MM. ' after the pdf link"
    if "![](" not in line:
        return "missing venue badge '![](https://img.shields.io/badge/<Venue>-orange)'"
    if line != line.rstrip():
        return "trailing spaces after the venue badge"
    return "malformed authors line: expected '  *Authors*. [[pdf](url)], YYYY.MM. ![](badge)'"


def _check(doc: ListDoc, findings: list[Finding]) -> None:
    """Whole-document checks: duplicates and the table of contents."""
    by_key: dict[str, Entry] = {}
    by_title: dict[str, Entry] = {}
    for _, e in doc.entries():
        if e.key in by_key:
            findings.append(Finding(e.line, f"duplicate paper {e.key} (also on line "
                                            f"{by_key[e.key].line})"))
        else:
            by_key[e.key] = e
            t = normalise_title(e.plain_title)
            if t and t in by_title:
                findings.append(Finding(e.line, f"duplicate title '{e.plain_title}' (also on "
                                                f"line {by_title[t].line})"))
            by_title.setdefault(t, e)
    names = {}
    for s in doc.all_sections():
        key = (s.parent.name if s.parent else None, nfc(s.name))
        if key in names:
            findings.append(Finding(s.line, f"section '{s.name}' appears twice (also on line "
                                            f"{names[key]})"))
        names.setdefault(key, s.line)
    _check_toc(doc, findings)


def _check_toc(doc: ListDoc, findings: list[Finding]) -> None:
    expected = doc.expected_toc()
    found = [(line, indent, name, target) for line, indent, name, target in doc.toc
             if indent != "?"]
    exp_names = [nfc(n) for _, n, _ in expected]
    found_names = [nfc(n) for _, _, n, _ in found]
    heading_line = {nfc(s.name): s.line for s in doc.all_sections()}
    for indent, name, target in expected:
        if nfc(name) not in found_names:
            line = heading_line.get(nfc(name)) or (doc.toc[-1][0] if doc.toc else len(doc.head))
            findings.append(Finding(line, f"section '{name}' is missing from the table of "
                                          f"contents (add '{indent}- [{name}]({target})')"))
    exp = {nfc(n): (indent, target) for indent, n, target in expected}
    for line, indent, name, target in found:
        if nfc(name) not in exp:
            findings.append(Finding(line, f"table of contents lists '{name}', which is not a "
                                          "heading of this file"))
            continue
        want_indent, want_target = exp[nfc(name)]
        if target != want_target:
            findings.append(Finding(line, f"wrong anchor '{target}' for '{name}': GitHub's is "
                                          f"'{want_target}'"))
        if indent != want_indent:
            findings.append(Finding(line, f"'{name}' is indented {len(indent)} spaces in the "
                                          f"table of contents; expected {len(want_indent)}"))
    common_found = [n for n in found_names if n in exp]
    common_exp = [n for n in exp_names if n in set(found_names)]
    if common_found != common_exp:
        for (line, _, name, _), want in zip([f for f in found if nfc(f[2]) in exp], common_exp):
            if nfc(name) != want:
                findings.append(Finding(line, f"table of contents out of order: '{name}' where "
                                              f"the headings have '{want}'"))
                break


def lint(text: str) -> list[Finding]:
    """All findings of a README's text, by line; a README without a list is one finding."""
    try:
        doc = parse(text)
    except BadInput as e:
        return [Finding(e.line or 1, e.message)]
    out = doc.findings
    if not out and doc.render() != text:
        out = [Finding(1, "the list does not render back to the same text (report this)")]
    return sorted(out, key=lambda f: f.line)
