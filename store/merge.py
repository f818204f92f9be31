"""`opdlist merge` as a pure function: review decisions + the list -> new file contents.

Approved candidates go into their section before the first newer entry, with the title,
authors, section and venue as they stand in the review file; rejected ones go to the
decisions file; decided candidates leave the review file, undecided ones stay. An approved
update of a listed entry (`update:` venue, title or withdrawn, from `opdlist refresh`) is
applied in place: the entry keeps its section and position (a withdrawn one leaves the list).
Every fault of the review file is collected (one line each) before anything is decided, and a
result that would not lint is refused naming the review file's line it came from.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Optional

from store.decisions import Decision, render_decisions
from store.errors import BadInput, Faults
from store.listfile import render_text
from store.paper import KnownPapers, arxiv_id, id_month
from store.markdown import escape_entry, unescape
from store.listdoc import Entry, ListDoc, Section
from store.readme import DATE, SAFE_URL, VENUE, entry_problems, parse
from store.candidate import Candidate, default_venue
from store.review import ReviewFile

# characters that cannot stand in one line of the list: C0/C1 controls, DEL, line separators
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass
class MergePlan:
    added: list[tuple[Candidate, Section, Entry]] = field(default_factory=list)
    already_listed: list[Candidate] = field(default_factory=list)
    rejected: list[Candidate] = field(default_factory=list)
    updated: list[tuple[Candidate, Entry]] = field(default_factory=list)
    unlisted: list[Candidate] = field(default_factory=list)   # updates of entries gone since
    undecided: int = 0
    readme: str = ""
    review: str = ""
    decisions: str = ""

    @property
    def decided(self) -> list[Candidate]:
        return [c for c, _, _ in self.added] + self.already_listed + self.rejected + \
            [c for c, _ in self.updated] + self.unlisted


def _entry(c: Candidate, doc: ListDoc, file: str) -> tuple[Section, Entry]:
    """The README entry of an approved candidate; BadInput naming the line of the fault."""
    def bad(name: str, msg: str) -> BadInput:
        return BadInput(msg, file=file, line=c.line_of(name), field=name)

    p = c.paper
    authors = c.authors_text if c.authors_text is not None else ", ".join(p.authors)
    for name, value in (("title", p.title), ("authors", authors), ("section", c.section),
                        ("venue", c.venue), ("link", p.link)):
        bad_char = _CONTROL.search(value or "")
        if bad_char:
            what = "a line break" if bad_char.group() in "\n\r\x85\u2028\u2029" else \
                f"the control character U+{ord(bad_char.group()):04X}"
            raise bad(name, f"contains {what}; an entry is one line of text")
    if p.link and not SAFE_URL.match(p.link):
        raise bad("link", f"'{p.link}' is not an http(s) URL the list can link to (no spaces, "
                          "'(', ')', '<' or '>'; percent-encode them)")
    aid = arxiv_id(p.id) or arxiv_id(p.link)
    if not aid and not p.link:
        raise bad("id", "an approved candidate needs an arXiv 'id' or a 'link'")
    if not p.title:
        raise bad("title", "an approved candidate needs a title")
    if not p.authors:
        raise bad("authors", "an approved candidate needs authors")
    if not c.section:
        raise bad("section", "an approved candidate needs a section")
    try:
        section = doc.find_section(c.section)
        if not section.is_leaf:
            raise BadInput(f"'{section.label}' has subsections; choose one of "
                           f"{', '.join(s.label for s in section.children)}")
    except BadInput as e:
        raise bad("section", e.message) from None
    venue = c.venue or default_venue(aid or "")
    if not venue:
        raise bad("venue", "a paper without an arXiv id needs a venue")
    if not VENUE.match(venue):
        raise bad("venue", f"venue '{venue}' must be one word of letters, digits, '_' or '.' "
                           "(it becomes a badge), e.g. ICLR2024")
    date = c.date or (id_month(aid) if aid else "") or \
        (c.announced[:7].replace("-", ".") if re.match(r"^\d{4}-\d{2}", c.announced) else "")
    if not DATE.match(date):
        raise bad("date", "a paper without an arXiv id needs 'date: YYYY.MM' or 'announced'")
    link = p.link or f"https://arxiv.org/pdf/{aid}"
    # the entry's own full stop follows the author line (``*A, B et al*.``): one typed at its
    # end ("et al.", "Jr.") is not doubled
    authors = authors.rstrip()
    authors = authors[:-1].rstrip() if authors.endswith(".") else authors
    title, authors = escape_entry(p.title, authors)
    entry = Entry(title=title, authors=authors, url=link, date=date, venue=venue)
    for line, message in entry_problems(entry):     # what lint would say, at the file's line
        name = "title" if line == 1 else next(
            (f for f in ("link", "date", "venue") if f in message), "authors")
        raise bad(name, f"the entry would not lint: {message}")
    return section, entry


def _update(c: Candidate, doc: ListDoc, file: str) -> Optional[tuple[Section, Entry]]:
    """Apply the approved update `c` to its entry in `doc`; (section, entry), or None when
    the entry is no longer listed. BadInput naming the review file's line of a fault."""
    def bad(name: str, msg: str) -> BadInput:
        return BadInput(msg, file=file, line=c.line_of(name), field=name)

    found = next(((s, e) for s, e in doc.entries() if e.key == c.key), None)
    if found is None:
        return None
    section, e = found
    if c.update == "venue":
        if not VENUE.match(c.venue or ""):
            raise bad("venue", f"venue '{c.venue}' must be one word of letters, digits, '_' or "
                               "'.' (it becomes a badge), e.g. ICLR2024")
        e.venue = c.venue
    elif c.update == "title":
        if not c.title.strip() or _CONTROL.search(c.title):
            raise bad("title", "an approved title update needs a title on one line")
        e.title = escape_entry(c.title, unescape(e.authors))[0]
    elif c.update == "withdrawn":
        doc.remove(section, e)
        return section, e
    else:
        raise bad("update", f"update must be venue, title or withdrawn, not '{c.update}'")
    for line, message in entry_problems(e):
        raise bad("title" if line == 1 else "venue", f"the entry would not lint: {message}")
    return section, e


