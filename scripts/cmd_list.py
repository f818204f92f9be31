"""`lint`, `render`, `section add` and `section move`: the list in README.md as data."""
from __future__ import annotations

import sys

from scripts.cli import subcommand
from store import listfile
from store.errors import BadInput
from store.lock import RepoLock
from store.paper import paper_key


def run_lint(args, cfg) -> int:
    problems = listfile.findings(cfg.readme_path)
    for f in problems:
        print(f"{cfg.readme}:{f.line}: {f.message}")
    if problems:
        print(f"{cfg.readme}: {len(problems)} problem(s)", file=sys.stderr)
        return 2
    doc = listfile.load(cfg.readme_path, strict=False)
    print(f"{cfg.readme}: {sum(1 for _ in doc.entries())} paper(s) in "
          f"{len(doc.leaves())} section(s), no problem")
    return 0


def run_render(args, cfg) -> int:
    with RepoLock(cfg.lock_path, cfg.run_budget):
        doc = listfile.load(cfg.readme_path)   # refuses a README that does not lint
        changed = listfile.save(cfg.readme_path, doc)
    print(f"{cfg.readme}: {'rewritten' if changed else 'unchanged'}")
    return 0


def run_section_add(args, cfg) -> int:
    with RepoLock(cfg.lock_path, cfg.run_budget):
        doc = listfile.load(cfg.readme_path)
        sec = doc.add_section(args.name, under=args.under)
        listfile.save(cfg.readme_path, doc)
    where = f" under '{sec.parent.label}'" if sec.parent else ""
    took = f"; it holds the {len(sec.entries)} entries of '{sec.parent.label}' (move them on " \
        "with 'opdlist section move')" if sec.entries else ""
    print(f"{cfg.readme}: added section '{sec.label}'{where}{took}")
    return 0


def run_section_move(args, cfg) -> int:
    if bool(args.ids) == bool(args.all):
        raise BadInput("give the entries to move (arXiv ids or links) or --all FROM, not both",
                       field="ID")
    with RepoLock(cfg.lock_path, cfg.run_budget):
        doc = listfile.load(cfg.readme_path)
        target = doc.find_section(args.to)
        if args.all:
            source = doc.find_section(args.all)
            moving = [(source, e) for e in source.entries]
            if not moving:
                raise BadInput(f"section '{source.label}' holds no entries", field="--all")
        else:
            by_key = {e.key: (s, e) for s, e in doc.entries()}
            moving, unknown = [], []
            for given in args.ids:
                found = by_key.get(paper_key(given)) or by_key.get(given)
                (moving.append(found) if found else unknown.append(given))
            if unknown:
                raise BadInput(f"not in the list: {', '.join(unknown)} (give arXiv ids or "
                               "the links of the entries)", field="ID")
        moved = doc.move(moving, target)
        listfile.save(cfg.readme_path, doc)
    for e in moved:
        print(f"> {e.arxiv_id or e.url}  {e.plain_title}  -> {target.label}")
    print(f"{cfg.readme}: moved {len(moved)} entr{'y' if len(moved) == 1 else 'ies'} to "
          f"'{target.label}'")
    return 0


def register(sub) -> None:
    p = subcommand(sub, "lint", "Check README.md against the list grammar; print each problem "
                   "as README.md:LINE: message (exit 2 when there is any)", "opdlist lint")
    p.set_defaults(func=run_lint)
    p = subcommand(sub, "render", "Rebuild the list and its table of contents in README.md from "
                   "the parsed list (refuses a README that does not lint)", "opdlist render")
    p.set_defaults(func=run_render)
    p = subcommand(sub, "section", "Manage the list's sections: add one, move entries between "
                   "them (split a section into #### subsections: add them, then move)",
                   "opdlist section add 'Single Teacher' --under 'Teacher–Student–Based OPD'\n"
                   "  opdlist section add 'Multi-Teacher' --under 'Teacher–Student–Based OPD'\n"
                   "  opdlist section move 2505.09388 --to 'Multi-Teacher'")
    ssub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    ssub.required = True
    a = subcommand(ssub, "add", "Add a section heading to the list and its line to the table "
                   "of contents; the first subsection of a section with entries takes them",
                   "opdlist section add 'Single Teacher' --under 'Teacher–Student–Based OPD'")
    a.add_argument("name", help="the heading text of the new section")
    a.add_argument("--under", metavar="PARENT", help="make it a #### subsection of PARENT")
    a.set_defaults(func=run_section_add)
    m = subcommand(ssub, "move", "Move entries (by arXiv id or link, or all of a section) into "
                   "another section, keeping their order; README.md is re-rendered",
                   "opdlist section move 2601.18734 2601.19897 --to 'Training Stability'\n"
                   "  opdlist section move --all 'Application' --to 'Single Teacher'")
    m.add_argument("ids", nargs="*", metavar="ID", help="arXiv id or link of an entry")
    m.add_argument("--all", metavar="FROM", help="every entry of section FROM")
    m.add_argument("--to", required=True, metavar="SECTION", help="the section they go to")
    m.set_defaults(func=run_section_move)
