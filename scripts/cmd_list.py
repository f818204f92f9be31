"""`lint`, `render` and `section add`: the list in README.md as data."""
from __future__ import annotations

import sys

from scripts.cli import subcommand
from store import listfile
from store.errors import BadInput
from store.lock import RepoLock


def run_lint(args, cfg) -> int:
    problems = listfile.findings(cfg.readme_path)
    for f in problems:
        print(f"{cfg.readme}:{f.line}: {f.message}")
    if problems:
        print(f"{cfg.readme}: {len(problems)} problem(s)", file=sys.stderr)
        return 2
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
    where = f" under '{args.under}'" if args.under else ""
    print(f"{cfg.readme}: added section '{sec.label}'{where}")
    return 0


def register(sub) -> None:
    p = subcommand(sub, "lint", "Check README.md against the list grammar; print each problem "
                   "as README.md:LINE: message (exit 2 when there is any)", "opdlist lint")
    p.set_defaults(func=run_lint)
    p = subcommand(sub, "render", "Rebuild the list and its table of contents in README.md from "
                   "the parsed list (refuses a README that does not lint)", "opdlist render")
    p.set_defaults(func=run_render)
    p = subcommand(sub, "section", "Manage the list's sections",
                   "opdlist section add 'Multi-Teacher' --under 'Teacher–Student–Based OPD'")
    ssub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=type(p))
    ssub.required = True
    a = subcommand(ssub, "add", "Add a section heading to the list and its line to the table "
                   "of contents", "opdlist section add 'Training Stability'")
    a.add_argument("name", help="the heading text of the new section")
    a.add_argument("--under", metavar="PARENT", help="make it a #### subsection of PARENT")
    a.set_defaults(func=run_section_add)
