"""Configuration: the `[tool.opdlist]` table of the repository's pyproject.toml.

Precedence, lowest first: the defaults below, pyproject.toml, the environment
(`OPDLIST_ARXIV_RSS_URL`, `OPDLIST_ARXIV_API_URL`, `OPDLIST_ARXIV_OAI_URL`,
`OPDLIST_MIN_INTERVAL`), then `opdlist --set KEY=VALUE` on the command line.
Paths in the configuration are relative to the repository.

`Config` is the schema: each setting's type is its annotation and its rule (`_rules`, by
name) says what a good value is. A value from pyproject.toml must have its type as TOML
writes it (``min_interval = 3``, not ``"3"``; ``categories = ["cs.LG"]``, not ``"cs.LG"``); a
value from the environment or ``--set`` is text, read as that type. Every value is checked
when it is loaded, whatever the command: a bad one is exit 2 with one line naming where it came
from (``pyproject.toml:LINE``, the environment variable or ``--set``), the key and the value,
before anything is read or fetched.
"""
from __future__ import annotations

import difflib
import json
import math
import os
import re
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import urlsplit

from store.errors import BadInput

ENV = {
    "rss_url": "OPDLIST_ARXIV_RSS_URL",
    "api_url": "OPDLIST_ARXIV_API_URL",
    "oai_url": "OPDLIST_ARXIV_OAI_URL",
    "min_interval": "OPDLIST_MIN_INTERVAL",
}


@dataclass
class Config:
    repo: Path = Path(".")
    categories: list[str] = field(default_factory=lambda: ["cs.LG", "cs.CL", "cs.AI", "cs.CV"])
    rss_url: str = "https://rss.arxiv.org/rss/"
    api_url: str = "https://export.arxiv.org/api/query"
    oai_url: str = "https://oaipmh.arxiv.org/oai"
    contact: str = "opdlist maintainers"
    min_interval: float = 3.0
    timeout: float = 30.0
    max_retries: int = 5
    run_budget: float = 3600.0
    schedule: str = "30 6 * * 1-5"
    timezone: str = "UTC"
    max_per_day: int = 20           # safety cap: a day proposes every paper with score >= min_score
    min_score: float = 0.02          # from the command-line replays of A and B (classifier/README.md)
    # the list's topic, as the model reads it (classifier.Topic): phrases that are one term
    # when written with a space ("on policy" -> "on-policy"; a trailing * matches any ending),
    # and the share of relevant papers among the listings that the score is calibrated to
    phrase_joins: list[str] = field(default_factory=lambda: [
        "on policy", "off policy", "self distill*", "self generated", "self training",
        "self play", "self supervised"])
    prior: float = 0.003
    # a paper naming one of these is always a candidate (steering beats the budget)
    include_phrases: list[str] = field(default_factory=lambda: [
        "on-policy distillation", "on-policy self-distillation"])
    exclude_phrases: list[str] = field(default_factory=list)
    follow_authors: list[str] = field(default_factory=list)
    cache_days: int = 10            # days of listings kept in the paper cache (background)
    refresh_days: int = 7           # daily refreshes the listed entries this often (0: never)
    max_authors: int = 10           # a longer author list is suggested as a short line ...
    first_authors: int = 3          # ... of the first authors and "et al" (max_authors 0: never)
    readme: str = "README.md"
    review_file: str = "review/candidates.yaml"
    state_dir: str = "state"
    cache_dir: str = ".opdlist-cache"   # rebuildable: paper cache and model, git-ignored
    # where each setting not left at its default came from: (file or source, line)
    origin: dict = field(default_factory=dict, repr=False, compare=False)

    # ---- paths of the repository's files -------------------------------------------------
    def where(self, key: str) -> dict:
        """`file` and `line` of where setting `key` was set, for a BadInput about it."""
        source, line = self.origin.get(key, (str(self.repo / "pyproject.toml"), None))
        return {"file": source, "line": line, "field": key}

    def path(self, rel: str) -> Path:
        return self.repo / rel

    @property
    def readme_path(self) -> Path:
        return self.path(self.readme)

    @property
    def review_path(self) -> Path:
        return self.path(self.review_file)

    @property
    def state_path(self) -> Path:
        return self.path(self.state_dir)

    @property
    def cursor_path(self) -> Path:
        return self.state_path / "cursor.json"

    @property
    def decisions_path(self) -> Path:
        return self.state_path / "decisions.jsonl"

    @property
    def cache_folder(self) -> Path:
        """What can be fetched or computed again (paper cache, model): git-ignored, kept
        between runs by the machine, or by `actions/cache` in the workflows."""
        return self.path(self.cache_dir)

    @property
    def cache_path(self) -> Path:
        return self.cache_folder / "papers.jsonl.gz"

    @property
    def legacy_cache_path(self) -> Path:
        """Where the paper cache lived when it was committed (moved on the next daily run)."""
        return self.state_path / "papers.jsonl.gz"

    @property
    def model_path(self) -> Path:
        return self.cache_folder / "model.joblib"

    @property
    def lock_path(self) -> Path:
        return self.state_path / ".lock"

    @property
    def user_agent(self) -> str:
        return f"opdlist/0.1 (On-Policy Distillation paper list; contact: {self.contact})"


