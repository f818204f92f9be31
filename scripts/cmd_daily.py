"""`daily`, `merge`, `review` and `schedule`: the loop the maintainer lives with."""
from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import logging
import os
import select
import shlex
import signal
import sys
import textwrap
import time
from pathlib import Path

from scripts.cli import (accepted_empty, add_accept_empty, iso_date, opdlist_command,
                         subcommand)
from scripts.daily import journal_path, repair, run_daily
from store import listfile
from store.decisions import read_decisions
from store.errors import BadInput, LockHeld, OpdError
from store.files import atomic_write, write_together
from store.lock import RepoLock
from store.merge import plan_merge
from store.readme import badge
from store.review import read_review

log = logging.getLogger("opdlist")



# ---- daily -----------------------------------------------------------------------------------

def cmd_daily(args, cfg) -> int:
    if args.start is not None and args.start > dt.date.today():
        raise BadInput(f"--from {args.start} is in the future", field="--from")
    return run_daily(cfg, start=args.start, accept_empty=accepted_empty(args.accept_empty))


# ---- merge -----------------------------------------------------------------------------------

def cmd_merge(args, cfg) -> int:
    with RepoLock(cfg.lock_path, cfg.run_budget):
        repair(cfg)
        if not cfg.review_path.exists():
            print(f"no review file at {cfg.review_file}: nothing to merge")
            return 0
        review = read_review(cfg.review_path)
        if not any(c.decision for c in review.candidates):
            print("nothing to merge")
            return 0
        doc = listfile.load(cfg.readme_path)          # a README that does not lint: refused
        before = listfile.read_text(cfg.readme_path)
        plan = plan_merge(doc, review, read_decisions(cfg.decisions_path),
                          dt.datetime.now(dt.timezone.utc).date().isoformat())
        for c, section, entry in plan.added:
            print(f"+ {entry.arxiv_id or entry.url}  {c.paper.title}  -> {section.label} "
                  f"[{entry.venue}]")
        for c in plan.already_listed:
            print(f"= {c.paper.key}  {c.paper.title}: already in the list, not added twice")
        for c, entry in plan.updated:
            print(f"~ {c.paper.key}  {entry.plain_title}: {c.change()}")
        for c in plan.unlisted:
            print(f"= {c.paper.key}  {c.paper.title}: no longer in the list, update dropped")
        for c in plan.rejected:
            print(f"- {c.paper.key}  {c.paper.title}: " + (
                f"{c.update} update rejected, not proposed again" if c.update else
                "rejected, kept as a negative"))
        if args.dry_run:
            sys.stdout.writelines(unified_diff(before, plan.readme, cfg.readme))
            print(f"\n(dry run: nothing written; {plan.undecided} undecided)")
            return 0
        write_together({cfg.readme_path: plan.readme, cfg.review_path: plan.review,
                        cfg.decisions_path: plan.decisions}, journal_path(cfg))
        updated = f", {len(plan.updated)} listed entr{'y' if len(plan.updated) == 1 else 'ies'} " \
            "updated" if plan.updated else ""
        print(f"merge: {len(plan.added)} added{updated}, {len(plan.rejected)} rejected, "
              f"{len(plan.already_listed)} already listed, {plan.undecided} undecided left in "
              f"{cfg.review_file}")
        return 0


def unified_diff(before: str, after: str, name: str) -> list[str]:
    """`diff -u` of two texts, with git's marker where a text has no final newline."""
    def lines(text: str) -> list[str]:
        out = text.splitlines(keepends=True)
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n\\ No newline at end of file\n"
        return out
    return list(difflib.unified_diff(lines(before), lines(after), fromfile=f"a/{name}",
                                     tofile=f"b/{name}"))


# ---- review ----------------------------------------------------------------------------------

KEYS = "[a]pprove  [r]eject  [s]kip  [c]hange section  [v]enue  [q]uit"
LOCK_PATIENCE = 300.0     # seconds a save waits for another run (a daily) to release the lock


