"""Configuration: the `[tool.opdlist]` table of the repository's pyproject.toml.

Precedence, lowest first: the defaults below, pyproject.toml, the environment
(`OPDLIST_ARXIV_RSS_URL`, `OPDLIST_ARXIV_API_URL`, `OPDLIST_ARXIV_OAI_URL`,
`OPDLIST_MIN_INTERVAL`), then `opdlist --set KEY=VALUE` on the command line.
Paths in the configuration are relative to the repository.

Every value is checked when it is loaded, whatever the command (`validate`): a bad one is exit
2 with one line naming where it came from (``pyproject.toml:LINE``, the environment variable
or ``--set``), the key and the value, before anything is read or fetched.
"""
from __future__ import annotations

import dataclasses
import difflib
import json
import math
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
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
    min_score: float = 0.01          # from the command-line replays of A and B (classifier/README.md)
    # the list's topic, as the model reads it (classifier.Topic): phrases that are one term
    # when written with a space ("on policy" -> "on-policy"; a trailing * matches any ending),
    # and the share of relevant papers among the listings that the score is calibrated to
    phrase_joins: list[str] = field(default_factory=lambda: [
        "on policy", "off policy", "self distill*", "self generated", "self training",
        "self play", "self supervised"])
    prior: float = 0.003
    include_phrases: list[str] = field(default_factory=list)
    exclude_phrases: list[str] = field(default_factory=list)
    follow_authors: list[str] = field(default_factory=list)
    cache_days: int = 10            # days of listings kept in the paper cache (background)
    max_authors: int = 10           # a longer author list is suggested as a short line ...
    first_authors: int = 3          # ... of the first authors and "et al." (0: never)
    readme: str = "README.md"
    review_file: str = "review/candidates.yaml"
    state_dir: str = "state"

    # ---- paths of the repository's files -------------------------------------------------
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
    def cache_path(self) -> Path:
        return self.state_path / "papers.jsonl.gz"

    @property
    def model_path(self) -> Path:
        return self.state_path / "model.joblib"

    @property
    def lock_path(self) -> Path:
        return self.state_path / ".lock"

    @property
    def user_agent(self) -> str:
        return f"opdlist/0.1 (On-Policy Distillation paper list; contact: {self.contact})"


_FIELDS = {f.name: f for f in dataclasses.fields(Config) if f.name != "repo"}

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


def _coerce(key: str, value: Any) -> Any:
    """`value` converted to the type of setting `key`; ValueError saying what it should be."""
    default = getattr(Config(), key)
    if isinstance(default, list):
        if isinstance(value, str):
            try:
                value = json.loads(value) if value.strip().startswith("[") else \
                    [v.strip() for v in value.split(",") if v.strip()]
            except json.JSONDecodeError:
                raise ValueError("must be a list of strings") from None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("must be a list of strings")
        return value
    if isinstance(default, bool):
        return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
    if isinstance(value, bool):          # TOML true is no number (Python says it is an int)
        raise ValueError(f"must be a number, not {str(value).lower()}")
    if isinstance(default, int):
        try:
            number = float(value) if isinstance(value, (str, float)) else value
            if not isinstance(number, (int, float)) or not math.isfinite(number) or \
                    number != int(number):
                raise ValueError
        except (ValueError, TypeError):
            raise ValueError("must be a whole number") from None
        return int(number)
    if isinstance(default, float):
        try:
            return float(value)
        except (ValueError, TypeError):
            raise ValueError("must be a number") from None
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _check(key: str, value: Any) -> Optional[str]:
    """What is wrong with the (coerced) `value` of `key`, or None."""
    if key == "categories":
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
    if key in ("rss_url", "api_url", "oai_url"):
        return _check_url(value)
    if key in ("min_interval", "timeout", "run_budget", "min_score", "prior"):
        if not math.isfinite(value):
            return "must be a finite number"
        if key == "min_score" and not 0 <= value <= 1:
            return "must be between 0 and 1 (a calibrated probability)"
        if key == "prior" and not 0 < value < 1:
            return ("must be more than 0 and less than 1 (the share of relevant papers among "
                    "the listings, e.g. 0.003)")
        if key == "min_interval" and value < 0:
            return "must be 0 or more (seconds between two requests; arXiv asks for 3)"
        if key in ("timeout", "run_budget") and value <= 0:
            return "must be more than 0 seconds"
        return None
    if key in ("max_retries", "max_per_day", "cache_days"):
        return "must be 0 or more" if value < 0 else None
    if key == "phrase_joins":
        for phrase in value:
            words = phrase.split()
            if len(words) < 2 or not all(_JOIN_WORD.fullmatch(w) for w in words):
                return (f"{phrase!r} is not a phrase to join: two or more words of letters or "
                        "digits separated by spaces, a word may end in * for any ending "
                        "(e.g. \"on policy\", \"self distill*\")")
        return None
    if key in ("include_phrases", "exclude_phrases", "follow_authors"):
        return "holds an empty string (it would match every paper)" \
            if any(not v.strip() for v in value) else None
    if key in ("readme", "review_file", "state_dir"):
        return "must be a path relative to the repository" if not value.strip() else None
    if key == "contact":
        return "must not hold control characters (it goes into the User-Agent)" \
            if re.search(r"[\x00-\x1f\x7f]", value) else None
    if key == "timezone":
        return _check_timezone(value)
    if key == "schedule":
        return _check_cron(value)
    return None


