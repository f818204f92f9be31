"""issue 11.8: every [tool.opdlist] value is checked, by every command, before anything runs:
a bad one is exit 2 with one line naming pyproject.toml (and its line), the key and the value,
and nothing is written."""
from __future__ import annotations

import re

import pytest

from scripts.cli import main
from store.config import load_config
from store.errors import BadInput

BAD = [
    ("categories", "[]", "[]"),
    ("categories", '["no.such"]', "'no.such'"),
    ("categories", '["cs.lg"]', "did you mean 'cs.LG'"),
    ("min_interval", "nan", "nan"),
    ("min_interval", "inf", "inf"),
    ("min_interval", "-1.0", "-1.0"),
    ("max_per_day", "-5", "-5"),
    ("max_per_day", "true", "true"),
    ("max_per_day", "2.5", "2.5"),
    ("min_score", "2.0", "2.0"),
    ("min_score", "-0.1", "-0.1"),
    ("max_retries", "-1", "-1"),
    ("timeout", "0", "0"),
    ("run_budget", "nan", "nan"),
    ("rss_url", '"htp:/rss.arxiv.org"', "'htp:/rss.arxiv.org'"),
    ("api_url", '"https://"', "'https://'"),
    ("oai_url", '"https://oaipmh.arxiv.org:http/oai"', "oaipmh.arxiv.org:http"),
    ("schedule", '"61 6 * * 1-5"', "'61 6 * * 1-5'"),
    ("schedule", '"every morning"', "'every morning'"),
    ("timezone", '"Mars/Olympus"', "'Mars/Olympus'"),
    ("include_phrases", '["on-policy distillation", ""]', "empty string"),
    ("phrase_joins", '["policy"]', "not a phrase to join"),
    ("phrase_joins", '["on-policy"]', "not a phrase to join"),
    ("phrase_joins", '["self *distill"]', "not a phrase to join"),
    ("prior", "0", "more than 0 and less than 1"),
    ("prior", "1.5", "more than 0 and less than 1"),
    ("contact", '"me\\r\\nX-Evil: 1"', "control characters"),
    ("max_per_dya", "3", "did you mean 'max_per_day'"),
    # issue 24.3: values of the wrong TOML type, paths out of the repository, empty contact
    ("min_interval", '"3"', "'3': must be a number, not a string"),
    ("categories", '"cs.LG"', "'cs.LG': must be a list of strings"),
    ("include_phrases", '"x"', "'x': must be a list of strings"),
    ("readme", '"../../etc/passwd"', "must be a path inside the repository"),
    ("readme", '"nonexist.md"', "'nonexist.md': no such file in the repository"),
    ("contact", '""', "'': must say who runs the list"),
    ("max_authors", "-3", "-3: must be 0 or more"),
    ("cache_dir", '"/tmp/elsewhere"', "must be a path inside the repository"),
]


def set_key(repo, key: str, value: str) -> int:
    """Set `key = value` in the repository's [tool.opdlist]; returns its line number."""
    path = repo / "pyproject.toml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index("[tool.opdlist]")
    for n in range(start + 1, len(lines)):
        if re.match(rf"^{re.escape(key)}\s*=", lines[n]):
            lines[n] = f"{key} = {value}"
            break
    else:
        n = start + 1
        lines.insert(n, f"{key} = {value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n + 1


def run(repo, capsys, *args):
    capsys.readouterr()
    code = main(["--repo", str(repo), *args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("key,value,shown", BAD, ids=[f"{k}={v}" for k, v, _ in BAD])
def test_a_bad_setting_is_exit_2_naming_file_line_key_and_value(key, value, shown, repo,
                                                                capsys):
    line = set_key(repo, key, value)
    code, err = run(repo, capsys, "crawl")
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert f"pyproject.toml:{line}: {key}: " in err and shown in err
    assert not (repo / "state").exists()


COMMANDS = [["lint"], ["render"], ["crawl", "--dry-run"], ["daily"], ["merge"], ["review"],
            ["schedule"], ["score", "--input", "x.jsonl", "--output", "y.jsonl"],
            ["evaluate", "--pool", "p.jsonl", "--labels", "l.jsonl"],
            ["section", "add", "New"], ["decide", "--pr-body", "body.md"]]


@pytest.mark.parametrize("args", COMMANDS, ids=[a[0] + ("-" + a[1] if a[0] == "section" else "")
                                                for a in COMMANDS])
def test_every_command_checks_the_configuration_first(args, repo, capsys):
    readme = (repo / "README.md").read_bytes()
    line = set_key(repo, "timezone", '"Mars/Olympus"')
    code, err = run(repo, capsys, *args)
    assert code == 2 and f"pyproject.toml:{line}: timezone: bad value 'Mars/Olympus'" in err
    assert (repo / "README.md").read_bytes() == readme and not (repo / "state").exists()


def test_the_environment_and_set_are_checked_too(repo, capsys, monkeypatch):
    monkeypatch.setenv("OPDLIST_MIN_INTERVAL", "nan")
    code, err = run(repo, capsys, "lint")
    assert code == 2 and "environment variable OPDLIST_MIN_INTERVAL: min_interval: bad value " \
        "'nan': must be a finite number" in err
    monkeypatch.setenv("OPDLIST_MIN_INTERVAL", "0.5")
    code, err = run(repo, capsys, "--set", "min_score=2", "lint")
    assert code == 2 and "--set: min_score: bad value '2'" in err
    monkeypatch.setenv("OPDLIST_ARXIV_RSS_URL", "127.0.0.1:8080/rss/")
    code, err = run(repo, capsys, "lint")
    assert code == 2 and "OPDLIST_ARXIV_RSS_URL: rss_url: bad value '127.0.0.1:8080/rss/'" in err


def test_good_settings_still_load(repo):
    set_key(repo, "categories", '["cs.LG", "stat.ML", "math"]')
    set_key(repo, "max_per_day", "12")
    set_key(repo, "min_score", "0")
    set_key(repo, "timezone", '"Europe/Berlin"')
    cfg = load_config(repo, {"min_interval": "0", "max_retries": "0"}, environ={})
    assert cfg.categories == ["cs.LG", "stat.ML", "math"] and cfg.max_per_day == 12
    assert cfg.min_score == 0.0 and cfg.timezone == "Europe/Berlin"
    assert cfg.min_interval == 0.0 and cfg.max_retries == 0
    with pytest.raises(BadInput, match="max_retries: bad value '-2'"):
        load_config(repo, {"max_retries": "-2"}, environ={})


def test_the_topic_lives_in_configuration(repo):
    """The phrase joins and the prior behind min_score are [tool.opdlist] keys whose shipped
    values are today's; another list sets its own, and the model reads them (a phrase the
    maintainer adds is one term of the features)."""
    from classifier.features import Text
    from scripts.daily import topic
    cfg = load_config(repo, environ={})
    assert "on policy" in cfg.phrase_joins and "self distill*" in cfg.phrase_joins
    assert cfg.prior == 0.003
    set_key(repo, "phrase_joins", '["on policy", "speculative decoding"]')
    set_key(repo, "prior", "0.01")
    cfg = load_config(repo, environ={})
    t = topic(cfg)
    assert t.joins == ("on policy", "speculative decoding") and t.prior == 0.01
    text = Text("full", t.joins).normalise("Speculative decoding with an on policy draft")
    assert "speculative-decoding" in text and "on-policy" in text