# arXiv's category taxonomy (https://arxiv.org/category_taxonomy), and its archives, which the
# RSS feed also takes whole (``/rss/cs``)
_TAXONOMY = {
    "cs": "AI AR CC CE CG CL CR CV CY DB DC DL DM DS ET FL GL GR GT HC IR IT LG LO MA MM MS NA "
          "NE NI OH OS PF PL RO SC SD SE SI SY",
    "econ": "EM GN TH",
    "eess": "AS IV SP SY",
    "math": "AC AG AP AT CA CO CT CV DG DS FA GM GN GR GT HO IT KT LO MG MP NA NT OA OC PR QA "
            "RA RT SG SP ST",
    "astro-ph": "CO EP GA HE IM SR",
    "cond-mat": "dis-nn mes-hall mtrl-sci other quant-gas soft stat-mech str-el supr-con",
    "nlin": "AO CD CG PS SI",
    "physics": "acc-ph ao-ph app-ph atm-clus atom-ph bio-ph chem-ph class-ph comp-ph data-an "
               "ed-ph flu-dyn gen-ph geo-ph hist-ph ins-det med-ph optics plasm-ph pop-ph "
               "soc-ph space-ph",
    "q-bio": "BM CB GN MN NC OT PE QM SC TO",
    "q-fin": "CP EC GN MF PM PR RM ST TR",
    "stat": "AP CO ME ML OT TH",
}
ARXIV_CATEGORIES = frozenset(
    [f"{a}.{c}" for a, cs in _TAXONOMY.items() for c in cs.split()] + list(_TAXONOMY) +
    ["gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math-ph", "nucl-ex", "nucl-th",
     "quant-ph"])


_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _cron_weekdays(field: str) -> str:
    """A crontab day-of-week field (0 or 7 = Sunday, 1 = Monday, names, ranges, lists,
    steps) as APScheduler's, which numbers from Monday = 0: written as names, so "1-5" runs
    Monday to Friday as cron does, not Tuesday to Saturday."""
    if field in ("*", "?"):
        return "*"
    days: set[int] = set()

    def number(token: str) -> int:
        token = token.strip().lower()[:3]
        if token in _WEEKDAYS:
            return _WEEKDAYS.index(token)
        if not token.isdigit() or int(token) > 7:
            raise ValueError(f"day of week {token!r} is not 0-7 or a name (mon, tue, ...)")
        return int(token) % 7

    for part in field.split(","):
        span, _, step = part.partition("/")
        if step and not step.isdigit():
            raise ValueError(f"step {step!r} is not a number")
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            a, b = span.split("-", 1)
            first, last = number(a), number(b)
            if b.strip() == "7":
                last = 7
        else:
            first = last = number(span)
            if step:
                last = 6
        if last < first:
            raise ValueError(f"day-of-week range {span!r} runs backwards")
        days.update(d % 7 for d in range(first, last + 1, int(step or 1)))
    return ",".join(_WEEKDAYS[(d + 1) % 7] for d in range(7) if (d + 1) % 7 in days)


def cron_trigger(expression: str, timezone: str):
    """The APScheduler trigger of a five-field crontab line (`schedule`), firing on the days
    and times cron itself would (see `_cron_weekdays`)."""
    from apscheduler.triggers.cron import CronTrigger
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"wrong number of fields; got {len(fields)}, expected 5")
    minute, hour, day, month, weekday = fields
    if day not in ("*", "?") and weekday not in ("*", "?"):
        raise ValueError("both day of month and day of week are set: cron runs on either, "
                         "APScheduler only on both; set one of them to *")
    return CronTrigger(minute=minute, hour=hour, day=day, month=month,
                       day_of_week=_cron_weekdays(weekday), timezone=timezone)


