"""The GitHub Actions loop, executed: a week of daily pull requests, the maintainer's decisions
in them (ticked boxes and hand edits), and merges of every kind, without GitHub.

`origin` is a bare git repository on disk; each job runs in a fresh clone of it (the runner's
checkout), and each `run:` step of the committed workflow file is executed by `bash -e`, in
order, with the job's environment, exactly as written in the YAML. GitHub's part is emulated
as it behaves, so that a change of meaning in a workflow turns a test red:

- events: the schedule, the maintainer's pushes (`push`, and `pull_request` `synchronize` for
  the open pull request's branch), a merge (`push` to main, `pull_request` `closed`) and an
  edit of the pull request's description (`pull_request` `edited`, the payload as GitHub
  sends it: `changes.body.from`, `pull_request.{number, body, head, base}`, `sender`). A
  workflow runs only when its `on:` takes the event: branches, paths and types are evaluated.
  Pushes and edits made with a job's token start nothing (GitHub's rule).
- jobs: `if:` and step `if:` expressions, `${{ }}` in `env:` and `with:`, step outputs
  (`$GITHUB_OUTPUT`), `$GITHUB_EVENT_PATH`, and the job's `permissions`: its token is refused
  by the gh stand-in without `pull-requests: write` (create, edit) and by origin's
  pre-receive hook without `contents: write` (push).
- actions: checkout = clone of origin (its `ref`); setup-python = this interpreter, whose
  `.venv` already holds the runtime (the test's stand-in for the pip cache: `make`'s install
  recipe is skipped by its stamp, the recipe itself is checked in
  test_make_installs_only_the_runtime_for_the_jobs); cache = actions/cache's rules: the exact
  key, else the newest entry matching a restore key (this branch's or main's), saved at the
  end of a successful job when the exact key is new. The runner's clock (`date`) is the
  scheduled time of the day being lived.

`gh` is a stub on PATH that records its calls and keeps the pull requests in a JSON file; the
fake arXiv (in this process, on 127.0.0.1) serves real listings of window A. Pushes to
`https://x-access-token:…@github.com/OWNER/REPO.git` reach origin through git's `insteadOf`.

The same days are also run locally (`opdlist daily` / `decide` / `merge` in a plain folder,
the same decisions): main's list, review file and state must come out the same.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import shutil
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
BRANCH = "opdlist/candidates"
REVIEW = "review/candidates.yaml"
BOT = "github-actions[bot]"
# who may write to the repository; anyone else reads it (a public repository)
COLLABORATORS = {"maintainer": "admin", "co-maintainer": "write"}
D = lambda s: dt.date.fromisoformat(s)  # noqa: E731

GH_STUB = '''\
#!{python}
"""gh as the workflows call it: records each call, keeps the pull requests in prs.json, and
answers only a token with the permission the call needs (tokens.json: the jobs' tokens)."""
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


def need(scope, level):
    have = permissions.get(scope, "none")
    if (have, level) not in (("read", "read"), ("write", "read"), ("write", "write")):
        fail(f"HTTP 403: Resource not accessible by integration ({{scope}}: {{level}} needed, "
             f"the token has {{have}})")


if not os.environ.get("GH_TOKEN"):
    fail("gh: set the GH_TOKEN environment variable to use gh in GitHub Actions", 4)
tokens = json.loads((here / "tokens.json").read_text()) if (here / "tokens.json").exists() else {{}}
if os.environ["GH_TOKEN"] not in tokens:
    fail("HTTP 401: Bad credentials (https://api.github.com/graphql)")
permissions = tokens[os.environ["GH_TOKEN"]]
p = argparse.ArgumentParser(prog="gh", exit_on_error=False)
groups = p.add_subparsers(dest="group", required=True)
sub = groups.add_parser("pr").add_subparsers(dest="cmd", required=True)
api = groups.add_parser("api")
api.add_argument("endpoint"); api.add_argument("--jq")
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
if a.group == "api":
    parts = a.endpoint.strip("/").split("/")
    if len(parts) != 6 or parts[:3] != ["repos", *"{repo}".split("/")] or \\
            parts[3] != "collaborators" or parts[5] != "permission" or a.jq != ".permission":
        fail(f"gh stub: only repos/{repo}/collaborators/LOGIN/permission --jq .permission "
             "is emulated", 2)
    need("metadata", "read")
    collaborators = json.loads((here / "collaborators.json").read_text())
    answer = collaborators.get(parts[4], "read")       # a public repository: anyone reads
    log(out=answer)
    print(answer)
elif a.cmd == "list":
    need("pull-requests", "read")
    if a.json != "number" or a.jq != ".[].number" or a.state not in ("open", "all"):
        fail("gh stub: only --json number --jq '.[].number' is emulated", 2)
    found = [pr["number"] for pr in prs if (a.head in (None, pr["head"]))
             and (a.base in (None, pr["base"])) and (a.state == "all" or pr["state"] == "OPEN")]
    log(out=found)
    print("\\n".join(map(str, found)))
elif a.cmd == "create":
    need("pull-requests", "write")
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
    need("pull-requests", "write")
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

# origin's pre-receive hook: a push from a job (its environment names the run) needs the job's
# token to hold `contents: write`; the maintainer's own pushes come from elsewhere
PRE_RECEIVE = '''\
#!{python}
import json, os, sys
run = os.environ.get("GITHUB_RUN_NUMBER")
if run:
    tokens = json.load(open(os.path.join(os.environ["GH_STUB_DIR"], "tokens.json")))
    if tokens["ghs_run" + run].get("contents") != "write":
        print("remote: Permission to {repo}.git denied to {bot}.", file=sys.stderr)
        sys.exit(1)
'''

# what a job's token may do when the workflow says nothing: a repository created since 2023
# ("Read repository contents and packages permissions")
DEFAULT_PERMISSIONS = {"contents": "read", "packages": "read", "metadata": "read"}
SCOPES = ("actions", "attestations", "checks", "contents", "deployments", "discussions",
          "id-token", "issues", "packages", "pages", "pull-requests", "repository-projects",
          "security-events", "statuses")


def permissions(wf: dict, job: dict) -> dict:
    """The job token's permissions: the job's `permissions`, else the workflow's, else the
    default; `metadata: read` always."""
    given = job.get("permissions", wf.get("permissions", DEFAULT_PERMISSIONS))
    if given in ("read-all", "write-all"):
        given = {s: given.split("-")[0] for s in SCOPES}
    return {"metadata": "read", **(given or {})}


# ---- `on:` as GitHub reads it ------------------------------------------------------------------

def _glob(pattern: str) -> re.Pattern:
    """GitHub's filter pattern: `*` within a path segment, `**` across them."""
    assert not set(pattern) & set("?+[]"), f"pattern {pattern!r}: emulate ? + [ ] here"
    parts = re.split(r"(\*\*|\*)", pattern)
    return re.compile("".join(".*" if p == "**" else "[^/]*" if p == "*" else re.escape(p)
                              for p in parts) + r"\Z")


def _matches(patterns: list, name: str) -> bool:
    """Patterns in order, a `!` one excluding what matched before; the last match wins."""
    hit = False
    for pattern in patterns:
        if pattern.startswith("!"):
            hit = hit and not _glob(pattern[1:]).match(name)
        elif _glob(pattern).match(name):
            hit = True
    return hit


def triggered(on, event: str, payload: dict, changed: list[str]) -> bool:
    """Whether a workflow with this `on:` runs for EVENT (its filters evaluated)."""
    if isinstance(on, str):
        on = {on: None}
    elif isinstance(on, list):
        on = dict.fromkeys(on)
    if event not in on:
        return False
    f = on[event] or {}
    if event in ("push", "pull_request"):
        known = {"branches", "branches-ignore", "paths", "paths-ignore", "types", "tags",
                 "tags-ignore"}
        assert set(f) <= known, f"filters {set(f) - known} are not emulated"
        if event == "push":
            branch = payload["ref"].removeprefix("refs/heads/")
            if ("tags" in f or "tags-ignore" in f) and not \
                    ("branches" in f or "branches-ignore" in f):
                return False
        else:
            if payload["action"] not in f.get("types", ["opened", "synchronize", "reopened"]):
                return False
            branch = payload["pull_request"]["base"]["ref"]
        if "branches" in f and not _matches(f["branches"], branch):
            return False
        if "branches-ignore" in f and _matches(f["branches-ignore"], branch):
            return False
        if "paths" in f and not any(_matches(f["paths"], p) for p in changed):
            return False
        if "paths-ignore" in f and all(_matches(f["paths-ignore"], p) for p in changed):
            return False
    return True


# ---- `${{ }}` expressions ----------------------------------------------------------------------

_TOKENS = re.compile(r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<num>\d+(?:\.\d+)?)"
                     r"|(?P<op>==|!=|&&|\|\||[!()\[\],.])|(?P<name>[A-Za-z_][\w-]*))")
