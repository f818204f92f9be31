"""`pr-body` and `decide`: deciding in the candidates pull request.

`pr-body` prints the Markdown body of the pull request, for the workflows: each undecided
candidate of the review file with its linked title, score, suggested section (and runner-up),
why, the closest listed paper, task-list boxes to tick (approve, approve into the runner-up
section, reject) and the line of `review/candidates.yaml` where its `decision:` goes for those
who prefer the file. Each box's line carries a hidden marker with the candidate's id
(``<!-- opdlist approve 2601.07155 -->``). GitHub refuses a body over 65,536 characters, so
after a long catch-up the list is cut with a note saying how many more wait in the file.

`decide --pr-body FILE` reads such a body after the maintainer ticked boxes in it and writes
the decisions into the review file (round-trip YAML: comments survive). A candidate with
conflicting ticks stays undecided; a tick for an id that is not a candidate, or for one
decided otherwise in the file meanwhile, changes nothing (a warning says so). What GitHub does
to a body edited in the browser (CRLF line endings) and a hand-typed `[X]` are read alike.
"""
from __future__ import annotations

import logging
import re
import sys
from collections import Counter
from pathlib import Path

from ruamel.yaml.scalarstring import PlainScalarString

from scripts.cli import subcommand
from store.errors import BadInput
from store.files import atomic_write
from store.lock import RepoLock
from store.paper import arxiv_id
from store.candidate import Candidate
from store.markdown import escape
from store.review import read_review

log = logging.getLogger("opdlist")

GITHUB_BODY_LIMIT = 65536


def _md(text: str, where: str = "line") -> str:
    """Plain text, one line, written so that GitHub shows it as it is in its place of the
    body (`store.markdown.escape`: the one escaper, judged by GitHub's renderer)."""
    return escape(str(text), where) if str(text).strip() else ""


def _link(c: Candidate) -> str:
    aid = arxiv_id(c.paper.id) or arxiv_id(c.paper.link)
    return f"https://arxiv.org/abs/{aid}" if aid else (c.paper.link or "")


def _where(c: Candidate, review_file: str, file_url: str) -> str:
    """How to decide a candidate: the boxes, or its line of the review file."""
    line = c.lines.get("decision")
    where = f"{review_file} line {line or c.line}"
    if file_url:
        where = f"[{where}]({file_url}#L{line or c.line})"
    what = "set" if line else "add"
    return f"decide: tick a box, or in the file {where}: {what} `decision: approve` or " \
           "`decision: reject`"


def candidate_md(n: int, c: Candidate, review_file: str, file_url: str) -> str:
    """One numbered item: linked title, score, section, venue, why, like, where to decide."""
    title = _md(c.paper.title, "link") or _md(c.paper.id, "link")
    link = _link(c)
    head = f"[{title}]({link})" if link else title
    score = f"{c.score:.2f}" if c.score is not None else "?"
    section = f"*{_md(c.section, 'emphasis')}*" if c.section else "*(no section)*"
    if c.section_alternative:
        section += f" (or *{_md(c.section_alternative, 'emphasis')}*)"
    ident = f"`{c.paper.id}`" if c.paper.id else ""
    pad = " " * len(f"{n}. ")        # the item's content column, whatever its number's width
    lines = [f"{n}. **{head}** {ident}",
             f"{pad}score **{score}** · section {section} · announced {c.announced or '?'}"]
    if c.source:
        lines.append(f"{pad}venue **{_md(c.venue)}**: {_md(c.source)}")
    if c.why:
        lines.append(f"{pad}why: {_md(', '.join(c.why))}")
    if c.like:
        lines.append(f"{pad}like: {_md(str(c.like))}")
    lines.append(pad + _where(c, review_file, file_url))
    # the boxes last: a line after them would continue the last box's text
    lines += [pad + box for box in boxes(c)]
    return "\n".join(lines) + "\n"


def update_md(n: int, c: Candidate, review_file: str, file_url: str) -> str:
    """One numbered update of a listed entry: what changes, the words that call for it."""
    link = _link(c)
    title = _md(c.was if c.update == "title" else c.paper.title, "link")
    head = f"[{title}]({link})" if link else title
    pad = " " * len(f"{n}. ")
    lines = [f"{n}. **{head}** `{c.paper.id}` ({_md(c.section)})", f"{pad}{_md(c.change())}",
             f"{pad}because: {_md(c.source)}", pad + _where(c, review_file, file_url)]
    lines += [pad + box for box in boxes(c)]
    return "\n".join(lines) + "\n"


