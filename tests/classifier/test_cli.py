"""`opdlist score` and `opdlist evaluate` as a user runs them, including every bad input."""
from __future__ import annotations

import json

import pytest

from store.files import write_papers

from ..conftest import ARXIV, needs_shared, run_here as run_cli
from .conftest import VOLD

pytestmark = needs_shared
LIST = str(ARXIV / "list_papers.jsonl")


def _records(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def _one_line_error(r, *needles):
    assert r.returncode == 2, r.stderr
    lines = [ln for ln in r.stderr.strip().splitlines() if ln.startswith("opdlist")]
    assert lines and "Traceback" not in r.stderr
    for n in needles:
        assert n in lines[-1], lines[-1]


def test_score_writes_one_sorted_record_per_paper(tmp_path, day_file, day, repo):
    out = tmp_path / "out.jsonl"
    r = run_cli("--repo", str(repo), "score", "--input", str(day_file), "--output", str(out), "--train", LIST)
    assert r.returncode == 0, r.stderr
    recs = _records(out)
    assert len(recs) == len(day) and {x["id"] for x in recs} == {p.id for p in day}
    assert recs[0]["id"] == VOLD
    scores = [x["score"] for x in recs]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    sections = {json.loads(line)["section"] for line in open(LIST)}
    assert all(x["section"] in sections and 3 <= len(x["why"]) <= 6 for x in recs[:10])
    assert "on-policy distillation" in recs[0]["why"]
    assert "no abstract" in r.stderr     # the blog post of the list trains on its title


def test_score_reads_gzipped_input_and_sections_come_from_the_train_file(tmp_path, day, repo):
    pool = tmp_path / "pool.jsonl.gz"
    write_papers(pool, day[:200])
    train = tmp_path / "train.jsonl"
    lines = [json.loads(line) for line in open(LIST)]
    for d in lines:
        d["section"] = {"Application": "Uses"}.get(d["section"], d["section"])
    lines.append({**day[300].to_dict(), "label": 0})             # a rejected paper
    lines.append({"id": "2510.99999", "title": "On-policy distillation revisited",
                  "abstract": "", "authors": [], "label": 1})       # positive, no section
    train.write_text("".join(json.dumps(d) + "\n" for d in lines))
    out = tmp_path / "out.jsonl"
    r = run_cli("--repo", str(repo), "score", "--input", str(pool), "--output", str(out), "--train", str(train))
    assert r.returncode == 0, r.stderr
    assert {x["section"] for x in _records(out)} <= {"Teacher–Student–Based OPD",
                                                    "On-Policy Self-Distillation", "Uses"}


def test_pool_without_abstracts_scores_on_titles(tmp_path, day, repo):
    pool = tmp_path / "titles.jsonl"
    pool.write_text("".join(json.dumps({"id": p.id, "title": p.title}) + "\n" for p in day))
    out = tmp_path / "out.jsonl"
    r = run_cli("--repo", str(repo), "score", "--input", str(pool), "--output", str(out), "--train", LIST)
    assert r.returncode == 0, r.stderr
    top = [x["id"] for x in _records(out)[:10]]
    assert VOLD in top


def test_empty_pool_scores_to_an_empty_output(tmp_path, repo):
    pool = tmp_path / "empty.jsonl"
    pool.write_text("")
    out = tmp_path / "out.jsonl"
    r = run_cli("--repo", str(repo), "score", "--input", str(pool), "--output", str(out), "--train", LIST)
    assert r.returncode == 0, r.stderr
    assert out.exists() and out.read_text() == ""


def _pool_with(tmp_path, day, *extra_lines, name="bad.jsonl"):
    path = tmp_path / name
    good = "".join(json.dumps(p.to_dict()) + "\n" for p in day[:5])
    path.write_bytes(good.encode() + b"".join(extra_lines))
    return path


def test_duplicate_id_names_both_lines(tmp_path, day, repo):
    path = _pool_with(tmp_path, day, (json.dumps(day[1].to_dict()) + "\n").encode())
    r = run_cli("--repo", str(repo), "score", "--input", str(path), "--output", str(tmp_path / "o"), "--train", LIST)
    _one_line_error(r, "bad.jsonl:6", "line 2", day[1].id)
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("record,field", [({"title": "No id here"}, "id"),
                                          ({"id": "2510.00001"}, "title"),
                                          ({"id": "2510.00001", "title": ""}, "title")])
def test_record_without_id_or_title(tmp_path, day, record, field, repo):
    path = _pool_with(tmp_path, day, (json.dumps(record) + "\n").encode())
    r = run_cli("--repo", str(repo), "score", "--input", str(path), "--output", str(tmp_path / "o"), "--train", LIST)
    _one_line_error(r, "bad.jsonl:6", field)


def test_non_utf8_line(tmp_path, day, repo):
    path = _pool_with(tmp_path, day, b'{"id": "2510.00002", "title": "caf\xe9"}\n')
    r = run_cli("--repo", str(repo), "score", "--input", str(path), "--output", str(tmp_path / "o"), "--train", LIST)
    _one_line_error(r, "bad.jsonl:6", "UTF-8")


def test_truncated_line(tmp_path, day, repo):
    path = _pool_with(tmp_path, day, b'{"id": "2510.00003", "title": "Cut sh')
    r = run_cli("--repo", str(repo), "score", "--input", str(path), "--output", str(tmp_path / "o"), "--train", LIST)
    _one_line_error(r, "bad.jsonl:6", "JSON")


def test_truncated_gzip(tmp_path, day, repo):
    full = tmp_path / "full.jsonl.gz"
    write_papers(full, day)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    r = run_cli("--repo", str(repo), "score", "--input", str(cut), "--output", str(tmp_path / "o"), "--train", LIST)
    _one_line_error(r, "cut.jsonl.gz", "truncated")


def test_train_file_without_positives(tmp_path, day_file, day, repo):
    train = tmp_path / "train.jsonl"
    write_papers(train, day[:20])
    r = run_cli("--repo", str(repo), "score", "--input", str(day_file), "--output", str(tmp_path / "o"),
                "--train", str(train))
    _one_line_error(r, "train.jsonl", "no positives")


def test_train_file_with_one_section_only(tmp_path, day_file, repo):
    train = tmp_path / "train.jsonl"
    train.write_text("".join(line for line in open(LIST) if "Teacher" in line))
    out = tmp_path / "out.jsonl"
    r = run_cli("--repo", str(repo), "score", "--input", str(day_file), "--output", str(out), "--train", str(train))
    assert r.returncode == 0, r.stderr
    recs = _records(out)
    assert {x["section"] for x in recs} == {"Teacher–Student–Based OPD"}
    assert recs[0]["id"] == VOLD


def test_bad_train_file_names_its_line(tmp_path, day_file, repo):
    train = tmp_path / "train.jsonl"
    train.write_text(open(LIST).read() + '{"id": "x", "title": "t", "label": 7}\n')
    r = run_cli("--repo", str(repo), "score", "--input", str(day_file), "--output", str(tmp_path / "o"),
                "--train", str(train))
    _one_line_error(r, "train.jsonl:18", "label")


# ---- evaluate ----------------------------------------------------------------------------
@pytest.fixture
def small_window(tmp_path, window_a):
    """Four real days of window A, two of them with a labelled positive."""
    days = {"2025-10-10", "2025-10-28", "2025-10-29", "2025-11-03"}
    path = tmp_path / "window.jsonl.gz"
    write_papers(path, [p for p in window_a if p.date in days])
    return path


def test_evaluate_prints_the_table_writes_the_plot_and_lists_worst_positives(tmp_path,
                                                                            small_window, repo):
    plot = tmp_path / "pr.png"
    r = run_cli("--repo", str(repo), "evaluate", "--pool", str(small_window), "--labels",
                str(ARXIV / "windowA_labels.jsonl"), "--train", LIST, "--per-day", "3",
                "--plot", str(plot), "--online")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for needle in ("opdlist (this model)", "keyword query", "arxiv-sanity-lite SVM", "AP",
                   "R@3/day", "R@5/day", "R@10/day", "P@5/day", "R@1avg", "R@2avg",
                   "ranks worst", "learning from decisions", "without learning"):
        assert needle in out, needle
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "3 positive(s)" in out
    # for a 100-column terminal (but for lines naming a file, however long its path)
    wide = [line for line in out.splitlines() if len(line) > 100 and str(tmp_path) not in line]
    assert not wide, wide
    assert "…" in out, "long titles and whys are cut with an ellipsis"


def test_evaluate_bad_labels(tmp_path, small_window, repo):
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"id": "2510.23497", "positive": true}\n{"id": "2510.24021"}\n')
    r = run_cli("--repo", str(repo), "evaluate", "--pool", str(small_window), "--labels", str(labels),
                "--train", LIST, "--per-day", "5", "--plot", str(tmp_path / "p.png"))
    _one_line_error(r, "labels.jsonl:2", "positive")


