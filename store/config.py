"""Configuration: the `[tool.opdlist]` table of the repository's pyproject.toml.

Precedence, lowest first: the defaults below, pyproject.toml, the environment
(`OPDLIST_ARXIV_RSS_URL`, `OPDLIST_ARXIV_API_URL`, `OPDLIST_ARXIV_OAI_URL`,
`OPDLIST_MIN_INTERVAL`), then `opdlist --set KEY=VALUE` on the command line.
Paths in the configuration are relative to the repository.
"""
from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    max_per_day: int = 12           # safety cap: a day proposes every paper with score >= min_score
    min_score: float = 0.02
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


def _coerce(key: str, value: Any, source: str) -> Any:
    """`value` converted to the type of setting `key`; BadInput naming `source` if it can't."""
    if key not in _FIELDS:
        raise BadInput(f"unknown setting '{key}' (known: {', '.join(sorted(_FIELDS))})",
                       file=source)
    default = getattr(Config(), key)
    try:
        if isinstance(default, list):
            if isinstance(value, str):
                value = json.loads(value) if value.strip().startswith("[") else \
                    [v.strip() for v in value.split(",") if v.strip()]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError("a list of strings")
            return value
        if isinstance(default, bool):
            return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            v = float(value)
            if v < 0:
                raise ValueError("not negative")
            return v
        if not isinstance(value, str):
            raise ValueError("a string")
        return value
    except (ValueError, TypeError, json.JSONDecodeError) as e:
        raise BadInput(f"bad value {value!r} for '{key}' ({e})", file=source, field=key) from None


def load_config(repo: Path | str = ".", overrides: dict[str, str] | None = None,
                environ: dict[str, str] | None = None) -> Config:
    """The configuration of the repository at `repo`."""
    repo = Path(repo)
    environ = os.environ if environ is None else environ
    cfg = Config(repo=repo)
    pyproject = repo / "pyproject.toml"
    if pyproject.exists():
        try:
            table = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise BadInput(f"not valid TOML ({e})", file=str(pyproject)) from None
        for key, value in table.get("tool", {}).get("opdlist", {}).items():
            setattr(cfg, key, _coerce(key, value, f"{pyproject} [tool.opdlist]"))
    for key, var in ENV.items():
        if environ.get(var):
            setattr(cfg, key, _coerce(key, environ[var], f"environment {var}"))
    for key, value in (overrides or {}).items():
        setattr(cfg, key, _coerce(key, value, "--set"))
    return cfg