STATUS = ("success", "failure", "always", "cancelled")


def evaluate(text: str, ctx: dict, failed: bool = False):
    """A GitHub Actions expression: contexts, literals, == != && || ! and the status and
    string functions the workflows may use. String comparison ignores case, as GitHub's."""
    tokens, pos = [], 0
    text = text.strip()
    while pos < len(text):
        m = _TOKENS.match(text, pos)
        assert m and m.end() > pos, f"expression {text!r}: cannot read {text[pos:]!r}"
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
        if not text[pos:].strip():
            break
    tokens.append(("end", ""))
    at = [0]

    def peek():
        return tokens[at[0]]

    def take(value=None):
        tok = tokens[at[0]]
        assert value is None or tok[1] == value, f"expression {text!r}: {value!r} expected"
        at[0] += 1
        return tok

    def either():
        v = both()
        while peek()[1] == "||":
            take()
            w = both()
            v = v if truthy(v) else w
        return v

    def both():
        v = negation()
        while peek()[1] == "&&":
            take()
            w = negation()
            v = w if truthy(v) else v
        return v

    def negation():
        if peek()[1] == "!":
            take()
            return not truthy(negation())
        v = primary()
        if peek()[1] in ("==", "!="):
            op = take()[1]
            w = primary()
            same = (v.casefold() == w.casefold()) if isinstance(v, str) and isinstance(w, str) \
                else v == w
            return same if op == "==" else not same
        return v

    def primary():
        kind, value = take()
        if value == "(":
            v = either()
            take(")")
            return v
        if kind == "str":
            return value[1:-1].replace("''", "'")
        if kind == "num":
            return float(value)
        assert kind == "name", f"expression {text!r}: unexpected {value!r}"
        if value in ("true", "false", "null"):
            return {"true": True, "false": False, "null": None}[value]
        if peek()[1] == "(":
            take()
            args = []
            while peek()[1] != ")":
                args.append(either())
                if peek()[1] == ",":
                    take()
            take(")")
            return call(value, args)
        assert value in ctx, f"expression {text!r}: context {value!r} is not emulated"
        v = ctx[value]
        while peek()[1] in (".", "["):
            if take()[1] == ".":
                key = take()[1]
            else:
                key = either()
                take("]")
            v = v.get(key) if isinstance(v, dict) else None
        return v

    def call(name, args):
        if name in STATUS:
            return {"success": not failed, "failure": failed, "always": True,
                    "cancelled": False}[name]
        if name in ("contains", "startsWith", "endsWith"):
            a, b = (str(x).casefold() for x in args)
            return {"contains": b in a, "startsWith": a.startswith(b),
                    "endsWith": a.endswith(b)}[name]
        raise AssertionError(f"expression {text!r}: function {name}() is not emulated")

    v = either()
    assert peek()[0] == "end", f"expression {text!r}: cannot read past {peek()[1]!r}"
    return v