def test_evaluate_without_positives_in_the_pool(tmp_path, small_window, repo):
    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"id": "2511.10643", "positive": true}\n')   # a list paper: removed
    r = run_cli("--repo", str(repo), "evaluate", "--pool", str(small_window), "--labels", str(labels),
                "--train", LIST, "--per-day", "5", "--plot", str(tmp_path / "p.png"))
    _one_line_error(r, "labels.jsonl", "no positive")


def test_evaluate_empty_pool(tmp_path, repo):
    pool = tmp_path / "empty.jsonl"
    pool.write_text("")
    r = run_cli("--repo", str(repo), "evaluate", "--pool", str(pool), "--labels", str(ARXIV / "windowA_labels.jsonl"),
                "--train", LIST, "--per-day", "5")
    _one_line_error(r, "empty.jsonl", "no papers")


def test_score_without_train_uses_the_list_in_readme_and_says_titles_only(tmp_path, repo,
                                                                          day_file):
    """Offline with an empty paper cache: the list's papers train on their titles, said on
    stderr, sections come from README.md, and the model is kept in the cache folder."""
    out = tmp_path / "out.jsonl"
    env = {"OPDLIST_ARXIV_API_URL": "http://127.0.0.1:9/api/query", "OPDLIST_MIN_INTERVAL": "0"}
    r = run_cli("--repo", str(repo), "--set", "max_retries=0", "score", "--input",
                str(day_file), "--output", str(out), env=env)
    assert r.returncode == 0, r.stderr
    assert "titles only" in r.stderr
    recs = _records(out)
    readme = (repo / "README.md").read_text(encoding="utf-8")
    assert all(f"### {x['section']}" in readme for x in recs)
    assert VOLD in [x["id"] for x in recs[:5]]
    assert (repo / ".opdlist-cache" / "model.joblib").exists()