# ---- the boxes -----------------------------------------------------------------------------------

APPROVE, ALTERNATIVE, REJECT = "approve", "approve-alternative", "reject"
# a task-list item ("- [ ]", "* [x]", "1. [X]") whose line carries a marker: box, action, id
_BOX = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[([ xX])\].*?"
                  r"<!--[ \t]*opdlist[ \t]+(approve|approve-alternative|reject)[ \t]+(\S+)[ \t]*-->")


def boxes(c: Candidate) -> list[str]:
    """The task-list items of one undecided candidate, each line with its hidden marker."""
    key = c.ref
    into = f" into *{_md(c.section, 'emphasis')}*" if c.section and not c.update else ""
    items = [f"- [ ] approve{into} <!-- opdlist {APPROVE} {key} -->"]
    if c.section_alternative and not c.update:
        items.append(f"- [ ] approve into *{_md(c.section_alternative, 'emphasis')}* (the "
                     f"runner-up section) <!-- opdlist {ALTERNATIVE} {key} -->")
    items.append(f"- [ ] reject <!-- opdlist {REJECT} {key} -->")
    return items


def ticked(body: str) -> dict[str, dict[str, int]]:
    """The ticked boxes of a pull-request body: id -> {action: line number}."""
    found: dict[str, dict[str, int]] = {}
    for n, line in enumerate(body.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        m = _BOX.match(line)
        if m and m.group(1) in "xX":
            found.setdefault(m.group(3), {}).setdefault(m.group(2), n)
    return found


def pr_body(review, review_file: str, *, file_url: str = "",
            limit: int = GITHUB_BODY_LIMIT) -> str:
    """The pull-request body for the review file REVIEW, at most LIMIT characters: the new
    candidates by listing day, then the updates of listed entries apart."""
    todo = [c for c in review.candidates if not c.decision and not c.update]
    updates = [c for c in review.candidates if not c.decision and c.update]
    decided = Counter(c.decision for c in review.candidates if c.decision)
    head = [f"## {len(todo)} candidate(s) to decide in `{review_file}`"
            + (f", and {len(updates)} update(s) of listed entries" if updates else ""), ""]
    if decided:
        head += [f"Already decided in this branch: {decided['approve']} approved, "
                 f"{decided['reject']} rejected (applied when this pull request is merged).", ""]
    head += ["Tick approve or reject for each candidate (or approve into the runner-up "
             "section where one is offered): the bot writes your decisions into "
             f"`{review_file}` on this branch (see Files changed) and refreshes this "
             "description (ticks count from people with write access to the repository; a "
             "candidate with both ticked stays undecided). You can also edit "
             f"`{review_file}` in this pull request (Files changed → ⋯ → Edit file, or push to "
             "this branch): set `decision: approve` or `decision: reject` on the line given; "
             "change `section`, `venue`, `title` or `authors` if needed; a comment you write "
             "is kept. Then merge the pull request (merge commit, squash or rebase): the merge "
             "workflow adds the approved papers to README.md, applies the approved updates in "
             "place and keeps the rejected papers as negatives. Undecided ones stay for the "
             "next pull request.", ""]
    if not todo and not updates:
        head.append("Nothing left to decide: merge this pull request to apply the decisions"
                    if decided else "Nothing to decide today: merging this pull request saves "
                    "the crawl state (the cursor) on main.")
    text = "\n".join(head) + "\n"
    parts: list[str] = []
    day = None
    for n, c in enumerate(todo, 1):
        part = ""
        if c.announced != day:
            day = c.announced
            count = sum(1 for x in todo if x.announced == day)
            part += f"\n### Announced {day or '(no date)'} ({count})\n\n"
        parts.append(part + candidate_md(n, c, review_file, file_url))
    for n, c in enumerate(updates, len(todo) + 1):
        head_ = f"\n### Updates of listed entries ({len(updates)})\n\n" if n == len(todo) + 1 \
            else ""
        parts.append(head_ + update_md(n, c, review_file, file_url))

    def note(left: int) -> str:
        return (f"\n**… and {left} more candidate(s) not shown here** (GitHub limits a "
                f"pull-request body to {limit:,} characters): see `{review_file}`.\n")

    for n, part in enumerate(parts, 1):
        after = len(parts) - n
        if len(text) + len(part) + (len(note(after)) if after else 0) > limit:
            return text + note(after + 1)
        text += part
    return text


def run_pr_body(args, cfg) -> int:
    review = read_review(cfg.review_path)
    body = pr_body(review, cfg.review_file, file_url=args.file_url, limit=args.limit)
    sys.stdout.write(body)
    return 0


# ---- decide ------------------------------------------------------------------------------------

def plan_decisions(review, ticks: dict[str, dict[str, int]], shown: str):
    """What the ticks change: [(index, candidate, decision, section or None)] and the warnings
    (one line each, naming the body's line)."""
    at = {c.ref: i for i, c in enumerate(review.candidates)}
    changes, warnings = [], []
    for key, actions in ticks.items():
        line = min(actions.values())
        where = f"{shown}:{line}: {key}"
        if key not in at:
            warnings.append(f"{where} is not a candidate in {review.path.name}: its tick "
                            "changes nothing")
            continue
        i = at[key]
        c = review.candidates[i]
        if len(actions) > 1:
            warnings.append(f"{where}: {' and '.join(sorted(actions))} are both ticked: left "
                            "undecided (untick one)")
            continue
        (action,) = actions
        section = None
        if action == ALTERNATIVE:
            section = c.section_alternative
            if not section:
                warnings.append(f"{where} has no runner-up section: its tick changes nothing")
                continue
        decision = REJECT if action == REJECT else APPROVE
        if c.decision:
            if c.decision != decision or (section and section != c.section):
                warnings.append(f"{where} is already decided in the file ({c.decision} into "
                                f"'{c.section}'): its tick changes nothing; edit the file to "
                                "change the decision")
            continue
        changes.append((i, c, decision, section))
    return changes, warnings


def run_decide(args, cfg) -> int:
    path = Path(args.pr_body)
    shown = str(path)
    try:
        body = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise BadInput("no such file", file=shown) from None
    except UnicodeDecodeError as e:
        raise BadInput("not valid UTF-8", file=shown,
                       line=path.read_bytes()[:e.start].count(b"\n") + 1) from None
    except OSError as e:
        raise BadInput(f"cannot read it ({e.strerror})", file=shown) from None
    ticks = ticked(body)
    from scripts.daily import repair
    with RepoLock(cfg.lock_path, cfg.run_budget):
        repair(cfg)
        review = read_review(cfg.review_path)
        changes, warnings = plan_decisions(review, ticks, shown)
        for w in warnings:
            log.warning("warning: %s", w)
        if changes:
            items = review.data["candidates"]
            for i, c, decision, section in changes:
                # `decision: approve`, as the maintainer types it (ruamel.yaml would keep the
                # quotes of `decision: ""`); the section keeps its quoting
                items[i]["decision"] = PlainScalarString(decision)
                if section:
                    items[i]["section"] = section
            atomic_write(cfg.review_path, review.dump())
    for i, c, decision, section in changes:
        into = f" into '{section or c.section}'" if decision == APPROVE else ""
        print(f"{decision} {c.ref}{into}: {c.paper.title}")
    if not changes:
        print(f"no new decision in {shown} ({len(ticks)} candidate(s) ticked)")
    return 0


def register(sub) -> None:
    p = subcommand(sub, "pr-body", "Print the Markdown body of the candidates pull request: "
                   "each undecided candidate with linked title, score, suggested section, why "
                   "and the line of the review file where to decide (within GitHub's body "
                   "limit)",
                   "opdlist pr-body --file-url https://github.com/me/list/blob/opdlist/"
                   "candidates/review/candidates.yaml > body.md")
    p.add_argument("--file-url", default="", metavar="URL",
                   help="link each 'line N' to URL#LN (the review file on the branch)")
    p.add_argument("--limit", type=int, default=GITHUB_BODY_LIMIT, metavar="CHARS",
                   help=f"the longest body to print (default {GITHUB_BODY_LIMIT}, GitHub's)")
    p.set_defaults(func=run_pr_body)
    p = subcommand(sub, "decide", "Turn the boxes ticked in the candidates pull request's body "
                   "into decisions in the review file: approve, reject, or approve into the "
                   "runner-up section; a candidate with conflicting ticks stays undecided, a "
                   "tick for an id that is not a candidate changes nothing (a warning); one line "
                   "per change",
                   "gh pr view 12 --json body --jq .body > body.md && opdlist decide "
                   "--pr-body body.md")
    p.add_argument("--pr-body", required=True, metavar="FILE",
                   help="the pull request's body (Markdown) as written by pr-body and ticked")
    p.set_defaults(func=run_decide)