def truthy(v) -> bool:
    return v not in (None, False, 0, "") if not isinstance(v, (dict, list)) else True


def as_text(v) -> str:
    return "" if v is None else ("true" if v else "false") if isinstance(v, bool) else \
        (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v))


def expand(value, ctx: dict) -> str:
    """A string of `env:` or `with:` with its `${{ }}` expressions replaced by their values."""
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: as_text(evaluate(m.group(1), ctx)), str(value))


def condition(step_or_job: dict, ctx: dict, failed: bool) -> bool:
    """`if:`, with `success() &&` in front unless it names a status function, as GitHub does."""
    text = str(step_or_job.get("if", "success()")).strip()
    if text.startswith("${{") and text.endswith("}}"):
        text = text[3:-2]
    if not re.search(r"\b(%s)\s*\(" % "|".join(STATUS), text):
        text = f"success() && ({text})"
    return truthy(evaluate(text, ctx, failed))


def outputs(path: Path) -> dict:
    """What a step wrote to $GITHUB_OUTPUT: `name=value` and `name<<EOF` blocks."""
    out, lines = {}, path.read_text().splitlines() if path.exists() else []
    while lines:
        line = lines.pop(0)
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            value = []
            while lines[0] != delim:
                value.append(lines.pop(0))
            lines.pop(0)
            out[name] = "\n".join(value)
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
    return out


# ---- the simulated GitHub ----------------------------------------------------------------------

@dataclasses.dataclass
class Job:
    ok: bool
    failed: str          # name of the failed step, "" when the job succeeded
    log: str
    skipped: bool = False    # the job's `if:` was false


@dataclasses.dataclass
class CacheEntry:
    key: str
    ref: str             # the branch it was saved on: restored there and on branches of main
    path: Path


