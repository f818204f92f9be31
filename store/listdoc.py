"""The list as data: the parts of README.md, its sections and their entries.

The document is cut into five parts, and only two of them are rebuilt on render:

    head      everything up to the table of contents (intro, badges, "## Content")  kept as is
    toc       the "- [Name](#slug)" lines under "## Content"                         rebuilt
    middle    from the end of the TOC to "## Papers" (keyword convention, ...)       kept as is
    papers    "## Papers" and its "###"/"####" sections of entries                   rebuilt
    tail      everything after the list (e.g. "## Maintaining this list")            kept as is

An entry is exactly two lines, `TITLE_LINE` and `AUTHORS_LINE` (note the two trailing spaces
of the first), the one definition of its format: `Entry.render` writes it and the grammar
(store/readme.py) reads it by the same templates::

    - **<Title>**  
      *<Authors>*. [[pdf](<url>)], <YYYY.MM>. ![](https://img.shields.io/badge/<Venue>-orange)

Papers live in leaf sections, named by their heading text, or "Parent / Child" where the
text alone is ambiguous. The TOC lists every "##" heading of the document in order and,
nested under Papers, the paper sections, indented two spaces per level, with GitHub's
anchor slugs (`slug`). The changes (`insert`, `remove`, `add_section`, `move`) keep the
blank lines as a maintainer would.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Iterator, Optional

from store.errors import BadInput
from store.markdown import unescape
from store.paper import arxiv_id, paper_key

# the format of an entry, its places `str.format` fields: the one definition of it
BADGE_URL = "https://img.shields.io/badge/"
TITLE_LINE = "- **{title}**{brk}"                     # brk: the Markdown line break, "  "
AUTHORS_LINE = "  *{authors}*. [[pdf]({url})], {date}. ![]({badge})"
BADGE = BADGE_URL + "{venue}-orange"
HEADING = re.compile(r"^(?P<hashes>#{1,6}) (?P<text>.*?)\s*$")


def slug(text: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    s = text.strip().lower()
    s = "".join(c for c in s if c.isalnum() or c in " -_" or unicodedata.category(c) == "Mn")
    return s.replace(" ", "-")


def nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip()


@dataclass
class Finding:
    line: int
    message: str


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
        return [TITLE_LINE.format(title=self.title, brk="  "),
                AUTHORS_LINE.format(authors=self.authors, url=self.url, date=self.date,
                                    badge=BADGE.format(venue=self.venue))]


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
        label_sections(self)
        return sec

    def move(self, moving: list[tuple[Section, Entry]], target: Section) -> list[Entry]:
        """Move entries into `target`, keeping the order they have in the list: into an empty
        section as they are, into one with entries each before the first newer one (where
        merge would put it). Returns the entries moved (those already in `target` stay)."""
        if not target.is_leaf:
            raise BadInput(f"section '{target.label}' has subsections; papers go into one of "
                           f"them ({', '.join(c.label for c in target.children)})",
                           field="to")
        order = {e.key: i for i, (_, e) in enumerate(self.entries())}
        moving = sorted(((s, e) for s, e in moving if s is not target),
                        key=lambda se: order[se[1].key])
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


def label_sections(doc: ListDoc) -> None:
    """A section's label is its heading text, or "Parent / Child" where the text is shared."""
    sections = doc.all_sections()
    counts: dict[str, int] = {}
    for s in sections:
        counts[nfc(s.name)] = counts.get(nfc(s.name), 0) + 1
    for s in sections:
        ambiguous = counts[nfc(s.name)] > 1 and s.parent is not None
        s.label = f"{s.parent.name} / {s.name}" if ambiguous else s.name