# ---- the rules of the settings ----------------------------------------------------------------

def _finite(value: float) -> Optional[str]:
    return None if math.isfinite(value) else "must be a finite number"


def _at_least(low: float, what: str = "") -> Callable[[float], Optional[str]]:
    def check(value: float) -> Optional[str]:
        return _finite(value) or (f"must be {low:g} or more{what}" if value < low else None)
    return check


def _more_than(low: float) -> Callable[[float], Optional[str]]:
    def check(value: float) -> Optional[str]:
        return _finite(value) or (f"must be more than {low:g}" if value <= low else None)
    return check


def _probability(value: float) -> Optional[str]:
    return _finite(value) or (None if 0 <= value <= 1 else
                              "must be between 0 and 1 (a calibrated probability)")


def _categories(value: list[str]) -> Optional[str]:
    if not value:
        return "must name at least one arXiv category (e.g. \"cs.LG\")"
    for cat in value:
        if cat not in ARXIV_CATEGORIES:
            close = [c for c in ARXIV_CATEGORIES if c.lower() == cat.lower()] or \
                difflib.get_close_matches(cat, ARXIV_CATEGORIES, n=1, cutoff=0.6)
            return f"{cat!r} is not an arXiv category" + \
                (f" (did you mean {close[0]!r}?)" if close else
                 " (see https://arxiv.org/category_taxonomy)")
    return None


def _url(value: str) -> Optional[str]:
    try:
        parts = urlsplit(value)
        parts.port                       # a port that is no number raises ValueError
    except ValueError:
        return "is not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname or \
            re.search(r"\s", value):
        return "must be an http:// or https:// URL with a host"
    return None


def _phrases(value: list[str]) -> Optional[str]:
    return "holds an empty string (it would match every paper)" \
        if any(not v.strip() for v in value) else None


_JOIN_WORD = re.compile(r"[^\W_]+\*?")


def _joins(value: list[str]) -> Optional[str]:
    for phrase in value:
        words = phrase.split()
        if len(words) < 2 or not all(_JOIN_WORD.fullmatch(w) for w in words):
            return (f"{phrase!r} is not a phrase to join: two or more words of letters or "
                    "digits separated by spaces, a word may end in * for any ending "
                    "(e.g. \"on policy\", \"self distill*\")")
    return None


def _share(value: float) -> Optional[str]:
    return _finite(value) or (None if 0 < value < 1 else
                              "must be more than 0 and less than 1 (the share of relevant "
                              "papers among the listings, e.g. 0.003)")


def _contact(value: str) -> Optional[str]:
    if not value.strip():
        return "must say who runs the list (arXiv asks for a contact in the User-Agent)"
    return "must not hold control characters (it goes into the User-Agent)" \
        if re.search(r"[\x00-\x1f\x7f]", value) else None


def _inside(value: str) -> Optional[str]:
    """A path relative to the repository that stays inside it."""
    path = Path(value)
    if not value.strip() or path.is_absolute() or ".." in path.parts:
        return "must be a path inside the repository, relative to it (no '..')"
    return None


def _timezone(value: str) -> Optional[str]:
    import zoneinfo
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "is not a time zone (e.g. \"UTC\", \"Europe/Berlin\")"
    return None


def _cron(value: str) -> Optional[str]:
    try:
        cron_trigger(value, "UTC")
    except (ValueError, KeyError) as e:
        return f"is not a cron expression ({e}); e.g. \"30 6 * * 1-5\""
    return None


_RULES: dict[str, Callable[[Any], Optional[str]]] = {
    "categories": _categories,
    "rss_url": _url, "api_url": _url, "oai_url": _url,
    "contact": _contact,
    "min_interval": _at_least(0, " (seconds between two requests; arXiv asks for 3)"),
    "timeout": _more_than(0), "run_budget": _more_than(0),
    "max_retries": _at_least(0), "max_per_day": _at_least(1), "min_score": _probability,
    "phrase_joins": _joins, "prior": _share,
    "schedule": _cron, "timezone": _timezone,
    "include_phrases": _phrases, "exclude_phrases": _phrases, "follow_authors": _phrases,
    "cache_days": _at_least(1), "refresh_days": _at_least(0), "max_authors": _at_least(0),
    "first_authors": _at_least(1),
    "readme": _inside, "review_file": _inside, "state_dir": _inside, "cache_dir": _inside,
}
_TYPES = {name: tp for name, tp in typing.get_type_hints(Config).items()
          if name not in ("repo", "origin")}