_JOIN_WORD = re.compile(r"[^\W_]+\*?")


def _check_url(value: str) -> Optional[str]:
    try:
        parts = urlsplit(value)
        parts.port                       # a port that is no number raises ValueError
    except ValueError:
        return "is not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname or \
            re.search(r"\s", value):
        return "must be an http:// or https:// URL with a host"
    return None


def _check_timezone(value: str) -> Optional[str]:
    import zoneinfo
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "is not a time zone (e.g. \"UTC\", \"Europe/Berlin\")"
    return None


def _check_cron(value: str) -> Optional[str]:
    from apscheduler.triggers.cron import CronTrigger
    try:
        CronTrigger.from_crontab(value, timezone="UTC")
    except (ValueError, KeyError) as e:
        return f"is not a cron expression ({e}); e.g. \"30 6 * * 1-5\""
    return None


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


def _setting(cfg: Config, key: str, value: Any, source: str, line: Optional[int] = None) -> None:
    """Set `key` to `value` on `cfg`, or BadInput naming `source`, `line`, the key, the value."""
    if key not in _FIELDS:
        close = difflib.get_close_matches(key, _FIELDS, n=1)
        raise BadInput(f"unknown setting {key!r}" + (f" (did you mean {close[0]!r}?)" if close
                                                     else f" (known: {', '.join(sorted(_FIELDS))})"),
                       file=source, line=line, field=key)
    shown = json.dumps(value) if isinstance(value, bool) or value is None else repr(value)
    try:
        coerced = _coerce(key, value)
    except ValueError as e:
        raise BadInput(f"bad value {shown}: {e}", file=source, line=line, field=key) from None
    problem = _check(key, coerced)
    if problem:
        raise BadInput(f"bad value {shown}: {problem}", file=source, line=line, field=key)
    setattr(cfg, key, coerced)


def load_config(repo: Path | str = ".", overrides: dict[str, str] | None = None,
                environ: dict[str, str] | None = None) -> Config:
    """The configuration of the repository at `repo`."""
    repo = Path(repo)
    environ = os.environ if environ is None else environ
    cfg = Config(repo=repo)
    pyproject = repo / "pyproject.toml"
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
            _setting(cfg, key, value, str(pyproject), lines.get(key))
    for key, var in ENV.items():
        if environ.get(var):
            _setting(cfg, key, environ[var], f"environment variable {var}")
    for key, value in (overrides or {}).items():
        _setting(cfg, key, value, "--set")
    return cfg
