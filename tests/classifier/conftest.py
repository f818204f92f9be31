"""Fixtures of the classifier tests: the list's papers and real days of window A."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from conftest import ARXIV  # noqa: E402  (tests/conftest.py)

from store.config import Config  # noqa: E402
from store.files import read_papers, write_papers  # noqa: E402

def _topic():
    from classifier import Topic
    return Topic(joins=tuple(Config().phrase_joins), prior=Config().prior)


#: the list's topic as the shipped configuration states it
TOPIC = _topic()

VOLD = "2510.23497"       # on-policy distillation, positive of window A, day 2025-10-28
VOLD_DAY = "2025-10-28"


@pytest.fixture(scope="session")
def list_papers():
    if not (ARXIV / "list_papers.jsonl").exists():
        pytest.skip("real data not found")
    return read_papers(ARXIV / "list_papers.jsonl")


@pytest.fixture(scope="session")
def sections(list_papers):
    out = []
    for p in list_papers:
        if p.section not in out:
            out.append(p.section)
    return out


@pytest.fixture(scope="session")
def window_a():
    if not (ARXIV / "windowA.jsonl.gz").exists():
        pytest.skip("real data not found")
    return read_papers(ARXIV / "windowA.jsonl.gz", unique=True)


@pytest.fixture(scope="session")
def day(window_a):
    """All papers of one announcement day (2025-10-28, 795 papers, VOLD among them)."""
    return [p for p in window_a if p.date == VOLD_DAY]


@pytest.fixture(scope="session")
def labels():
    import json
    out = {}
    for line in (ARXIV / "windowA_labels.jsonl").read_text().splitlines():
        d = json.loads(line)
        out[d["id"]] = d["positive"]
    return out


@pytest.fixture
def day_file(tmp_path, day):
    path = tmp_path / "day.jsonl"
    write_papers(path, day)
    return path


@pytest.fixture(scope="session")
def model(list_papers, sections, day):
    """The model of the list's papers with one real day of window A as background."""
    from classifier import TrainingSet, fit
    return fit(TrainingSet(positives=list_papers, background=day, sections=sections, topic=TOPIC))


@pytest.fixture(scope="session")
def scored(model, day):
    return model.score(day)