@contextlib.contextmanager
def _briefly_locked(cfg):
    """The repository lock for one read or save; waits (saying so) while a daily run holds it."""
    lock = RepoLock(cfg.lock_path, cfg.run_budget)
    deadline, said = time.monotonic() + LOCK_PATIENCE, False
    while True:
        try:
            lock.acquire()
            break
        except LockHeld:
            if time.monotonic() > deadline:
                raise
            if not said:
                print(f"  waiting for the lock ({lock.describe()}) ...", flush=True)
                said = True
            time.sleep(0.5)
    try:
        yield
    finally:
        lock.release()


def _read(cfg):
    with _briefly_locked(cfg):
        repair(cfg)
        return read_review(cfg.review_path) if cfg.review_path.exists() else None


def _save(cfg, key: str, **fields) -> bool:
    """Set `fields` of the candidate `key` in the review file as it is now on disk (a daily run
    may have appended candidates, the maintainer may have edited it): read, change, write,
    all under the lock. False when the candidate is gone or was decided meanwhile."""
    with _briefly_locked(cfg):
        review = read_review(cfg.review_path) if cfg.review_path.exists() else None
        at = next((i for i, c in enumerate(review.candidates) if c.ref == key), None) \
            if review else None
        if at is None:
            print(f"  {key} is no longer in {cfg.review_file}; not saved")
            return False
        if review.candidates[at].decision:
            print(f"  {key} was decided meanwhile in {cfg.review_file} "
                  f"({review.candidates[at].decision}); not changed")
            return False
        item = review.data["candidates"][at]
        for name, value in fields.items():
            item[name] = value
        atomic_write(cfg.review_path, review.dump())
        return True


def cmd_review(args, cfg) -> int:
    """Go through the undecided candidates one by one. The lock is held only while the file is
    read or saved, so a scheduled daily run (or a merge --dry-run) is not blocked while the
    maintainer reads; every change is saved at once, and candidates appended meanwhile are
    picked up."""
    review = _read(cfg)
    if review is None:
        print(f"no review file at {cfg.review_file} (opdlist daily writes it)")
        return 0
    try:
        sections = listfile.load(cfg.readme_path, strict=False).section_names()
    except OpdError:     # the README may be broken; sections are then typed by hand
        sections = []
    seen: set[str] = set()      # shown in this session: decided or skipped
    decided = changed = 0
    total = 0
    while True:
        todo = [c for c in review.candidates if not c.decision and c.ref not in seen]
        if not todo:
            break
        if total and len(seen) + len(todo) > total:
            print(f"\n({len(seen) + len(todo) - total} new candidate(s) appended meanwhile)")
        total = len(seen) + len(todo)
        c = todo[0]
        _show(c, len(seen) + 1, total)
        while True:
            key = _ask(f"{KEYS} > ")
            if key in ("a", "r"):
                decision = "approve" if key == "a" else "reject"
                if _save(cfg, c.ref, decision=decision):
                    decided += 1
                    print(f"  {decision}d" if decision == "approve" else f"  {decision}ed")
                break
            if key == "s":
                break
            if key == "q" or key is None:
                return _bye(args, decided, changed)
            if key == "c":
                for i, name in enumerate(sections, 1):
                    print(f"  {i}. {name}")
                choice = _ask("section number or name > ", key=False) or ""
                if choice.isdigit() and 1 <= int(choice) <= len(sections):
                    choice = sections[int(choice) - 1]
                if choice and _save(cfg, c.ref, section=choice):
                    c.section = choice
                    changed += 1
                    print(f"  section: {choice} (saved)")
            elif key == "v":
                typed = _ask("venue (e.g. ICLR2026) > ", key=False) or ""
                venue = badge(typed)
                if typed and venue is None:
                    print(f"  '{typed}' cannot be a badge (letters, digits, '_' and '.', e.g. "
                          "ICLR2026); not saved")
                elif venue and _save(cfg, c.ref, venue=venue):
                    c.venue = venue
                    changed += 1
                    print(f"  venue: {venue} (saved" +
                          (f"; a badge is one word, not '{typed}')" if venue != typed else ")"))
            elif key:
                print(f"  unknown key {key!r}")
        seen.add(c.ref)
        review = _read(cfg) or review
    if not total:
        print("no undecided candidates")
        return 0
    return _bye(args, decided, changed)


