"""`make demo` run again keeps what the maintainer did in demo/ and says how to start over."""
from __future__ import annotations

from scripts import demo


def test_a_second_demo_keeps_the_earlier_one_and_says_how_to_start_over(tmp_path, capsys):
    folder = tmp_path / "demo"
    (folder / "review").mkdir(parents=True)
    (folder / "review" / "candidates.yaml").write_text("candidates:\n  - id: \"2601.00001\"\n"
                                                       "    decision: approve\n")
    (folder / "README.md").write_text("# my merged list\n")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert demo.main(["--repo", str(folder), "--data", str(tmp_path / "no-data")]) == 0
    out = capsys.readouterr().out
    assert "holds an earlier demo (1 candidate(s)" in out and "make demo FRESH=1" in out
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
