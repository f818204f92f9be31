"""The Makefile: a setting changed in pyproject.toml's [tool.opdlist] is data, not an install
input; a change of the project's dependencies reinstalls."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

PYTHON = '''#!/bin/sh
echo "$@" >> "{log}"
case "$1" in
  -m) exit 0 ;;                                  # pip: recorded, not run
  *) exec {python} "$@" ;;
esac
'''


def make(folder: Path, target: str) -> str:
    r = subprocess.run(["make", "--no-print-directory", target], cwd=folder,
                       capture_output=True, text=True, timeout=60,
                       env={**os.environ, "PYTHON": sys.executable})
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def test_a_setting_changed_reinstalls_nothing_a_dependency_does(tmp_path):
    for name in ("Makefile", "pyproject.toml"):
        (tmp_path / name).write_bytes((ROOT / name).read_bytes())
    bin_ = tmp_path / ".venv" / "bin"
    bin_.mkdir(parents=True)
    log = tmp_path / "calls.log"
    (bin_ / "python").write_text(PYTHON.format(log=log, python=sys.executable))
    (bin_ / "opdlist").write_text("#!/bin/sh\necho opdlist \"$@\"\n")
    for f in ("python", "opdlist"):
        (bin_ / f).chmod(0o755)

    def pip_installs() -> int:
        return sum("pip install" in line for line in log.read_text().splitlines()) \
            if log.exists() else 0

    assert "opdlist daily" in make(tmp_path, "daily") and pip_installs() == 1
    assert make(tmp_path, "daily") and pip_installs() == 1, "installed once"
    pyproject = tmp_path / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(re.sub(r"(?m)^min_score = \S+", "min_score = 0.2", text))
    os.utime(pyproject, (os.path.getmtime(pyproject) + 5,) * 2)
    assert "opdlist daily" in make(tmp_path, "daily")
    assert pip_installs() == 1, "a setting is data: no reinstall"
    pyproject.write_text(pyproject.read_text().replace('"tqdm>=4.66,<5"', '"tqdm>=4.67,<5"'))
    os.utime(pyproject, (os.path.getmtime(pyproject) + 10,) * 2)
    make(tmp_path, "daily")
    assert pip_installs() == 2, "a dependency changed: installed again"