def _bye(args, decided: int, changed: int) -> int:
    edits = f"{changed} section/venue change(s) saved" if changed else ""
    if not decided:
        print(f"nothing decided{'; ' + edits if edits else ''}")
        return 0
    print(f"{decided} decided{', ' + edits if edits else ''}; run "
          f"'{opdlist_command(args.repo)} merge' to apply them")
    return 0


def _ask(prompt: str, *, key: bool = True):
    """One key (lower case) or, with key=False, a whole answer; None at end of input.

    On a terminal a key acts on its keystroke (no Enter); from a pipe or file, one line is
    one answer and its first character the key."""
    if key and sys.stdin.isatty():
        return _keystroke(prompt)
    try:
        answer = input(prompt).strip()
    except EOFError:
        return None
    return answer.lower()[:1] if key else answer


def _keystroke(prompt: str):
    import termios
    import tty

    print(prompt, end="", flush=True)
    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)            # one key, no echo, no Enter; Ctrl-C still interrupts
        ch = os.read(fd, 1)
        if ch == b"\x1b":            # an arrow or function key: drop the rest of its sequence
            while select.select([fd], [], [], 0.05)[0]:
                os.read(fd, 16)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
    if ch in (b"", b"\x04"):         # end of input, Ctrl-D
        print()
        return None
    text = ch.decode("utf-8", "replace")
    print(text if text.isprintable() else "")
    return text.lower() if text.isprintable() else ""


def _show(c, n: int, total: int) -> None:
    p = c.paper
    if c.update:
        print(f"\n[{n}/{total}] {p.id}  update of a listed entry ({c.section}): {c.change()}")
        print(textwrap.fill(p.title, 100))
        print(f"  because: {c.source}")
        return
    print(f"\n[{n}/{total}] {p.id}  score {c.score if c.score is not None else '?'}  "
          f"announced {c.announced}")
    print(textwrap.fill(p.title, 100))
    print(textwrap.fill(", ".join(p.authors), 100, initial_indent="  ",
                        subsequent_indent="  "))
    print(f"  section: {c.section}" + (f" (or {c.section_alternative})"
                                          if c.section_alternative else "")
          + f"   venue: {c.venue}" + (f" ({c.source})" if c.source else ""))
    print(f"  why: {', '.join(c.why)}" + (f"   like: {c.like}" if c.like else ""))
    print(textwrap.fill(p.abstract, 100, initial_indent="  ", subsequent_indent="  "))


# ---- schedule --------------------------------------------------------------------------------

def crontab_line(cfg) -> str:
    """The crontab line of the daily job: the configured schedule (in the machine's clock; the
    default is meant for UTC), from the repository's folder, into state/daily.log."""
    folder = shlex.quote(str(cfg.repo.resolve()))
    log_file = shlex.quote(str(Path(cfg.state_dir) / "daily.log"))
    return f"{cfg.schedule} cd {folder} && make daily >> {log_file} 2>&1"


