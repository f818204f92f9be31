"""A README in the shape the upstream list had three months after the seed: ~180 entries in
9 leaf sections under nested `####` headings, built from the shared data (never copied).

    Teacher–Student–Based OPD                              ### (no entries of its own)
      Single Teacher, Multi-Teacher                         ####
    On-Policy Self-Distillation                            ###
    Cross-Tokenizer On-Policy Distillation with White-Box and Black-Box
      White-Box, Black-Box                                  ####
    Training Stability, Analysis, Data, Survey             ###

Entries, each once (by arXiv id and by normalised title):
1. the seed's 17 entries as the maintainer wrote them, in the section the later list gave
   them (`later_sections.jsonl`); the seed's Teacher–Student and Application entries
   otherwise go to Single Teacher, as upstream did with its one Application paper;
2. the 34 papers of `later_sections.jsonl` in their real later sections;
3. the positives of `windowA_labels.jsonl` and `windowB_labels.jsonl`, then their other
   labelled papers that some OPD list includes, then window A/B papers whose title is about
   distilling language models, until there are `size` entries; their metadata comes from
   `windowA/B.jsonl.gz`, and they are placed by their title (`place`), as a maintainer would
   file them at a glance.
Special entries, as the later list has them: the MiMo-V2-Flash report linked to its PDF on
GitHub (`TechnicalReport2026`, authors as upstream wrote them; a non-arXiv PDF, so keyed by its
URL while the same work is on arXiv as 2601.02780), a `Blog2026` entry (a blog post, written for
this test), the seed's `Blog2025` and `ICLR2024` entries, and one `arxiv.org/pdf/<id>v2` link.
Within a section entries stand in the maintainer's order, by (`YYYY.MM`, arXiv id).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from conftest import ARXIV, SEED_README
from store.files import read_papers
from store.paper import Paper, id_month, normalise_title
from store.markdown import escape
from store.listdoc import Entry, ListDoc, Section, label_sections
from store.readme import parse

TS, SINGLE, MULTI = "Teacher–Student–Based OPD", "Single Teacher", "Multi-Teacher"
SELF = "On-Policy Self-Distillation"
CROSS, WHITE, BLACK = ("Cross-Tokenizer On-Policy Distillation with White-Box and Black-Box",
                       "White-Box", "Black-Box")
STABILITY, ANALYSIS, DATA, SURVEY = "Training Stability", "Analysis", "Data", "Survey"
TREE = [(TS, [SINGLE, MULTI]), (SELF, []), (CROSS, [WHITE, BLACK]), (STABILITY, []),
        (ANALYSIS, []), (DATA, []), (SURVEY, [])]
LEAVES = [SINGLE, MULTI, SELF, WHITE, BLACK, STABILITY, ANALYSIS, DATA, SURVEY]

MIMO_PDF = "https://github.com/XiaomiMiMo/MiMo-V2-Flash/blob/main/paper.pdf"
BLOG = Entry(title="On-Policy Distillation at Scale: Notes from Post-Training Agents",
             authors="OPD list maintainers", url="https://example.org/blog/opd-at-scale/",
             date="2026.01", venue="Blog2026")
V2_ID = "2603.25562"          # "Revisiting On-Policy Distillation", linked as .../pdf/<id>v2


def leaf(later_name: str) -> str:
    """The leaf heading of a `later_sections.jsonl` name (`Parent / Child` or a top one)."""
    return later_name.split(" / ")[-1].strip()


_RULES = [(SURVEY, r"\bsurvey|\breview of\b"),
          (WHITE, r"tokeni[sz]er|vocabular|cross-architecture|logit"),
          (BLACK, r"black-box|api\b|proprietary|verbal"),
          (MULTI, r"multi-teacher|multiple teachers|teachers\b|ensemble"),
          (SELF, r"self-distill|self distill|self-evol|self-improv|context distill"),
          (STABILITY, r"stabl|collapse|entropy|variance|robust"),
          (DATA, r"\bdata|synthetic|curriculum|prompt"),
          (ANALYSIS, r"revisit|understand|analy|empirical|why\b|when\b|rethink|study")]


def place(title: str) -> str:
    """Where a maintainer would file a paper by its title; Single Teacher otherwise."""
    t = title.lower()
    for section, pattern in _RULES:
        if re.search(pattern, t):
            return section
    return SINGLE


@dataclass
class BigList:
    text: str                      # the README
    papers: list[Paper]            # full metadata of every listed arXiv paper, `section` = leaf
    sections: dict[str, str]       # arXiv id or URL -> leaf section


def _json_lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (ARXIV / name).read_text(encoding="utf-8").splitlines()
            if line.strip()]


@lru_cache(maxsize=1)
def window_papers() -> dict[str, Paper]:
    """Every paper of windows A and B by key (read once per test session)."""
    out: dict[str, Paper] = {}
    for name in ("windowA.jsonl.gz", "windowB.jsonl.gz"):
        for p in read_papers(ARXIV / name):
            out[p.key] = p
    return out


@lru_cache(maxsize=2)
def build(size: int = 180) -> BigList:
    seed = parse(SEED_README.read_text(encoding="utf-8"))
    later = {d["id"]: leaf(d["section"]) for d in _json_lines("later_sections.jsonl")}
    meta: dict[str, Paper] = {p.key: p for p in read_papers(ARXIV / "list_papers.jsonl")}
    for p in read_papers(ARXIV / "later_sections.jsonl"):
        meta.setdefault(p.key, p)
    window = window_papers()
    entries: dict[str, tuple[str, Entry]] = {}      # key -> (leaf, entry)
    titles: set[str] = set()

    def add(section: str, e: Entry) -> None:
        t = normalise_title(e.plain_title)
        if e.key in entries or t in titles or len(entries) >= size:
            return
        entries[e.key] = (section, e)
        titles.add(t)

    def entry_of(p: Paper, venue: str = "") -> Entry:
        month = id_month(p.key)
        return Entry(title=escape(p.title), authors=escape(", ".join(p.authors)),
                     url=f"https://arxiv.org/pdf/{p.key}", date=month,
                     venue=venue or f"Arxiv{month[:4]}")

    # the two special entries first, so the arXiv twin of the MiMo report stays out
    add(MULTI, Entry(title="MiMo-V2-Flash Technical Report", authors="LLM-Core Xiaomi",
                     url=MIMO_PDF, date="2026.01", venue="TechnicalReport2026"))
    add(SINGLE, BLOG)
    # 1. the seed's entries as written
    for sec, e in seed.entries():
        add(later.get(e.arxiv_id or "", SINGLE if sec.name != SELF else SELF), e)
    # 2. the later list's papers in their real sections
    for pid, section in later.items():
        p = meta.get(pid) or window.get(pid)
        e = entry_of(p)
        if pid == V2_ID:
            e.url = f"https://arxiv.org/pdf/{pid}v2"
        add(section, e)
    # 3. window A/B: positives, other labelled papers some list has, then distillation titles
    labels = _json_lines("windowA_labels.jsonl") + _json_lines("windowB_labels.jsonl")
    ranked = [d for d in labels if d.get("positive")] + \
        [d for d in labels if not d.get("positive") and not d.get("negative")]
    for d in ranked:
        p = window.get(d["id"]) or meta.get(d["id"])
        if p is not None:
            add(leaf(d["section"]) if d.get("section") else place(p.title), entry_of(p))
    for key in sorted(window):          # surveys of distillation (one in the windows)
        p = window[key]
        if re.search(r"survey", p.title, re.I) and re.search(r"distill", p.title, re.I):
            add(SURVEY, entry_of(p))
    about = re.compile(r"distill", re.I)
    llm = re.compile(r"language model|LLM|reason|policy|reinforcement|agent", re.I)
    for key in sorted(window):
        p = window[key]
        if about.search(p.title) and llm.search(p.title) and \
                "dataset distillation" not in p.title.lower():
            add(place(p.title), entry_of(p))
    if len(entries) < size:
        raise AssertionError(f"only {len(entries)} entries for a list of {size}")

    # the document: the seed's text around a list of nested sections
    doc: ListDoc = replace(seed, sections=[])
    by_leaf: dict[str, list[Entry]] = {s: [] for s in LEAVES}
    for section, e in entries.values():
        by_leaf[section].append(e)
    for top, children in TREE:
        parent = Section(name=top, level=3, raw=f"### {top}")
        doc.sections.append(parent)
        for child in children:
            parent.children.append(Section(name=child, level=4, raw=f"#### {child}",
                                           parent=parent))
        for s in parent.walk():
            if s.is_leaf:
                s.entries = sorted(by_leaf[s.name], key=Entry.sort_key)
                s.gap_after_entries = 1
            else:
                s.gap_after_heading = 1
    doc.sections[-1].gap_after_entries = 0      # the file ends with the list, as the seed does
    label_sections(doc)
    text = doc.render()

    papers, sections = [], {}
    for key, (section, e) in entries.items():
        sections[key] = section
        p = meta.get(key) or window.get(key)
        if e.arxiv_id and p is not None:
            papers.append(replace(p, section=section))
    return BigList(text=text, papers=papers, sections=sections)