def plan_merge(doc: ListDoc, review: ReviewFile, decisions: list[Decision],
               today: str) -> MergePlan:
    """What merge would write. Raises Faults listing every fault of the review file."""
    file = str(review.path)
    plan = MergePlan()
    faults: list[BadInput] = []
    entries: list[tuple[Candidate, Section, Entry]] = []
    updates: list[Candidate] = []
    for c in review.candidates:
        if c.decision == "approve" and c.update:
            updates.append(c)
        elif c.decision == "approve":
            try:
                entries.append((c, *_entry(c, doc, file)))
            except BadInput as e:
                faults.append(e)
        elif c.decision == "reject":
            if not (c.paper.id or c.paper.link):
                faults.append(BadInput("a rejected candidate needs an 'id' or a 'link'", file=file,
                                       line=c.line, field="id"))
            else:
                plan.rejected.append(c)
        else:
            plan.undecided += 1
    for c in updates:
        try:
            done = _update(c, doc, file)
        except BadInput as e:
            faults.append(e)
            continue
        (plan.updated.append((c, done[1])) if done else plan.unlisted.append(c))
    if faults:
        raise Faults(faults)

    listed = KnownPapers()
    for _, e in doc.entries():
        listed.add(e.key, e.plain_title)
    for c, section, entry in entries:
        if listed.has(entry.key, entry.plain_title):
            plan.already_listed.append(c)
            continue
        doc.insert(section, entry)
        listed.add(entry.key, entry.plain_title)
        plan.added.append((c, section, entry))

    new_decisions = list(decisions)
    for c, section, entry in plan.added:
        paper = dataclasses.replace(c.paper, section=section.label, link=entry.url)
        new_decisions.append(Decision(paper, "approve", today, entry.venue, c.note,
                                      source=c.source))
    for c in plan.already_listed:
        new_decisions.append(Decision(c.paper, "approve", today, c.venue, c.note))
    for c in plan.rejected:
        paper = dataclasses.replace(c.paper, section=None)
        new_decisions.append(Decision(paper, "reject", today, c.venue if c.update else "",
                                      c.note, c.update, c.source))
    for c, _ in plan.updated:
        new_decisions.append(Decision(c.paper, "approve", today, c.venue, c.note, c.update,
                                      c.source))
    review.remove(plan.decided)
    plan.readme = _rendered(doc, plan, file)
    plan.review = review.dump()
    plan.decisions = render_decisions(new_decisions)
    return plan


def _rendered(doc: ListDoc, plan: MergePlan, file: str) -> str:
    """The new README, which must lint; a fault is named at the review file's line of the
    candidate whose entry it is in."""
    try:
        return render_text(doc)
    except BadInput as e:
        text = doc.render()
        at = parse(text).entries() if e.line else ()
        entry = next((x for _, x in at if x.line <= e.line <= x.line + 1), None)
        culprit = next((c for c, _, x in plan.added if entry and x.key == entry.key), None) or \
            next((c for c, x in plan.updated if entry and x.key == entry.key), None)
        if culprit is None:
            raise
        raise BadInput(f"the entry would not lint in the list: {e.message}", file=file,
                       line=culprit.line, field="title") from None
