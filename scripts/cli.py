"""`opdlist`: the one command of the OPD paper list machinery.

Each group of subcommands lives in its own module (`scripts/cmd_*.py`) exposing
``register(subparsers)``, which adds its subcommands with ``set_defaults(func=...)``; a
handler is ``func(args, cfg) -> int``. Heavy imports (scikit-learn, pandas, matplotlib) stay
inside the handlers so `opdlist --help` and `opdlist lint` start fast.
"""
from __future__ import annotations

import argparse
import datetime as dt
import difflib
import importlib
import logging
import re
import sys
import tomllib
import traceback
from pathlib import Path

from store.config import load_config
from store.errors import BadInput, Faults, OpdError
from store.lock import finish_interrupted

COMMAND_MODULES = [
    "scripts.cmd_list",       # lint, render, section
    "scripts.cmd_crawl",      # crawl, fake-arxiv
    "scripts.cmd_score",      # score, evaluate
    "scripts.cmd_daily",      # daily, merge, review, schedule
    "scripts.cmd_prbody",     # pr-body, decide
    "scripts.cmd_audit",      # audit
    "scripts.cmd_refresh",    # refresh
]

EPILOG = """\
examples:
  opdlist lint                          check README.md against the list grammar
  opdlist --repo ~/opd-list daily       crawl, score and propose today's candidates
  opdlist merge --dry-run               show what the review decisions would change
  opdlist --set max_per_day=8 daily     override a [tool.opdlist] setting for one run

exit codes: 0 success, 1 the run failed (network, arXiv, a held lock), 2 bad input or usage.
"""


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors as one line and exit code 2; a misspelt command or choice
    gets the closest one suggested."""

    def error(self, message: str):  # noqa: D401
        m = re.match(r"argument (\S+): invalid choice: '([^']*)' \(choose from (.*)\)$", message)
        if m:
            choices = re.findall(r"'([^']*)'", m.group(3))
            close = difflib.get_close_matches(m.group(2), choices, n=1, cutoff=0.5)
            what = "command" if m.group(1) in ("COMMAND", "ACTION") else m.group(1)
            message = f"unknown {what} '{m.group(2)}'" + (
                f"; did you mean '{close[0]}'?" if close else f" (choose from {m.group(3)})")
        else:
            self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="opdlist",
        description="Keep the On-Policy Distillation paper list (README.md) current: crawl "
                    "arXiv, rank new papers with a classifier trained on the list, propose "
                    "candidates for review, merge the approved ones.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", default=".", metavar="DIR",
                        help="the list's repository (default: the current directory)")
    parser.add_argument("--set", dest="overrides", action="append", default=[],
                        metavar="KEY=VALUE",
                        help="override a [tool.opdlist] setting, e.g. --set min_score=0.2")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def iso_date(text: str) -> dt.date:
    """argparse type of a `YYYY-MM-DD` option (--from, --to, --today)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def accepted_empty(days: list[dt.date]) -> tuple[dt.date, ...]:
    """The days of `--accept-empty`, each one a listing day of arXiv's calendar (a weekend or
    a known holiday has no announcement to confirm)."""
    from crawler import schedule
    for day in days:
        if not schedule.is_listing_day(day):
            what = day.strftime("%A") if day.weekday() >= 5 else "a holiday in arXiv's calendar"
            raise BadInput(f"{day} is {what}: no announcement is expected then, there is "
                           "nothing to confirm", field="--accept-empty")
    return tuple(days)


def add_accept_empty(parser) -> None:
    parser.add_argument("--accept-empty", action="append", default=[], type=iso_date,
                        metavar="DAY",
                        help="confirm that arXiv announced nothing on listing day DAY (an "
                             "unscheduled holiday), which a run otherwise refuses to pass "
                             "over; remembered in state/cursor.json; repeat for several days")


def subcommand(sub, name: str, help: str, example: str, **kw) -> argparse.ArgumentParser:
    """Add a subcommand whose --help says what it does and shows an example."""
    return sub.add_parser(name, help=help, description=help + ".",
                          epilog=f"example:\n  {example}",
                          formatter_class=argparse.RawDescriptionHelpFormatter, **kw)


