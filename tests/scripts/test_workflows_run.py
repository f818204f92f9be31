"""The GitHub Actions loop, executed: a week of daily pull requests, the maintainer's review in
them, and merges of every kind, without GitHub.

`origin` is a bare git repository on disk; each job runs in a fresh clone of it (the runner's
checkout), and each `run:` step of the committed workflow file is executed by `bash -e`, in
order, with the job's environment, exactly as written in the YAML. The `uses:` steps are
emulated: checkout = clone of origin, setup-python = this interpreter, whose `.venv` already
holds the runtime (the test's stand-in for the pip cache: `make`'s install recipe is skipped by
its stamp, the recipe itself is checked in test_make_installs_only_the_runtime_for_the_jobs).
`gh` is a stub on PATH that records its calls and keeps the pull requests in a JSON file; the
fake arXiv (in this process, on 127.0.0.1) serves real listings of window A. Pushes to
`https://x-access-token:…@github.com/OWNER/REPO.git` reach origin through git's `insteadOf`.

The same days are also run locally (`opdlist daily` / `merge` in a plain folder, the same
decisions): main's list, review file and state must come out the same.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import os
import re
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import ARXIV, ROOT, SEED_README, needs_shared
from scripts import cli
from scripts.cmd_prbody import GITHUB_BODY_LIMIT, _md, pr_body
from scripts.fake_arxiv import FakeArxiv
from store.files import read_papers
from store.readme import lint, parse
from store.review import read_review

pytestmark = needs_shared

WORKFLOWS = ROOT / ".github" / "workflows"
REPO = "maintainer/opd-list"
TOKEN = "ghs_stand-in-token"
BRANCH = "opdlist/candidates"
REVIEW = "review/candidates.yaml"
D = lambda s: dt.date.fromisoformat(s)  # noqa: E731

GH_STUB = '''\
#!{python}
"""gh as the workflows call it: records each call, keeps the pull requests in prs.json."""
import argparse, json, os, subprocess, sys
from pathlib import Path

here = Path(os.environ["GH_STUB_DIR"])
origin = os.environ["GH_STUB_ORIGIN"]
argv = sys.argv[1:]
prs_file = here / "prs.json"
prs = json.loads(prs_file.read_text()) if prs_file.exists() else []


def log(**kw):
    with open(here / "calls.jsonl", "a") as f:
        f.write(json.dumps({{"run": os.environ.get("GITHUB_RUN_NUMBER"), "argv": argv,
                            **kw}}) + "\\n")


def fail(msg, code=1):
    log(error=msg)
    print(msg, file=sys.stderr)
    sys.exit(code)


def rev(ref):
    r = subprocess.run(["git", "--git-dir", origin, "rev-parse", "--verify", "--quiet",
                        "refs/heads/" + ref], capture_output=True, text=True)
    return r.stdout.strip()


def body(a):
    return Path(a.body_file).read_text() if a.body_file else (a.body or "")


if not os.environ.get("GH_TOKEN"):
    fail("gh: set the GH_TOKEN environment variable to use gh in GitHub Actions", 4)
p = argparse.ArgumentParser(prog="gh", exit_on_error=False)
sub = p.add_subparsers(dest="group", required=True).add_parser("pr").add_subparsers(
    dest="cmd", required=True)
ls = sub.add_parser("list")
ls.add_argument("--head"); ls.add_argument("--base"); ls.add_argument("--state", default="open")
ls.add_argument("--json"); ls.add_argument("--jq")
cr = sub.add_parser("create")
cr.add_argument("--head", required=True); cr.add_argument("--base", required=True)
cr.add_argument("--title", required=True); cr.add_argument("--body"); cr.add_argument("--body-file")
ed = sub.add_parser("edit")
ed.add_argument("pr"); ed.add_argument("--title"); ed.add_argument("--body"); ed.add_argument("--body-file")
try:
    a = p.parse_args(argv)
except (argparse.ArgumentError, SystemExit) as e:
    fail(f"gh stub: unsupported call ({{e}})", 2)
if a.cmd == "list":
    if a.json != "number" or a.jq != ".[].number" or a.state not in ("open", "all"):
        fail("gh stub: only --json number --jq '.[].number' is emulated", 2)
    found = [pr["number"] for pr in prs if (a.head in (None, pr["head"]))
             and (a.base in (None, pr["base"])) and (a.state == "all" or pr["state"] == "OPEN")]
    log(out=found)
    print("\\n".join(map(str, found)))
elif a.cmd == "create":
    if not rev(a.head):
        fail(f"pull request create failed: head branch {{a.head}} does not exist")
    if rev(a.head) == rev(a.base) or not subprocess.run(
            ["git", "--git-dir", origin, "rev-list", f"{{a.base}}..{{a.head}}"],
            capture_output=True, text=True).stdout.strip():
        fail(f"pull request create failed: No commits between {{a.base}} and {{a.head}}")
    if any(pr["head"] == a.head and pr["base"] == a.base and pr["state"] == "OPEN" for pr in prs):
        fail(f"a pull request for branch \\"{{a.head}}\\" into branch \\"{{a.base}}\\" already exists")
    if len(body(a)) > 65536:
        fail("pull request create failed: body is too long (maximum is 65536 characters)")
    pr = {{"number": len(prs) + 1, "head": a.head, "base": a.base, "title": a.title,
          "body": body(a), "state": "OPEN", "head_sha": rev(a.head)}}
    prs.append(pr)
    prs_file.write_text(json.dumps(prs, indent=1))
    log(number=pr["number"], body=pr["body"])
    print(f"https://github.com/{repo}/pull/{{pr['number']}}")
elif a.cmd == "edit":
    pr = next((pr for pr in prs if str(pr["number"]) == a.pr or
               (pr["head"] == a.pr and pr["state"] == "OPEN")), None)
    if pr is None:
        fail(f"no pull requests found for {{a.pr}}")
    if len(body(a)) > 65536:
        fail("pull request update failed: body is too long (maximum is 65536 characters)")
    if a.body_file or a.body is not None:
        pr["body"] = body(a)
    if a.title:
        pr["title"] = a.title
    prs_file.write_text(json.dumps(prs, indent=1))
    log(number=pr["number"], body=pr["body"])
'''


# ---- the simulated GitHub ----------------------------------------------------------------------

@dataclasses.dataclass
class Job:
    ok: bool
    failed: str          # name of the failed step, "" when the job succeeded
    log: str


class GitHub:
    """origin on disk, runners that execute the committed workflows, the gh stand-in."""

    def __init__(self, tmp: Path, fake: FakeArxiv):
        self.tmp, self.fake, self.runs, self.labels = tmp, fake, 0, {}
        self.origin = tmp / "origin.git"
        self.bin = tmp / "bin"
        self.gh = tmp / "gh"
        home = tmp / "home"
        for d in (self.bin, self.gh, home):
            d.mkdir(parents=True)
        (self.bin / "gh").write_text(GH_STUB.format(python=sys.executable, repo=REPO))
        (self.bin / "gh").chmod(0o755)
        (home / ".gitconfig").write_text(textwrap.dedent(f"""\
            [user]
            \tname = The Maintainer
            \temail = maintainer@example.org
            [init]
            \tdefaultBranch = main
            [advice]
            \tdetachedHead = false
            [url "{self.origin}"]
            \tinsteadOf = https://github.com/{REPO}
            \tinsteadOf = https://x-access-token:{TOKEN}@github.com/{REPO}.git
            """))
        self.env = {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
                    "GH_STUB_DIR": str(self.gh), "GH_STUB_ORIGIN": str(self.origin),
                    "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
                    # the network: the fake arXiv stands in for arxiv.org
                    "OPDLIST_ARXIV_RSS_URL": fake.urls["rss_url"],
                    "OPDLIST_ARXIV_API_URL": fake.urls["api_url"],
                    "OPDLIST_ARXIV_OAI_URL": fake.urls["oai_url"],
                    "OPDLIST_MIN_INTERVAL": "0.01"}
        for var in ("GITHUB_TOKEN", "GH_TOKEN", "GIT_DIR", "GIT_WORK_TREE", "VIRTUAL_ENV"):
            self.env.pop(var, None)
        git("init", "--quiet", "--bare", str(self.origin), cwd=tmp, env=self.env)
        self.maint = tmp / "maintainer"
        git("clone", "--quiet", f"https://github.com/{REPO}", str(self.maint), cwd=tmp,
            env=self.env)

    # -- git -------------------------------------------------------------------------------------
    def git(self, *args: str, cwd: Path | None = None, check: bool = True) -> str:
        return git(*args, cwd=cwd or self.maint, env=self.env, check=check)

    def refs(self) -> dict[str, str]:
        out = self.git("--git-dir", str(self.origin), "for-each-ref",
                       "--format=%(refname) %(objectname)")
        return dict(line.split() for line in out.splitlines())

    def show(self, ref: str, path: str) -> bytes:
        return subprocess.run(["git", "--git-dir", str(self.origin), "show", f"{ref}:{path}"],
                              capture_output=True, env=self.env, check=True).stdout

    def text(self, ref: str, path: str) -> str:
        return self.show(ref, path).decode("utf-8")

    # -- gh state --------------------------------------------------------------------------------
    def prs(self) -> list[dict]:
        f = self.gh / "prs.json"
        return json.loads(f.read_text()) if f.exists() else []

    def calls(self) -> list[dict]:
        f = self.gh / "calls.jsonl"
        return [json.loads(line) for line in f.read_text().splitlines()] if f.exists() else []

    def open_prs(self) -> list[dict]:
        return [pr for pr in self.prs() if pr["state"] == "OPEN"]

    def set_state(self, number: int, state: str) -> None:
        prs = self.prs()
        for pr in prs:
            if pr["number"] == number:
                pr["state"] = state
        (self.gh / "prs.json").write_text(json.dumps(prs, indent=1))

    # -- a runner --------------------------------------------------------------------------------
    def run(self, workflow: str, event: str, sha: str = "", label: str = "") -> Job:
        """Run the one job of .github/workflows/WORKFLOW.yml as GitHub would on EVENT."""
        self.runs += 1
        self.labels[str(self.runs)] = f"{workflow} on {event} {label}".strip()
        base = self.tmp / "runs" / f"{self.runs:02d}-{workflow}"
        work, temp = base / "work", base / "temp"
        temp.mkdir(parents=True)
        wf = YAML(typ="safe").load((WORKFLOWS / f"{workflow}.yml").read_text())
        assert event in wf["on"], f"{workflow}.yml does not run on {event}"
        (job,) = wf["jobs"].values()
        env = {**self.env, "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": REPO,
               "GITHUB_RUN_NUMBER": str(self.runs),
               "GITHUB_SERVER_URL": "https://github.com", "GITHUB_EVENT_NAME": event,
               "GITHUB_REF": "refs/heads/main", "GITHUB_WORKSPACE": str(work),
               "RUNNER_TEMP": str(temp)}
        for scope in (wf.get("env", {}), job.get("env", {})):
            env.update({k: expand(str(v)) for k, v in scope.items()})
        log = []
        for n, step in enumerate(job["steps"], 1):
            unknown = set(step) - {"name", "uses", "with", "run", "env"}
            assert not unknown, f"step {n} of {workflow}.yml uses {unknown}: emulate it here"
            name = step.get("name") or step.get("uses") or f"step {n}"
            step_env = {**env, **{k: expand(str(v)) for k, v in step.get("env", {}).items()}}
            if "uses" in step:
                self._action(step["uses"], step.get("with", {}), work, sha, step_env)
                continue
            assert "${{" not in step["run"], f"{name}: an expression in run: (template injection)"
            script = temp / f"step{n}.sh"
            script.write_text(step["run"])
            r = subprocess.run(["bash", "-e", str(script)], cwd=work, env=step_env,
                               capture_output=True, text=True, timeout=300)
            log.append(f"## {name} (exit {r.returncode})\n{r.stdout}{r.stderr}")
            if r.returncode != 0:
                return Job(False, name, "\n".join(log))
        return Job(True, "", "\n".join(log))

    def _action(self, uses: str, with_: dict, work: Path, sha: str, env: dict) -> None:
        action = uses.split("@")[0]
        if action == "actions/checkout":
            depth = [] if str(with_.get("fetch-depth", 1)) == "0" else ["--depth", "1"]
            git("clone", "--quiet", *depth, f"file://{self.origin}", str(work), cwd=self.tmp,
                env=env)
            git("remote", "set-url", "origin", f"https://github.com/{REPO}", cwd=work, env=env)
            if sha:
                git("checkout", "--quiet", "-B", "main", sha, cwd=work, env=env)
        elif action == "actions/setup-python":
            assert with_.get("cache") == "pip", "the workflows cache pip"
            venv = work / ".venv" / "bin"
            venv.mkdir(parents=True)
            for name, code in (("python", f'exec {sys.executable} "$@"'),
                               ("opdlist", f'PYTHONPATH={ROOT} exec {sys.executable} '
                                           f'-m scripts.cli "$@"')):
                (venv / name).write_text(f"#!/bin/sh\n{code}\n")
                (venv / name).chmod(0o755)
            (work / ".venv" / ".installed-run").touch()    # make's stamp: already installed
        else:
            raise AssertionError(f"action {uses} is not emulated")

    # -- the maintainer --------------------------------------------------------------------------
    def fetch(self) -> None:
        self.git("fetch", "--quiet", "--prune", "origin")

    def commit_on(self, ref: str, path: str, edit, message: str) -> None:
        """Check out REF, change PATH with EDIT(text) -> text, commit, push back to REF."""
        self.fetch()
        self.git("checkout", "--quiet", "-B", ref, f"origin/{ref}")
        f = self.maint / path
        f.write_text(edit(f.read_text(encoding="utf-8")), encoding="utf-8")
        self.git("commit", "--quiet", "-am", message)
        self.git("push", "--quiet", "origin", f"HEAD:{ref}")

    def merge_pr(self, style: str, delete_branch: bool = False) -> str:
        """Merge the open pull request as GitHub's button does; return main's new sha."""
        (pr,) = self.open_prs()
        self.fetch()
        self.git("checkout", "--quiet", "-B", "main", "origin/main")
        head = f"origin/{BRANCH}"
        try:
            if style == "merge":
                self.git("merge", "--quiet", "--no-ff", "-m",
                         f"Merge pull request #{pr['number']} from {BRANCH}", head)
            elif style == "squash":
                self.git("merge", "--quiet", "--squash", head)
                self.git("commit", "--quiet", "-m", f"{pr['title']} (#{pr['number']})")
            elif style == "rebase":      # GitHub replays the commits, merges dropped
                self.git("checkout", "--quiet", "-B", "rebased", head)
                self.git("rebase", "--quiet", "--force-rebase", "origin/main")
                self.git("checkout", "--quiet", "main")
                self.git("merge", "--quiet", "--ff-only", "rebased")
        except subprocess.CalledProcessError as e:
            pytest.fail(f"{style} merge of #{pr['number']} conflicts: {e.stdout}{e.stderr}")
        self.git("push", "--quiet", "origin", "main")
        self.set_state(pr["number"], "MERGED")
        if delete_branch:
            self.git("push", "--quiet", "origin", "--delete", BRANCH)
        return self.git("rev-parse", "HEAD").strip()


def git(*args: str, cwd: Path, env: dict, check: bool = True) -> str:
    r = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and r.returncode:
        raise subprocess.CalledProcessError(r.returncode, ["git", *args], r.stdout, r.stderr)
    return r.stdout


def expand(value: str) -> str:
    """The few `${{ }}` expressions the workflows may use in env."""
    known = {"github.token": TOKEN}

    def one(m):
        assert m.group(1) in known, f"expression ${{{{ {m.group(1)} }}}} is not emulated"
        return known[m.group(1)]
    return re.sub(r"\$\{\{\s*(.*?)\s*\}\}", one, value)


# ---- the maintainer's review -------------------------------------------------------------------

def decide(text: str, choices: dict, scratch: Path) -> str:
    """The review file with CHOICES (id -> (decision, section or None, comment)) applied by
    hand, block by block, as a maintainer edits the YAML."""
    cands = review_of(text, scratch).candidates
    blocks = re.split(r"(?m)^(?=  - id: )", text)
    assert len(blocks) == len(cands) + 1
    out = [blocks[0]]
    for block, c in zip(blocks[1:], cands):
        choice = None if c.decision else choices.get(c.paper.id)
        if choice:
            decision, section, comment = choice
            block = block.replace('decision: ""', f"decision: {decision}"
                                  + (f"  # {comment}" if comment else ""))
            if section:
                block = re.sub(r'(?m)^(    section: )"[^"]*"', rf'\1"{section}"', block)
        out.append(block)
    return "".join(out)


def review_of(text: str, tmp: Path):
    tmp.write_text(text, encoding="utf-8")
    return read_review(tmp)


# ---- the test ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fake():
    """Two weeks of window A, kept small (a run costs what the model costs): the papers whose
    primary category is cs.CL or cs.LG."""
    papers = [p for p in read_papers(ARXIV / "windowA.jsonl.gz")
              if "2025-10-20" <= p.date <= "2025-11-04" and p.categories[:1] in (["cs.CL"],
                                                                                 ["cs.LG"])]
    papers += [dataclasses.replace(p, date="") for p in read_papers(ARXIV / "list_papers.jsonl")]
    server = FakeArxiv(papers, today=D("2025-10-27"), retry_after=0.05)
    server.start()
    yield server
    server.stop()


def pyproject() -> str:
    """Our pyproject.toml, with a maintainer who reviews the best three of each day (so that
    every day has candidates to decide, whatever the model's scores)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for key, value in (("min_score", "0.0"), ("max_per_day", "3")):
        text, n = re.subn(rf"(?m)^{key} = [^#\n]*", f"{key} = {value}  ", text)
        assert n == 1, key
    return text


def seed_origin(gh: GitHub) -> None:
    """The list's repository: the seed README, the configuration, the Makefile, the workflows."""
    m = gh.maint
    (m / ".github" / "workflows").mkdir(parents=True)
    for wf in WORKFLOWS.glob("*.yml"):
        (m / ".github" / "workflows" / wf.name).write_bytes(wf.read_bytes())
    for name in ("Makefile", ".gitignore"):
        (m / name).write_bytes((ROOT / name).read_bytes())
    (m / "pyproject.toml").write_text(pyproject(), encoding="utf-8")
    (m / "README.md").write_bytes(SEED_README.read_bytes())
    gh.git("add", "-A")
    gh.git("commit", "--quiet", "-m", "The list and its machinery")
    gh.git("push", "--quiet", "origin", "HEAD:main")


class Local:
    """The same days run by hand in a plain folder: `opdlist daily` and `opdlist merge`."""

    def __init__(self, path: Path):
        self.path = path
        path.mkdir()
        (path / "README.md").write_bytes(SEED_README.read_bytes())
        (path / "pyproject.toml").write_text(pyproject(), encoding="utf-8")

    def opdlist(self, *args: str) -> int:
        return cli.main(["--repo", str(self.path), *args])

    def edit(self, path: str, fn) -> None:
        f = self.path / path
        f.write_text(fn(f.read_text(encoding="utf-8")), encoding="utf-8")


def decisions(raw: bytes) -> list[dict]:
    """The decisions file without the day decided (the clock's, not the data's)."""
    return [{k: v for k, v in json.loads(line).items() if k != "decided"}
            for line in raw.decode().splitlines() if line.strip()]


def test_a_week_of_the_workflows_pull_requests_reviews_and_merges_of_every_kind(
        tmp_path, fake, monkeypatch, capsys):
    for var in ("rss_url", "api_url", "oai_url"):
        monkeypatch.setenv(f"OPDLIST_ARXIV_{var.split('_')[0].upper()}_URL", fake.urls[var])
    monkeypatch.setenv("OPDLIST_MIN_INTERVAL", "0.01")
    gh = GitHub(tmp_path / "github", fake)
    seed_origin(gh)
    local = Local(tmp_path / "local")
    sections = parse(SEED_README.read_text(encoding="utf-8")).section_names()
    seed_keys = {e.key for _, e in parse(SEED_README.read_text(encoding="utf-8")).entries()}
    approved: dict[str, str] = {}        # id -> section, over the whole week
    rejected: set[str] = set()
    proposed: list[str] = []             # every candidate id as it first appears on the branch
    scratch = tmp_path / "scratch.yaml"

    def daily(day: str, fault: str = "") -> Job:
        """The scheduled daily on listing day DAY, on GitHub and locally."""
        fake.clear()
        fake.set_today(D(day))
        before, calls = gh.refs(), len(gh.calls())
        if fault:
            fake.add_fault(fault)
        with ThreadPoolExecutor(1) as runner:      # the runner and the local run side by side
            running = runner.submit(gh.run, "daily", "schedule", label=day)
            rc = local.opdlist("daily")
            job = running.result()
        fake.clear()
        capsys.readouterr()
        assert rc == (0 if job.ok else 1), job.log
        assert len(gh.open_prs()) <= 1, "one candidates pull request at a time"
        writes = [c for c in gh.calls()[calls:] if c["argv"][1] in ("create", "edit")]
        if gh.refs() == before:
            assert not writes, "nothing pushed, so no pull request created or updated"
            return job
        # pushed: the branch holds the new candidates, its pull request says so
        assert job.ok, job.log
        review = gh.text(BRANCH, REVIEW)
        assert review == (local.path / REVIEW).read_text(encoding="utf-8"), \
            "the branch's review file is the one a local run of the same days writes"
        ids = [c.paper.id for c in review_of(review, scratch).candidates]
        assert len(ids) == len(set(ids)), "a candidate proposed twice"
        new = [i for i in ids if i not in proposed]
        assert not set(new) & (set(approved) | rejected), "a decided paper proposed again"
        assert not set(proposed) - set(ids) - set(approved) - rejected, "a candidate vanished"
        proposed.extend(new)
        (pr,) = gh.open_prs()
        assert [c["argv"][:2] for c in writes] in ([["pr", "create"]], [["pr", "edit"]])
        assert pr["body"] == pr_body(review_of(review, scratch), REVIEW, file_url=(
            f"https://github.com/{REPO}/blob/{BRANCH}/{REVIEW}")), "the body is today's"
        return job

    def review(rule, comment_on_top: str = "") -> None:
        """The maintainer edits the decisions in the pull request (a commit on its branch);
        RULE(candidate) -> None | (decision, section or None, comment) for each undecided one."""
        undecided = [c for c in review_of(gh.text(BRANCH, REVIEW), scratch).candidates
                     if not c.decision]
        choices = {c.paper.id: rule(c) for c in undecided}
        for c in undecided:
            choice = choices[c.paper.id]
            if choice and choice[0] == "approve":
                approved[c.paper.id] = choice[1] or c.section
            elif choice:
                rejected.add(c.paper.id)

        def edit(text: str) -> str:
            text = decide(text, choices, scratch)
            return f"# {comment_on_top}\n{text}" if comment_on_top else text
        gh.commit_on(BRANCH, REVIEW, edit, "Review the candidates")
        local.edit(REVIEW, edit)

    def merge(style: str, **kw) -> None:
        """The maintainer merges the pull request; merge.yml runs on the push to main."""
        before = gh.refs()["refs/heads/main"]
        sha = gh.merge_pr(style, **kw)
        changed = gh.git("diff", "--name-only", before, sha).split()
        assert REVIEW in changed, "merge.yml's paths filter would not fire"
        job = gh.run("merge", "push", sha=sha, label=f"after the {style} merge")
        assert job.ok, job.log
        assert "Check the list" in job.log
        assert local.opdlist("merge") == 0
        capsys.readouterr()
        readme = gh.text("main", "README.md")
        assert lint(readme) == [], "README.md lints after each merge"
        doc = parse(readme)
        assert {e.key for _, e in doc.entries()} == seed_keys | set(approved), \
            "README.md holds the seed's papers and exactly the approved ones"
        for _, e in doc.entries():
            if e.key in approved:
                assert e in doc.find_section(approved[e.key]).entries, "in the chosen section"
        left = review_of(gh.text("main", REVIEW), scratch).candidates
        assert not {c.paper.id for c in left} & (set(approved) | rejected)
        assert all(not c.decision for c in left)
        assert readme == (local.path / "README.md").read_text(encoding="utf-8")

    def approve_first(section_change: bool, comment: str = ""):
        done = []

        def rule(c):
            if done:
                return None
            done.append(c)
            other = next(s for s in sections if s != c.section) if section_change else None
            return "approve", other, comment
        return rule

    # Mon: the first run opens the pull request
    job = daily("2025-10-27")
    assert job.ok and [pr["number"] for pr in gh.open_prs()] == [1], job.log
    # the maintainer approves one into another section right in the pull request, and fixes
    # the list's intro on main meanwhile
    review(approve_first(True, "read it: the method is on-policy"))

    def fix_intro(text: str) -> str:
        assert "list on **On-Policy Distillation**." in text
        return text.replace("list on **On-Policy Distillation**.",
                            "list on **On-Policy Distillation** (OPD).", 1)
    gh.commit_on("main", "README.md", fix_intro, "Intro: spell out OPD")
    local.edit("README.md", fix_intro)
    # Tue: arXiv is down, the run fails, nothing is pushed
    before = gh.refs()
    job = daily("2025-10-28", fault="rss:503:500")
    assert not job.ok and job.failed == "Run the daily job", job.log
    assert gh.refs() == before
    # Wed: catches up Tuesday, continues the pull request (merging main's fix), updates it
    job = daily("2025-10-29")
    assert job.ok, job.log
    assert [pr["number"] for pr in gh.prs()] == [1]
    days = {c.announced for c in review_of(gh.text(BRANCH, REVIEW), scratch).candidates}
    assert {"2025-10-27", "2025-10-28", "2025-10-29"} >= days and "2025-10-28" in days
    assert "(OPD)" in gh.text(BRANCH, "README.md")
    # the maintainer rejects the first two days and leaves Wednesday's for later; merge commit
    review(lambda c: ("reject", None, "") if c.announced < "2025-10-29" else None,
           comment_on_top="week 44, reviewed in the pull request")
    merge("merge")
    assert "# week 44, reviewed in the pull request" in gh.text("main", REVIEW)
    notes = {d["id"]: d.get("note") for d in decisions(gh.show("main", "state/decisions.jsonl"))}
    assert [notes[i] for i in approved] == ["read it: the method is on-policy"], \
        "the maintainer's comment is kept with the decision"
    # Thu: the runner is down. Fri: catches up Thursday, a fresh pull request from main
    job = daily("2025-10-31")
    assert job.ok and [pr["number"] for pr in gh.open_prs()] == [2], job.log
    catch_up = gh.open_prs()[0]["body"]
    assert "### Announced 2025-10-30" in catch_up and "### Announced 2025-10-31" in catch_up
    # approve the best of them, reject the rest; squash
    best = max(review_of(gh.text(BRANCH, REVIEW), scratch).candidates, key=lambda c: c.score)
    review(lambda c: ("approve", None, "") if c.paper.id == best.paper.id
           else ("reject", None, "not OPD"))
    merge("squash")
    # Sat: a run by hand finds no announcement: nothing changes, nothing is pushed
    before = gh.refs()
    job = daily("2025-11-01")
    assert job.ok and gh.refs() == before and not gh.open_prs(), job.log
    # Mon: a fresh pull request; approve the first, reject the rest; rebase, branch deleted
    job = daily("2025-11-03")
    assert job.ok and [pr["number"] for pr in gh.open_prs()] == [3], job.log
    first = approve_first(False)
    review(lambda c: first(c) or ("reject", None, ""))
    merge("rebase", delete_branch=True)
    assert "refs/heads/" + BRANCH not in gh.refs()

    # main's state and review file are those of the local run of the same days
    for path in (REVIEW, "state/cursor.json"):
        assert gh.text("main", path) == (local.path / path).read_text(encoding="utf-8"), path
    assert decisions(gh.show("main", "state/decisions.jsonl")) == \
        decisions((local.path / "state/decisions.jsonl").read_bytes())
    assert not (local.path / "state/papers.jsonl.gz").exists()
    assert "state/papers.jsonl.gz" not in gh.git("ls-tree", "-r", "--name-only", "origin/main")
    assert json.loads(gh.text("main", "state/cursor.json"))["last_day"] == "2025-11-03"

    # Tue: the next daily continues cleanly
    job = daily("2025-11-04")
    assert job.ok and [pr["number"] for pr in gh.open_prs()] == [4], job.log
    assert json.loads(gh.text(BRANCH, "state/cursor.json"))["last_day"] == "2025-11-04"
    assert [pr["state"] for pr in gh.prs()] == ["MERGED"] * 3 + ["OPEN"]
    assert not any("error" in c for c in gh.calls()), gh.calls()
    assert [(c["argv"][1], c["number"]) for c in gh.calls() if "number" in c] == \
        [("create", 1), ("edit", 1), ("create", 2), ("create", 3), ("create", 4)]

    # for the record: the calls and a catch-up day's body (see the note)
    (tmp_path / "gh-calls.txt").write_text("\n".join(
        f"run {c['run']} ({gh.labels[c['run']]}): gh " + " ".join(c["argv"])
        + (f"  -> #{c['number']}" if "number" in c else f"  -> {c.get('out')}")
        for c in gh.calls()) + "\n")
    (tmp_path / "catch-up-body.md").write_text(catch_up)


def test_make_installs_only_the_runtime_for_the_jobs(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    (tmp_path / "Makefile").write_bytes((ROOT / "Makefile").read_bytes())

    def plan(target: str) -> str:
        r = subprocess.run(["make", "-n", target], cwd=tmp_path, capture_output=True, text=True,
                           timeout=30)
        assert r.returncode == 0, r.stderr
        return r.stdout

    for target in ("daily", "merge", "lint", "decide"):
        steps = plan(target)
        assert "pip install --quiet -e .\n" in steps and "[test]" not in steps, steps
    assert "pip install --quiet -e '.[test]'" in plan("test")


def test_pr_body_links_each_candidate_and_stays_within_githubs_limit(repo):
    """A catch-up of many days: the body is cut with a note, never over the limit."""
    papers = [p for p in read_papers(ARXIV / "windowA.jsonl.gz") if p.date >= "2025-12-01"]
    from store.review import Candidate, ReviewFile
    from ruamel.yaml.comments import CommentedMap
    review = ReviewFile(repo / "c.yaml", CommentedMap(), [])
    review.append([Candidate(paper=p, score=0.5, section="Application", venue="Arxiv2025",
                             why=["on-policy distillation", "student"], announced=p.date)
                   for p in papers[:200]])
    path = repo / "review" / "candidates.yaml"
    path.parent.mkdir()
    text = review.dump()
    # the first one decided; the second with a runner-up section and the closest listed paper
    blocks = re.split(r"(?m)^(?=  - id: )", text.replace('decision: ""', "decision: reject", 1))
    blocks[2] = re.sub(r'(?m)^(    section: .*\n)', r'\1    section_alternative: "Teacher–Student–'
                       r'Based OPD"\n    like: "Self-Distilled Reasoner (2601.18734)"\n',
                       blocks[2])
    path.write_text("".join(blocks), encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "scripts.cli", "--repo", str(repo), "pr-body",
                        "--file-url", "https://github.com/me/list/blob/b/review/candidates.yaml"],
                       cwd=ROOT, capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr
    body = r.stdout
    assert len(body) <= GITHUB_BODY_LIMIT < len(text)
    assert "## 199 candidate(s) to decide" in body and "1 rejected" in body
    shown = re.findall(r"(?m)^(\d+)\. \*\*\[", body)
    assert 50 < len(shown) < 199
    assert f"and {199 - len(shown)} more candidate(s) not shown" in body
    cands = read_review(path).candidates
    second = cands[1]
    item = body[body.index(f"1. **[{_md(second.paper.title)}](https://arxiv.org/abs/"
                           f"{second.paper.id})**"):body.index("\n2. ")]     # the first to decide
    assert "score **0.50** · section *Application* (or *Teacher–Student–Based OPD*)" in item
    assert "why: on-policy distillation, student" in item
    assert "like: Self-Distilled Reasoner (2601.18734)" in item
    assert (f"[review/candidates.yaml line {second.lines['decision']}]"
            f"(https://github.com/me/list/blob/b/review/candidates.yaml"
            f"#L{second.lines['decision']})") in body
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[second.lines["decision"] - 1].strip() == 'decision: ""'