class GitHub:
    """origin on disk, the events that start the committed workflows, runners that execute
    them, actions/cache, the gh stand-in."""

    def __init__(self, tmp: Path, fake: FakeArxiv):
        self.tmp, self.fake, self.runs, self.labels = tmp, fake, 0, {}
        self.origin = tmp / "origin.git"
        self.bin = tmp / "bin"
        self.gh = tmp / "gh"
        self.caches: list[CacheEntry] = []
        self.clock: dt.datetime | None = None      # the runners' `date`; None: the real one
        self.history: list[tuple[str, str, str]] = []    # (workflow, event, ok|failed|skipped)
        home = tmp / "home"
        for d in (self.bin, self.gh, home):
            d.mkdir(parents=True)
        (self.bin / "gh").write_text(GH_STUB.format(python=sys.executable, repo=REPO))
        (self.bin / "gh").chmod(0o755)
        (self.gh / "collaborators.json").write_text(json.dumps(COLLABORATORS))
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
            """))
        self.env = {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
                    "GH_STUB_DIR": str(self.gh), "GH_STUB_ORIGIN": str(self.origin),
                    "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
                    # the network: the fake arXiv stands in for arxiv.org
                    "OPDLIST_ARXIV_RSS_URL": fake.urls["rss_url"],
                    "OPDLIST_ARXIV_API_URL": fake.urls["api_url"],
                    "OPDLIST_ARXIV_OAI_URL": fake.urls["oai_url"],
                    "OPDLIST_MIN_INTERVAL": "0.01"}
        for var in ("GITHUB_TOKEN", "GH_TOKEN", "GIT_DIR", "GIT_WORK_TREE", "VIRTUAL_ENV",
                    "GITHUB_RUN_NUMBER"):
            self.env.pop(var, None)
        git("init", "--quiet", "--bare", str(self.origin), cwd=tmp, env=self.env)
        hook = self.origin / "hooks" / "pre-receive"
        hook.write_text(PRE_RECEIVE.format(python=sys.executable, repo=REPO, bot=BOT))
        hook.chmod(0o755)
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

    def changed(self, before: str, after: str) -> list[str]:
        return self.git("--git-dir", str(self.origin), "diff", "--name-only", before,
                        after).split()

    # -- gh state --------------------------------------------------------------------------------
    def prs(self) -> list[dict]:
        f = self.gh / "prs.json"
        return json.loads(f.read_text()) if f.exists() else []

    def calls(self) -> list[dict]:
        f = self.gh / "calls.jsonl"
        return [json.loads(line) for line in f.read_text().splitlines()] if f.exists() else []

    def open_prs(self) -> list[dict]:
        return [pr for pr in self.prs() if pr["state"] == "OPEN"]

    def _save_prs(self, prs: list[dict]) -> None:
        (self.gh / "prs.json").write_text(json.dumps(prs, indent=1))

    def set_state(self, number: int, state: str) -> None:
        prs = self.prs()
        for pr in prs:
            if pr["number"] == number:
                pr["state"] = state
        self._save_prs(prs)

    # -- events: what starts the workflows -------------------------------------------------------
    def fire(self, event: str, payload: dict, ref: str, sha: str,
             changed: list[str] = ()) -> list[tuple[str, Job]]:
        """Every workflow whose `on:` takes EVENT runs (in name order), as GitHub starts them."""
        ran = []
        for path in sorted(WORKFLOWS.glob("*.yml")):
            wf = YAML(typ="safe").load(path.read_text())
            if triggered(wf["on"], event, payload, list(changed)):
                ran.append((path.stem, self.run(path.stem, wf, event, payload, ref, sha)))
        return ran

    def schedule(self, day: str) -> list[tuple[str, Job]]:
        """The scheduled time of listing day DAY (the runners' clock says so)."""
        self.clock = dt.datetime.combine(D(day), dt.time(6, 30), dt.timezone.utc)
        main = self.refs()["refs/heads/main"]
        return self.fire("schedule", {"schedule": "30 6 * * 1-5"}, "refs/heads/main", main)

    def pushed(self, ref: str, before: str, after: str) -> list[tuple[str, Job]]:
        """The maintainer pushed REF from BEFORE to AFTER: `push`, and `synchronize` for an
        open pull request from that branch."""
        branch = ref.removeprefix("refs/heads/")
        changed = self.changed(before, after) if before else \
            self.git("--git-dir", str(self.origin), "ls-tree", "-r", "--name-only", after).split()
        ran = self.fire("push", {"ref": ref, "before": before, "after": after,
                                 "repository": {"full_name": REPO},
                                 "sender": {"login": "maintainer"}}, ref, after, changed)
        for pr in self.open_prs():
            if pr["head"] == branch:
                ran += self.fire("pull_request", self.pr_payload(pr, "synchronize"),
                                 f"refs/pull/{pr['number']}/merge", after,
                                 self.changed(f"refs/heads/{pr['base']}", after))
        return ran

    def pr_payload(self, pr: dict, action: str, sender: str = "maintainer",
                   head_repo: str = REPO, **extra) -> dict:
        refs = self.refs()
        return {"action": action, "number": pr["number"],
                "pull_request": {"number": pr["number"], "title": pr["title"],
                                 "body": pr["body"],
                                 "state": "open" if pr["state"] == "OPEN" else "closed",
                                 "merged": pr["state"] == "MERGED",
                                 "user": {"login": BOT},
                                 "head": {"ref": pr["head"],
                                          "sha": refs.get(f"refs/heads/{pr['head']}", ""),
                                          "repo": {"full_name": head_repo}},
                                 "base": {"ref": pr["base"],
                                          "sha": refs[f"refs/heads/{pr['base']}"],
                                          "repo": {"full_name": REPO}}},
                "repository": {"full_name": REPO}, "sender": {"login": sender}, **extra}

    def edit_body(self, body: str, sender: str = "maintainer", fork: str = "",
                  number: int = 0) -> list[tuple[str, Job]]:
        """SENDER saves the open pull request's description (or pull request NUMBER's) as
        BODY, as ticking its boxes in the page does; with FORK, the same edit of a pull
        request from a fork's branch."""
        if fork:
            pr = {"number": 99, "title": "New candidates for the list", "body": body,
                  "state": "OPEN", "head": BRANCH, "base": "main"}
            payload = self.pr_payload(pr, "edited", sender, head_repo=fork,
                                      changes={"body": {"from": ""}})
            payload["pull_request"]["head"]["sha"] = "0" * 40
            return self.fire("pull_request", payload, "refs/pull/99/merge", "0" * 40)
        prs = self.prs()
        (pr,) = [pr for pr in prs if pr["number"] == number or
                 (not number and pr["state"] == "OPEN")]
        old, pr["body"] = pr["body"], body
        self._save_prs(prs)
        payload = self.pr_payload(pr, "edited", sender, changes={"body": {"from": old}})
        return self.fire("pull_request", payload, f"refs/pull/{pr['number']}/merge",
                         payload["pull_request"]["head"]["sha"])

    # -- a runner --------------------------------------------------------------------------------
    def run(self, workflow: str, wf: dict, event: str, payload: dict, ref: str,
            sha: str) -> Job:
        """Run the one job of WORKFLOW as GitHub would on EVENT."""
        self.runs += 1
        run = str(self.runs)
        self.labels[run] = f"{workflow} on {event} {payload.get('action', '')}".strip()
        base = self.tmp / "runs" / f"{self.runs:02d}-{workflow}"
        work, temp, tools = base / "work", base / "temp", base / "tools"
        for d in (work, temp, tools):       # the workspace is there, empty, before checkout
            d.mkdir(parents=True)
        (job,) = wf["jobs"].values()
        token = f"ghs_run{run}"
        tokens = self.gh / "tokens.json"
        granted = json.loads(tokens.read_text()) if tokens.exists() else {}
        tokens.write_text(json.dumps({**granted, token: permissions(wf, job)}))
        (temp / "event.json").write_text(json.dumps(payload))
        pr = payload.get("pull_request") or {}
        ctx = {"github": {"token": token, "repository": REPO, "event_name": event,
                          "event": payload, "ref": ref, "sha": sha, "run_number": run,
                          "server_url": "https://github.com", "workspace": str(work),
                          "head_ref": pr.get("head", {}).get("ref", ""),
                          "base_ref": pr.get("base", {}).get("ref", "")},
               "runner": {"os": "Linux", "temp": str(temp)}, "steps": {}, "env": {}}
        if not condition(job, ctx, failed=False):
            self.history.append((workflow, event, "skipped"))
            return Job(True, "", "", skipped=True)
        if self.clock:          # the runner's clock: the scheduled time being lived
            real = shutil.which("date", path=os.environ["PATH"])
            (tools / "date").write_text(f'#!/bin/sh\nexec {real} -d @'
                                        f'{int(self.clock.timestamp())} "$@"\n')
            (tools / "date").chmod(0o755)
        env = {**self.env, "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": REPO,
               "GITHUB_RUN_NUMBER": run, "GITHUB_SERVER_URL": "https://github.com",
               "GITHUB_EVENT_NAME": event, "GITHUB_EVENT_PATH": str(temp / "event.json"),
               "GITHUB_REF": ref, "GITHUB_SHA": sha, "GITHUB_WORKSPACE": str(work),
               "GITHUB_HEAD_REF": ctx["github"]["head_ref"],
               "GITHUB_BASE_REF": ctx["github"]["base_ref"], "RUNNER_TEMP": str(temp),
               "PATH": f"{tools}{os.pathsep}{self.env['PATH']}",
               # a push with this job's token reaches origin (its pre-receive hook checks it)
               "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.{self.origin}.insteadOf",
               "GIT_CONFIG_VALUE_0": f"https://x-access-token:{token}@github.com/{REPO}.git"}
        for scope in (wf.get("env", {}), job.get("env", {})):
            for k, v in scope.items():
                env[k] = ctx["env"][k] = expand(v, ctx)
        log, failed, post = [], "", []
        for n, step in enumerate(job["steps"], 1):
            unknown = set(step) - {"name", "id", "if", "uses", "with", "run", "env"}
            assert not unknown, f"step {n} of {workflow}.yml uses {unknown}: emulate it here"
            name = step.get("name") or step.get("uses") or f"step {n}"
            if not condition(step, ctx, failed=bool(failed)):
                log.append(f"## {name} (skipped)")
                continue
            step_env = {**env, **{k: expand(v, ctx) for k, v in step.get("env", {}).items()}}
            out = temp / f"output{n}"
            out.touch()
            step_env["GITHUB_OUTPUT"] = str(out)
            if "uses" in step:
                with_ = {k: expand(v, ctx) for k, v in step.get("with", {}).items()}
                result = self._action(step["uses"], with_, work, ref, step_env, tools, post)
                log.append(f"## {name}\n{result}")
                ctx["steps"][step.get("id", f"_{n}")] = {"outputs": outputs(out)}
                continue
            assert "${{" not in step["run"], f"{name}: an expression in run: (template injection)"
            script = temp / f"step{n}.sh"
            script.write_text(step["run"])
            r = subprocess.run(["bash", "-e", str(script)], cwd=work, env=step_env,
                               capture_output=True, text=True, timeout=300)
            log.append(f"## {name} (exit {r.returncode})\n{r.stdout}{r.stderr}")
            ctx["steps"][step.get("id", f"_{n}")] = {"outputs": outputs(out)}
            if r.returncode != 0 and not failed:
                failed = name
        for finish in reversed(post):       # the actions' post steps (actions/cache's save)
            log.append(finish(not failed))
        self.history.append((workflow, event, "failed" if failed else "ok"))
        return Job(not failed, failed, "\n".join(log))

    def _action(self, uses: str, with_: dict, work: Path, ref: str, env: dict, tools: Path,
                post: list) -> str:
        action = uses.split("@")[0]
        if action == "actions/checkout":
            assert set(with_) <= {"ref", "fetch-depth", "persist-credentials"}, with_
            depth = [] if str(with_.get("fetch-depth", 1)) == "0" else ["--depth", "1"]
            assert with_.get("ref") or not ref.startswith("refs/pull/"), \
                "checkout of a pull request's merge commit is not emulated: give `ref:`"
            branch = with_.get("ref") or ref.removeprefix("refs/heads/")
            work.rmdir()
            git("clone", "--quiet", *depth, "--branch", branch, f"file://{self.origin}",
                str(work), cwd=self.tmp, env=env)
            git("remote", "set-url", "origin", f"https://github.com/{REPO}", cwd=work, env=env)
            if not with_.get("ref"):       # the event's commit
                git("checkout", "--quiet", "-B", branch, env["GITHUB_SHA"], cwd=work, env=env)
            return f"checked out {branch}"
        if action == "actions/setup-python":
            assert with_.get("cache") == "pip", "the workflows cache pip"
            venv = work / ".venv" / "bin"
            venv.mkdir(parents=True)
            for folder, name, code in (
                    (venv, "python", f'exec {sys.executable} "$@"'),
                    (venv, "opdlist", f'PYTHONPATH={ROOT} exec {sys.executable} '
                                      f'-m scripts.cli "$@"'),
                    (tools, "python", f'exec {sys.executable} "$@"')):   # on PATH, as set up
                (folder / name).write_text(f"#!/bin/sh\n{code}\n")
                (folder / name).chmod(0o755)
            # make's stamps: what the install read of pyproject.toml, and the install done
            subprocess.run(["make", "-s", ".venv/.project"], cwd=work, check=True, env=env)
            (work / ".venv" / ".installed-run").touch()
            return f"python {sys.version.split()[0]}"
        if action == "actions/cache":
            return self._cache(with_, work, ref, env, post)
        raise AssertionError(f"action {uses} is not emulated")

    def _cache(self, with_: dict, work: Path, ref: str, env: dict, post: list) -> str:
        """actions/cache: restore the entry of the exact key, else the newest one matching a
        restore key, from this ref's entries or the default branch's; at the end of a
        successful job save the path under the key, unless the key was hit or exists."""
        assert set(with_) <= {"path", "key", "restore-keys"}, with_
        key, path = with_["key"], work / with_["path"]
        assert key and "\n" not in with_["path"], with_
        prefixes = [k.strip() for k in with_.get("restore-keys", "").splitlines() if k.strip()]
        visible = [c for c in self.caches if c.ref in (ref, "refs/heads/main")]
        hit = next((c for c in visible if c.key == key), None)
        found = hit or next((c for p in prefixes for c in reversed(visible)
                             if c.key.startswith(p)), None)
        if found:
            shutil.copytree(found.path, path)
        Path(env["GITHUB_OUTPUT"]).write_text(f"cache-hit={'true' if hit else 'false'}\n")

        def save(success: bool) -> str:
            if not success:
                return "## Post cache: the job failed, nothing saved"
            if hit:
                return f"## Post cache: hit on {key}, not saving"
            if any(c.key == key and c.ref == ref for c in self.caches):
                return f"## Post cache: {key} exists, not saving"
            if not path.exists():
                return f"## Post cache: {path} does not exist, nothing saved"
            store = self.tmp / "caches" / env["GITHUB_RUN_NUMBER"]
            shutil.copytree(path, store)
            self.caches.append(CacheEntry(key, ref, store))
            return f"## Post cache: saved {key}"
        post.append(save)
        return f"cache {'hit: ' + key if hit else 'restored ' + found.key if found else 'miss'}"

    # -- the maintainer --------------------------------------------------------------------------
    def fetch(self) -> None:
        self.git("fetch", "--quiet", "--prune", "origin")

    def commit_on(self, ref: str, path: str, edit, message: str) -> list[tuple[str, Job]]:
        """Check out REF, change PATH with EDIT(text) -> text, commit, push back to REF; the
        workflows the push starts."""
        self.fetch()
        self.git("checkout", "--quiet", "-B", ref, f"origin/{ref}")
        before = self.git("rev-parse", "HEAD").strip()
        f = self.maint / path
        f.write_text(edit(f.read_text(encoding="utf-8")), encoding="utf-8")
        self.git("commit", "--quiet", "-am", message)
        self.git("push", "--quiet", "origin", f"HEAD:{ref}")
        return self.pushed(f"refs/heads/{ref}", before, self.git("rev-parse", "HEAD").strip())

    def merge_pr(self, style: str, delete_branch: bool = False) -> list[tuple[str, Job]]:
        """Merge the open pull request as GitHub's button does; the workflows it starts."""
        (pr,) = self.open_prs()
        self.fetch()
        self.git("checkout", "--quiet", "-B", "main", "origin/main")
        before = self.git("rev-parse", "HEAD").strip()
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
        after = self.git("rev-parse", "HEAD").strip()
        ran = self.pushed("refs/heads/main", before, after)
        ran += self.fire("pull_request", self.pr_payload({**pr, "state": "MERGED"}, "closed"),
                         f"refs/pull/{pr['number']}/merge", after)
        if delete_branch:
            self.git("push", "--quiet", "origin", "--delete", BRANCH)
        return ran


def git(*args: str, cwd: Path, env: dict, check: bool = True) -> str:
    r = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if check and r.returncode:
        raise subprocess.CalledProcessError(r.returncode, ["git", *args], r.stdout, r.stderr)
    return r.stdout


# ---- the maintainer's decisions ----------------------------------------------------------------

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


def ticked(body: str, choices: dict[str, str], mark: str = "x") -> str:
    """BODY with exactly the boxes of CHOICES ticked, as clicks in GitHub's page leave it
    (`[ ]` <-> `[x]` on the box's line): CHOICES is id -> 'approve', 'approve-alternative',
    'reject', or 'conflict' (approve and reject both)."""
    lines = body.split("\n")
    for i, line in enumerate(lines):
        m = re.search(r"<!-- opdlist (\S+) (\S+) -->", line)
        if not m:
            continue
        want = choices.get(m.group(2))
        on = want == m.group(1) or (want == "conflict" and m.group(1) in ("approve", "reject"))
        lines[i] = re.sub(r"\[[ xX]\]", f"[{mark}]" if on else "[ ]", line, count=1)
    return "\n".join(lines)


def offered(body: str) -> list[str]:
    """The ids the body has boxes for."""
    return list(dict.fromkeys(re.findall(r"(?m)^\s*- \[ \] .*<!-- opdlist \S+ (\S+) -->", body)))


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
    """The same days run by hand in a plain folder: `opdlist daily`, `decide` and `merge`."""

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


LINTED = re.compile(r"(?m)^README\.md: \d+ paper\(s\) in \d+ section\(s\), no problem$")


def test_a_week_of_the_workflows_pull_requests_decisions_and_merges_of_every_kind(
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
    asked: list = []                     # the fake arXiv's requests of the last daily run

    def daily(day: str, fault: str = "", local_too: bool = True) -> Job:
        """The scheduled daily on listing day DAY, on GitHub and (LOCAL_TOO) locally: the
        review file on the branch must then be the local one."""
        fake.clear()
        fake.set_today(D(day))
        before, calls = gh.refs(), len(gh.calls())
        if fault:
            fake.add_fault(fault)
        if local_too:
            with ThreadPoolExecutor(1) as runner:      # the runner and the local run side by side
                running = runner.submit(gh.schedule, day)
                rc = local.opdlist("daily")
                ran = running.result()
        else:
            ran = gh.schedule(day)
        asked[:] = fake.requests
        fake.clear()
        capsys.readouterr()
        assert [name for name, _ in ran] == ["daily"], "the schedule starts daily.yml only"
        ((_, job),) = ran
        if local_too:
            assert rc == (0 if job.ok else 1), job.log
        assert len(gh.open_prs()) <= 1, "one candidates pull request at a time"
        writes = [c for c in gh.calls()[calls:] if c["argv"][1] in ("create", "edit")]
        if gh.refs() == before:
            assert not writes, "nothing pushed, so no pull request created or updated"
            return job
        # pushed: the branch holds the new candidates, its pull request says so
        assert job.ok, job.log
        review = gh.text(BRANCH, REVIEW)
        if local_too:
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
        check_body(review)
        return job

    def check_body(review: str) -> None:
        """The open pull request's body is the one of REVIEW: boxes for the undecided only."""
        (pr,) = gh.open_prs()
        cands = review_of(review, scratch).candidates
        assert pr["body"] == pr_body(review_of(review, scratch), REVIEW, file_url=(
            f"https://github.com/{REPO}/blob/{BRANCH}/{REVIEW}")), "the body is the branch's"
        assert offered(pr["body"]) == [c.paper.id for c in cands if not c.decision]

    def review(rule, comment_on_top: str = "") -> None:
        """The maintainer edits the decisions in the review file (a commit on the pull
        request's branch); RULE(candidate) -> None | (decision, section or None, comment)."""
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
        assert gh.commit_on(BRANCH, REVIEW, edit, "Review the candidates") == [], \
            "no workflow runs on a push to the candidates branch"
        local.edit(REVIEW, edit)

    def tick(rule, sender: str = "maintainer", mark: str = "x", crlf: bool = False,
             pasted: str = "") -> Job:
        """SENDER ticks boxes in the pull request's description: RULE(candidate) -> None or
        the action to tick ('approve', 'approve-alternative', 'reject', 'conflict'); PASTED
        goes at the end. A description edited in the page comes back with CRLF endings."""
        (pr,) = gh.open_prs()
        cands = review_of(gh.text(BRANCH, REVIEW), scratch).candidates
        choices = {c.paper.id: rule(c) for c in cands if not c.decision}
        body = ticked(pr["body"], {k: v for k, v in choices.items() if v}, mark) + pasted
        body = body.replace("\n", "\r\n") if crlf else body
        before = gh.refs()
        ran = gh.edit_body(body, sender)
        assert [name for name, _ in ran] == ["decide"], "an edited description starts decide.yml"
        ((_, job),) = ran
        assert job.ok and not job.skipped, job.log
        if COLLABORATORS.get(sender) not in ("admin", "maintain", "write"):
            assert "the edit decides nothing" in job.log
            assert gh.refs() == before and gh.open_prs()[0]["body"] == body, "nothing changed"
            return job
        (local.path.parent / "ticked.md").write_bytes(body.encode("utf-8"))
        assert local.opdlist("decide", "--pr-body", str(local.path.parent / "ticked.md")) == 0
        capsys.readouterr()
        review = gh.text(BRANCH, REVIEW)
        assert review == (local.path / REVIEW).read_text(encoding="utf-8")
        after = {c.paper.id: c for c in review_of(review, scratch).candidates}
        for pid, action in choices.items():
            c = after[pid]
            if action == "conflict" or not action:
                assert not c.decision, "conflicting ticks leave a candidate undecided"
            elif action == "reject":
                assert c.decision == "reject"
                rejected.add(pid)
            else:
                assert c.decision == "approve"
                assert c.section == (c.section_alternative if action == "approve-alternative"
                                     else next(x for x in cands if x.paper.id == pid).section)
                approved[pid] = c.section
        if any(a and a != "conflict" for a in choices.values()):
            # the decisions are a commit of the review file on the branch: the diff shows them
            branch = f"refs/heads/{BRANCH}"
            assert gh.changed(before[branch], gh.refs()[branch]) == [REVIEW]
            check_body(review)
        return job

    def merge(style: str, **kw) -> None:
        """The maintainer merges the pull request; merge.yml runs on the push to main."""
        ran = gh.merge_pr(style, **kw)
        assert [name for name, _ in ran] == ["merge"], "the merge starts merge.yml only"
        ((_, job),) = ran
        assert job.ok, job.log
        assert LINTED.search(job.log[job.log.index("## Check the list"):]), \
            "the list was checked: " + job.log
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
    assert "cache miss" in job.log and "saved opdlist-cache-2025-10-27" in job.log
    # the maintainer approves one into another section by editing the review file in the pull
    # request, and fixes the list's intro on main meanwhile (no workflow runs on that push)
    review(approve_first(True, "read it: the method is on-policy"))

    def fix_intro(text: str) -> str:
        assert "list on **On-Policy Distillation**." in text
        return text.replace("list on **On-Policy Distillation**.",
                            "list on **On-Policy Distillation** (OPD).", 1)
    assert gh.commit_on("main", "README.md", fix_intro, "Intro: spell out OPD") == []
    local.edit("README.md", fix_intro)
    # Tue: arXiv is down, the run fails, nothing is pushed, no cache saved
    before = gh.refs()
    job = daily("2025-10-28", fault="rss:503:500")
    assert not job.ok and job.failed == "Run the daily job", job.log
    assert gh.refs() == before and [c.key for c in gh.caches] == ["opdlist-cache-2025-10-27"]
    # Wed: catches up Tuesday from Monday's cache, continues the pull request (merging main's
    # fix), updates it
    job = daily("2025-10-29")
    assert job.ok and "cache restored opdlist-cache-2025-10-27" in job.log, job.log
    assert [pr["number"] for pr in gh.prs()] == [1]
    days = {c.announced for c in review_of(gh.text(BRANCH, REVIEW), scratch).candidates}
    assert {"2025-10-27", "2025-10-28", "2025-10-29"} >= days and "2025-10-28" in days
    assert "(OPD)" in gh.text(BRANCH, "README.md")
    # the maintainer ticks reject for the first two days in the description (the page sends
    # it back with CRLF), leaves Wednesday's for later, adds a comment to the file; merge commit
    tick(lambda c: "reject" if c.announced < "2025-10-29" else None, crlf=True)
    review(lambda c: None, comment_on_top="week 44, reviewed in the pull request")
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
    # a co-maintainer (write access) approves the best of them, rejects the rest; squash
    best = max(review_of(gh.text(BRANCH, REVIEW), scratch).candidates, key=lambda c: c.score)
    tick(lambda c: "approve" if c.paper.id == best.paper.id else "reject",
         sender="co-maintainer")
    merge("squash")
    # Sat: a run by hand finds no announcement: nothing changes, nothing is pushed
    before = gh.refs()
    job = daily("2025-11-01")
    assert job.ok and gh.refs() == before and not gh.open_prs(), job.log
    # Mon: a fresh pull request
    job = daily("2025-11-03")
    assert job.ok and [pr["number"] for pr in gh.open_prs()] == [3], job.log
    first, second, *rest = [c.paper.id for c in
                            review_of(gh.text(BRANCH, REVIEW), scratch).candidates]
    # a passer-by's ticks change nothing; neither does an edit of a fork's pull request
    tick(lambda c: "approve", sender="passer-by")
    fork = gh.edit_body(ticked(gh.open_prs()[0]["body"], dict.fromkeys(proposed, "approve")),
                        sender="stranger", fork="stranger/opd-list")
    assert [(name, job.skipped) for name, job in fork] == [("decide", True)]
    # nor does a tick in Friday's pull request, merged since
    stale = gh.prs()[1]["body"] + f"\n- [x] approve <!-- opdlist approve {first} -->\n"
    late = gh.edit_body(stale, number=2)
    assert [(name, job.skipped) for name, job in late] == [("decide", True)]
    # the maintainer ticks [X]: the first into its runner-up section (where it has one),
    # approve and reject both for the second, reject for the rest; a stray box for a paper
    # that is no candidate comes along
    firsts = review_of(gh.text(BRANCH, REVIEW), scratch).candidates[0]
    job = tick(lambda c: ("approve-alternative" if firsts.section_alternative else "approve")
               if c.paper.id == first else "conflict" if c.paper.id == second else "reject",
               mark="X", crlf=True,
               pasted="\n- [x] approve <!-- opdlist approve 2510.99999 -->\n")
    assert "2510.99999 is not a candidate" in job.log and "both ticked" in job.log, job.log
    assert offered(gh.open_prs()[0]["body"]) == [second]
    tick(lambda c: "reject")      # on second thoughts, the second goes too
    assert offered(gh.open_prs()[0]["body"]) == []
    merge("rebase", delete_branch=True)
    assert "refs/heads/" + BRANCH not in gh.refs()

    # main's state and review file are those of the local run of the same days
    for path in (REVIEW, "state/cursor.json"):
        assert gh.text("main", path) == (local.path / path).read_text(encoding="utf-8"), path
    assert decisions(gh.show("main", "state/decisions.jsonl")) == \
        decisions((local.path / "state/decisions.jsonl").read_bytes())
    assert not (local.path / "state/papers.jsonl.gz").exists()
    tracked = gh.git("ls-tree", "-r", "--name-only", "origin/main").split()
    assert not [p for p in tracked if p.startswith(".opdlist-cache") or p.endswith(".gz")
                or p.endswith(".joblib")], "the paper cache and the model stay out of git"
    assert json.loads(gh.text("main", "state/cursor.json"))["last_day"] == "2025-11-03"

    # Tue: the cache is gone (evicted after a week unused, or deleted): the next daily fetches
    # what it needs in a few requests and still skips no day, proposes nothing twice, loses
    # no decision
    gh.caches.clear()
    kept = decisions(gh.show("main", "state/decisions.jsonl"))
    job = daily("2025-11-04", local_too=False)
    assert job.ok and [pr["number"] for pr in gh.open_prs()] == [4], job.log
    assert "cache miss" in job.log and "saved opdlist-cache-2025-11-04" in job.log
    assert len(asked) <= 10, [path for _, path, _ in asked]
    assert json.loads(gh.text(BRANCH, "state/cursor.json"))["last_day"] == "2025-11-04"
    days = {c.announced for c in review_of(gh.text(BRANCH, REVIEW), scratch).candidates}
    assert days == {"2025-11-04"}
    assert decisions(gh.show(BRANCH, "state/decisions.jsonl")) == kept

    assert [pr["state"] for pr in gh.prs()] == ["MERGED"] * 3 + ["OPEN"]
    assert not any("error" in c for c in gh.calls()), gh.calls()
    daily_writes = [(c["argv"][1], c["number"]) for c in gh.calls()
                    if "number" in c and gh.labels[c["run"]].startswith("daily")]
    assert daily_writes == [("create", 1), ("edit", 1), ("create", 2), ("create", 3),
                            ("create", 4)]
    assert gh.history == [
        ("daily", "schedule", "ok"), ("daily", "schedule", "failed"),
        ("daily", "schedule", "ok"), ("decide", "pull_request", "ok"), ("merge", "push", "ok"),
        ("daily", "schedule", "ok"), ("decide", "pull_request", "ok"), ("merge", "push", "ok"),
        ("daily", "schedule", "ok"), ("daily", "schedule", "ok"),
        ("decide", "pull_request", "ok"), ("decide", "pull_request", "skipped"),
        ("decide", "pull_request", "skipped"), ("decide", "pull_request", "ok"),
        ("decide", "pull_request", "ok"),
        ("merge", "push", "ok"), ("daily", "schedule", "ok")], gh.history

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
    from store.candidate import Candidate
    from store.review import ReviewFile
    from ruamel.yaml.comments import CommentedMap
    review = ReviewFile(repo / "c.yaml", CommentedMap(), [])
    review.append([Candidate.of(p, score=0.5, section="Application", venue="Arxiv2025",
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
    item = body[body.index(f"1. **[{_md(second.paper.title, 'link')}](https://arxiv.org/abs/"
                           f"{second.paper.id})**"):body.index("\n2. ")]     # the first to decide
    assert "score **0.50** · section *Application* (or *Teacher–Student–Based OPD*)" in item
    assert "why: on-policy distillation, student" in item
    assert "like: Self-Distilled Reasoner (2601.18734)" in item
    assert (f"[review/candidates.yaml line {second.lines['decision']}]"
            f"(https://github.com/me/list/blob/b/review/candidates.yaml"
            f"#L{second.lines['decision']})") in body
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[second.lines["decision"] - 1].strip() == 'decision: ""'
