"""`pr-body`: the Markdown body of the candidates pull request, printed for the daily workflow.

The maintainer decides from the pull request: each undecided candidate of the review file with
its linked title, score, suggested section (and runner-up), why, the closest listed paper, and
the line of `review/candidates.yaml` where its `decision:` goes. GitHub refuses a body over
65,536 characters, so after a long catch-up the list is cut with a note saying how many more
wait in the file.
"""
from __future__ import annotations

import sys
from collections import Counter

from scripts.cli import subcommand
from store.paper import arxiv_id
from store.review import Candidate, read_review

GITHUB_BODY_LIMIT = 65536
_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_[]|$#"} | {"<": "&lt;", ">": "&gt;"})


def _md(text: str) -> str:
    """Plain text that Markdown shows as written (one line)."""
    return " ".join(str(text).split()).translate(_MARKDOWN)


def _link(c: Candidate) -> str:
    aid = arxiv_id(c.paper.id) or arxiv_id(c.paper.link)
    return f"https://arxiv.org/abs/{aid}" if aid else (c.paper.link or "")


def _like(value) -> str:
    """`like` as the review file holds it: "Title (id)" or a mapping with id and title."""
    if isinstance(value, dict):
        title, pid = value.get("title", ""), value.get("id", "")
        return f"{title} ({pid})" if title and pid else str(title or pid)
    return str(value or "")


def candidate_md(n: int, c: Candidate, raw: dict, review_file: str, file_url: str) -> str:
    """One numbered item: linked title, score, section, why, like, where to decide."""
    title = _md(c.paper.title) or _md(c.paper.id)
    link = _link(c)
    head = f"[{title}]({link})" if link else title
    score = f"{c.score:.2f}" if c.score is not None else "?"
    section = f"*{_md(c.section)}*" if c.section else "*(no section)*"
    alternative = raw.get("section_alternative") if hasattr(raw, "get") else None
    if alternative:
        section += f" (or *{_md(alternative)}*)"
    ident = f"`{c.paper.id}`" if c.paper.id else ""
    lines = [f"{n}. **{head}** {ident}",
             f"   score **{score}** · section {section} · announced {c.announced or '?'}"]
    if c.why:
        lines.append(f"   why: {_md(', '.join(c.why))}")
    like = _like(raw.get("like")) if hasattr(raw, "get") else ""
    if like:
        lines.append(f"   like: {_md(like)}")
    line = c.lines.get("decision")
    where = f"{review_file} line {line or c.line}"
    if file_url:
        where = f"[{where}]({file_url}#L{line or c.line})"
    what = "set" if line else "add"
    lines.append(f"   decide: {where}: {what} `decision: approve` or `decision: reject`")
    return "\n".join(lines) + "\n"


def pr_body(review, review_file: str, *, file_url: str = "",
            limit: int = GITHUB_BODY_LIMIT) -> str:
    """The pull-request body for the review file REVIEW, at most LIMIT characters."""
    seq = review.data.get("candidates") if hasattr(review.data, "get") else None
    raws = list(seq) if isinstance(seq, list) else [{}] * len(review.candidates)
    todo = [(c, raw) for c, raw in zip(review.candidates, raws) if not c.decision]
    decided = Counter(c.decision for c in review.candidates if c.decision)
    head = [f"## {len(todo)} candidate(s) to decide in `{review_file}`", ""]
    if decided:
        head += [f"Already decided in this branch: {decided['approve']} approved, "
                 f"{decided['reject']} rejected (applied when this pull request is merged).", ""]
    head += [f"Edit `{review_file}` in this pull request (Files changed → ⋯ → Edit file, or "
             "push to this branch): set `decision: approve` or `decision: reject` on the line "
             "given for each candidate; change `section`, `venue`, `title` or `authors` if "
             "needed; a comment you write is kept. Then merge the pull request (merge commit, "
             "squash or rebase): the merge workflow adds the approved papers to README.md and "
             "keeps the rejected ones as negatives. Undecided candidates stay for the next "
             "pull request.", ""]
    if not todo:
        head.append("Nothing left to decide: merge this pull request to apply the decisions"
                    if decided else "Nothing to decide today: merging this pull request saves "
                    "the crawl state (the cursor and the paper cache) on main.")
    text = "\n".join(head) + "\n"
    day = None

    def note(left: int) -> str:
        return (f"\n**… and {left} more candidate(s) not shown here** (GitHub limits a "
                f"pull-request body to {limit:,} characters): see `{review_file}`.\n")

    for n, (c, raw) in enumerate(todo, 1):
        part = ""
        if c.announced != day:
            day = c.announced
            count = sum(1 for x, _ in todo if x.announced == day)
            part += f"\n### Announced {day or '(no date)'} ({count})\n\n"
        part += candidate_md(n, c, raw, review_file, file_url)
        after = len(todo) - n
        if len(text) + len(part) + (len(note(after)) if after else 0) > limit:
            return text + note(after + 1)
        text += part
    return text


def run_pr_body(args, cfg) -> int:
    review = read_review(cfg.review_path)
    body = pr_body(review, cfg.review_file, file_url=args.file_url, limit=args.limit)
    sys.stdout.write(body)
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
