"""The GitHub Actions workflows are valid, audited, and run on the configured schedule."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import ROOT
from store.config import load_config

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    if not path:
        pytest.fail(f"{name} is a test dependency (pip install -e '.[test]')")
    return path


def test_workflows_match_the_github_schema():
    r = subprocess.run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                        *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize("persona", ["regular", "auditor"])
def test_workflows_pass_the_zizmor_security_audit(persona):
    """No finding, even for the auditor persona (which also wants every permission explained
    by a comment and every job named)."""
    r = subprocess.run([tool("zizmor"), "--offline", f"--persona={persona}",
                        str(ROOT / ".github" / "workflows")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "No findings to report" in r.stdout + r.stderr


def test_every_action_is_pinned_by_hash_and_python_caches_pip():
    load = YAML(typ="safe").load
    for wf in WORKFLOWS:
        for job in load(wf.read_text())["jobs"].values():
            for step in job["steps"]:
                if "uses" in step:
                    ref = step["uses"].partition("@")[2]
                    assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), \
                        f"{wf.name}: {step['uses']} is not pinned by a commit hash"
                if step.get("uses", "").startswith("actions/setup-python@"):
                    assert step["with"].get("cache") == "pip", wf.name


def test_daily_workflow_runs_the_configured_schedule_and_the_readme_command():
    load = YAML(typ="safe").load
    daily = load((ROOT / ".github" / "workflows" / "daily.yml").read_text())
    crons = [c["cron"] for c in daily["on"]["schedule"]]
    assert crons == [load_config(ROOT, environ={}).schedule]
    steps = daily["jobs"]["daily"]["steps"]
    assert any(s.get("run") == "make daily" for s in steps)
    merge = load((ROOT / ".github" / "workflows" / "merge.yml").read_text())
    runs = " ".join(s.get("run", "") for s in merge["jobs"]["merge"]["steps"])
    assert "make merge" in runs and "make lint" in runs
    assert merge["on"]["push"]["paths"] == ["review/candidates.yaml"]


def test_the_workflows_take_turns_and_none_is_cancelled():
    """daily, decide and merge write the same branches: one run at a time, a queued one
    waits instead of cancelling the running one."""
    load = YAML(typ="safe").load
    assert {wf.stem for wf in WORKFLOWS} == {"daily", "decide", "merge"}
    for wf in WORKFLOWS:
        assert load(wf.read_text())["concurrency"] == \
            {"group": "opdlist-state", "cancel-in-progress": False}, wf.name


def test_each_job_holds_exactly_the_permissions_it_needs():
    """Least privilege, stated once: nothing at the workflow level, and per job what its
    steps use (the workflow test proves each is needed: without it a push or a gh call is
    refused)."""
    load = YAML(typ="safe").load
    needed = {"daily": {"contents": "write", "pull-requests": "write"},
              "decide": {"contents": "write", "pull-requests": "write"},
              "merge": {"contents": "write"}}
    for wf in WORKFLOWS:
        doc = load(wf.read_text())
        assert doc["permissions"] == {}, wf.name
        assert [job["permissions"] for job in doc["jobs"].values()] == [needed[wf.stem]], \
            wf.name
