"""README.md is the list: its strict grammar, parse and lint.

`parse` cuts the text into the parts of a `ListDoc` (store/listdoc.py) and collects every
problem as a `Finding` (never raised), so `lint` can report them all; `render` of what it
parsed gives back the same bytes. The lines of an entry are read by the templates that write
them (`listdoc.TITLE_LINE`, `AUTHORS_LINE`, `BADGE`). Blank lines after a heading and after a
section's entries are kept as found; blank lines between two entries of one section are a
finding. A missing final newline is kept (no upstream README has one). Parsing any README of
the list's history and rendering it again gives identical bytes.
"""
from __future__ import annotations

import re
from typing import Optional

from store.errors import BadInput
from store.listdoc import (AUTHORS_LINE, BADGE, BADGE_URL, HEADING, TITLE_LINE, Entry,
                           Finding, ListDoc, Section, label_sections, nfc)
from store.markdown import markup_problems
from store.paper import normalise_title


def _reader(template: str, **places: str) -> re.Pattern:
    """A regular expression reading the lines `template` writes, each place a named group
    of the pattern given."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("^" + "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>{places[p]})"
                                    for i, p in enumerate(parts)) + "$")


TITLE = _reader(TITLE_LINE, title=r".+", brk=r"\s*")
AUTHORS = _reader(AUTHORS_LINE, authors=r".+", url=r"[^\s]+?", date=r"\S+", badge=r"[^)]+")
BADGE_OF = _reader(BADGE, venue=r".+")
VENUE = re.compile(r"^[A-Za-z0-9_.+]+(?:--[A-Za-z0-9_.+]+)*$")
DATE = re.compile(r"^(\d{4})\.(0[1-9]|1[0-2])$")
TOC_LINE = re.compile(r"^(?P<indent> *)- \[(?P<name>.*)\]\((?P<target>[^)]*)\)\s*$")
URL = re.compile(r"^https?://\S+$")
SAFE_URL = re.compile(r"^https?://[^\s()<>\[\]\"'`]+$")


def badge(text: str) -> Optional[str]:
    """A venue as the list writes its badge, one word: ``ICML 2026`` -> ``ICML2026``; None
    when it cannot be one (characters a badge cannot hold)."""
    venue = "".join(text.split())
    return venue if VENUE.match(venue) else None


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
    label_sections(doc)
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
        t = TITLE.match(line)
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
    t = TITLE.match(lines[i])
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
    a = AUTHORS.match(lines[i + 1])
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
    b = BADGE_OF.match(a.group("badge"))
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
    if not TITLE.match(lines[0]):
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