assert set(_RULES) == set(_TYPES), "every setting has a rule"


def _typed(key: str, value: Any, text: bool) -> Any:
    """`value` as setting `key`'s type; ValueError saying what it should be. `text`: it came
    as text (the environment, --set) and is read as the type, else (pyproject.toml) its TOML
    type must be the setting's."""
    want = _TYPES[key]
    if want == list[str]:
        if text:
            try:
                value = json.loads(value) if value.strip().startswith("[") else \
                    [v.strip() for v in value.split(",") if v.strip()]
            except json.JSONDecodeError:
                raise ValueError("must be a list of strings") from None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of strings in brackets, e.g. [\"a\", \"b\"]")
        return value
    if want is str:
        if not isinstance(value, str):
            raise ValueError("must be a string (in quotes)")
        return value
    if text:
        try:
            value = float(value)
        except ValueError:
            raise ValueError(f"must be a {'whole ' if want is int else ''}number") from None
        if want is int and (not math.isfinite(value) or value != int(value)):
            raise ValueError("must be a whole number")
        return want(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"must be a {'whole ' if want is int else ''}number, not "
                         f"{'a string' if isinstance(value, str) else type(value).__name__}"
                         if not isinstance(value, bool) else
                         f"must be a number, not {str(value).lower()}")
    if want is int and value != int(value):
        raise ValueError("must be a whole number")
    return want(value)


def _setting(cfg: Config, key: str, value: Any, source: str, line: Optional[int] = None,
             text: bool = True) -> None:
    """Set `key` to `value` on `cfg`, or BadInput naming `source`, `line`, the key, the value."""
    if key not in _TYPES:
        close = difflib.get_close_matches(key, _TYPES, n=1)
        raise BadInput(f"unknown setting {key!r}" + (f" (did you mean {close[0]!r}?)" if close
                                                     else f" (known: {', '.join(sorted(_TYPES))})"),
                       file=source, line=line, field=key)
    shown = json.dumps(value) if isinstance(value, bool) or value is None else repr(value)
    try:
        typed = _typed(key, value, text)
    except ValueError as e:
        raise BadInput(f"bad value {shown}: {e}", file=source, line=line, field=key) from None
    problem = _RULES[key](typed)
    if problem:
        raise BadInput(f"bad value {shown}: {problem}", file=source, line=line, field=key)
    setattr(cfg, key, typed)
    cfg.origin[key] = (source, line)


def load_config(repo: Path | str = ".", overrides: dict[str, str] | None = None,
                environ: dict[str, str] | None = None) -> Config:
    """The configuration of the repository at `repo`."""
    repo = Path(repo)
    environ = os.environ if environ is None else environ
    cfg = Config(repo=repo)
    pyproject = repo / "pyproject.toml"
    lines: dict[str, int] = {}
    if pyproject.exists():
        try:
            text = pyproject.read_text(encoding="utf-8")
            table = tomllib.loads(text)
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise BadInput(f"not valid TOML ({e})", file=str(pyproject)) from None
        settings = table.get("tool", {}).get("opdlist", {})
        if not isinstance(settings, dict):
            raise BadInput("[tool.opdlist] must be a table", file=str(pyproject))
        lines = _key_lines(text)
        for key, value in settings.items():
            _setting(cfg, key, value, str(pyproject), lines.get(key), text=False)
    for key, var in ENV.items():
        if environ.get(var):
            _setting(cfg, key, environ[var], f"environment variable {var}")
    for key, value in (overrides or {}).items():
        _setting(cfg, key, value, "--set")
    return cfg


def _key_lines(text: str) -> dict[str, int]:
    """The line of each key of the [tool.opdlist] table in a pyproject.toml text."""
    lines, table = {}, ""
    for n, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[\s*([^\]\s]+)\s*\]", line)
        if header:
            table = header.group(1)
        elif table == "tool.opdlist":
            m = re.match(r"^\s*([A-Za-z0-9_-]+)\s*=", line)
            if m:
                lines.setdefault(m.group(1), n)
    return lines