# Commands that do not act on a list repository (they serve or read only files they are given).
NO_REPOSITORY = {"fake-arxiv"}
PAPERS_HEADING = re.compile(r"^##[ \t]+Papers[ \t]*$", re.MULTILINE | re.IGNORECASE)


def check_repository(repo: Path, cfg=None) -> None:
    """BadInput (exit 2, nothing written) unless `repo` is a list repository: a pyproject.toml
    with a [tool.opdlist] table and (with `cfg`) a README with a '## Papers' heading."""
    hint = "run opdlist in the list's folder or give --repo DIR"
    shown = str(repo.resolve()) if str(repo) == "." else str(repo)
    pyproject = repo / "pyproject.toml"
    if cfg is None:
        try:
            table = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            table = {}
        if "opdlist" not in table.get("tool", {}):
            raise BadInput(f"not a list repository: no pyproject.toml with a [tool.opdlist] "
                           f"table ({hint})", file=shown)
        return
    if "readme" in cfg.origin and not cfg.readme_path.is_file():
        raise BadInput(f"bad value {cfg.readme!r}: no such file in the repository",
                       **cfg.where("readme"))
    try:
        text = cfg.readme_path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    if not PAPERS_HEADING.search(text):
        raise BadInput(f"not a list repository: no {cfg.readme} with a '## Papers' heading "
                       f"({hint})", file=shown)


def opdlist_command(repo: str) -> str:
    """"opdlist", with the --repo it was given unless that is the current folder: how a
    message names the command to run again."""
    return "opdlist" + (f" --repo {repo}" if repo != "." else "")


# the unattended commands, whose output goes to a log (cron's state/daily.log, a daemon's)
LOGGED = {"daily", "schedule"}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    command = " ".join(x for x in (args.command, getattr(args, "action", None)) if x)
    who = f"{opdlist_command(args.repo)} {command}"
    # in a log (not a terminal), the unattended jobs' lines say when
    stamp = args.command in LOGGED and not sys.stderr.isatty()
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(message)s" if stamp else "%(message)s",
                        datefmt="%Y-%m-%d %H:%M:%S", stream=sys.stderr)
    # urllib3 says every retry in a long line; what went wrong is said once, by our errors
    logging.getLogger("urllib3").setLevel(logging.ERROR)

    def fail(line: str) -> None:
        when = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S ") if stamp else ""
        print(f"{when}{who}: {line}", file=sys.stderr)

    repo = Path(args.repo)
    try:
        overrides = {}
        for item in args.overrides:
            key, sep, value = item.partition("=")
            if not sep:
                raise BadInput(f"--set wants KEY=VALUE, got {item!r}")
            overrides[key.strip()] = value
        if not repo.is_dir():
            raise BadInput("repository folder does not exist", file=str(repo))
        acts_on_repo = args.command not in NO_REPOSITORY
        if acts_on_repo:
            check_repository(repo)
        cfg = load_config(repo, overrides)
        if acts_on_repo:
            check_repository(repo, cfg)
            finish_interrupted(cfg.lock_path, cfg.run_budget)   # whole state for every command
        return int(args.func(args, cfg) or 0)
    except OpdError as e:
        for fault in e.faults if isinstance(e, Faults) else [e]:
            fail(str(_in_repo(fault, repo)))
        return e.exit_code
    except KeyboardInterrupt:
        fail("interrupted")
        return 1
    except BrokenPipeError:
        return 0
    except Exception as e:  # noqa: BLE001 - a bug: one line, the traceback with -v
        if args.verbose:
            traceback.print_exc()
        fail(f"internal error: {e.__class__.__name__}: {e} (run with -v for the "
             "traceback)".replace("\n", " "))
        return 1


def _in_repo(e: OpdError, repo: Path) -> OpdError:
    """`e` with its file named relative to the repository, as lint names README.md (the
    repository is in the line's `--repo`)."""
    if e.file:
        try:
            e.file = str(Path(e.file).resolve().relative_to(repo.resolve()))
        except (ValueError, OSError):
            pass
    return e


if __name__ == "__main__":
    sys.exit(main())