def cmd_schedule(args, cfg) -> int:
    """Run the daily job on the configured cron expression until SIGINT/SIGTERM."""
    if args.crontab:
        print(crontab_line(cfg))
        return 0
    from apscheduler.schedulers.blocking import BlockingScheduler

    from store.config import cron_trigger
    from store.errors import BadInput, OpdError

    try:
        trigger = cron_trigger(cfg.schedule, cfg.timezone)
    except (ValueError, KeyError) as e:
        raise BadInput(f"bad cron expression or time zone ({e})", field="schedule") from None
    # APScheduler's own INFO lines ("Adding job tentatively ...") are internals: warnings only
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    from crawler.http import RateLimiter
    limiter = RateLimiter(cfg.min_interval)     # one rate for every run of the daemon
    scheduler = BlockingScheduler(timezone=cfg.timezone)

    def job() -> None:
        log.info("schedule: daily run starting at %s", dt.datetime.now(dt.timezone.utc)
                 .isoformat(timespec="seconds"))
        try:
            run_daily(cfg, progress=False, out=log.info, limiter=limiter)
            log.info("schedule: daily run done")
        except OpdError as e:       # one bad day must not stop the daemon
            log.error("schedule: daily run failed: %s", e)
        except Exception as e:      # noqa: BLE001 - keep the daemon alive, say what happened
            log.exception("schedule: daily run crashed: %s", e)
        nxt = scheduler.get_job("daily")
        if nxt and nxt.next_run_time:
            log.info("schedule: next run at %s", nxt.next_run_time.isoformat())

    # coalesce: runs missed while asleep become one; misfire grace: a laptop waking up within
    # the window still runs the missed job once.
    scheduler.add_job(job, trigger, id="daily", coalesce=True, max_instances=1,
                      misfire_grace_time=int(args.grace_hours * 3600))
    if args.now:
        scheduler.add_job(job, id="now")

    def stop(signum, frame):
        log.info("schedule: %s received, shutting down", signal.Signals(signum).name)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("schedule: '%s' (%s); next run at %s", cfg.schedule, cfg.timezone,
             trigger.get_next_fire_time(None, dt.datetime.now(dt.timezone.utc)).isoformat())
    scheduler.start()
    log.info("schedule: stopped")
    return 0


def register(sub) -> None:
    p = subcommand(sub, "daily", "Crawl the new arXiv announcements since the last run, score "
                   "them and append the best candidates of each day to the review file; with "
                   "--from, also backfill: propose candidates for every listing day from DATE "
                   "on that no run has handled yet (the export API for a few weeks, OAI-PMH "
                   "for longer), then continue from today",
                   "OPDLIST_ARXIV_RSS_URL=http://127.0.0.1:8080/rss/ opdlist daily\n"
                   "  opdlist daily --from 2025-10-01    what did the list miss since October?")
    p.add_argument("--from", dest="start", type=iso_date, metavar="DATE",
                   help="backfill from this listing day (YYYY-MM-DD); running it again adds "
                        "nothing, and the cursor ends at today either way")
    add_accept_empty(p)
    p.set_defaults(func=cmd_daily)
    p = subcommand(sub, "merge", "Apply the review decisions: approved papers go into README.md, "
                   "rejected ones are kept as negatives, undecided ones stay",
                   "opdlist merge --dry-run")
    p.add_argument("--dry-run", action="store_true", help="print the README diff, write nothing")
    p.set_defaults(func=cmd_merge)
    p = subcommand(sub, "review", "Review the undecided candidates one by one in the terminal "
                   "(approve / reject / skip / change section / quit)", "opdlist review")
    p.set_defaults(func=cmd_review)
    p = subcommand(sub, "schedule", "Run the daily job as a daemon on the configured cron "
                   "schedule (APScheduler); stop with Ctrl-C or SIGTERM",
                   "opdlist --set schedule='30 6 * * 1-5' schedule --now")
    p.add_argument("--now", action="store_true", help="also run once right away")
    p.add_argument("--crontab", action="store_true",
                   help="print the crontab line that runs the daily job on the same schedule "
                        "(from this repository, logging to state/daily.log), and exit")
    p.add_argument("--grace-hours", type=float, default=12.0,
                   help="a run missed by up to this long (asleep, off) still runs once (12)")
    p.set_defaults(func=cmd_schedule)
