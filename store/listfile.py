"""Reading and writing README.md as the list: the only way the product touches it."""
from __future__ import annotations

from pathlib import Path

from store.errors import BadInput, Faults
from store.files import atomic_write
from store.listdoc import Finding, ListDoc
from store.readme import lint, parse


def read_text(path: Path) -> str:
    if not path.exists():
        raise BadInput("no such file", file=str(path))
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        line = path.read_bytes()[:e.start].count(b"\n") + 1
        raise BadInput("not valid UTF-8", file=str(path), line=line) from None


def findings(path: Path) -> list[Finding]:
    return lint(read_text(path))


def load(path: Path, *, strict: bool = True) -> ListDoc:
    """The parsed list. With `strict`, a README that does not lint is refused with every
    lint finding, one line each."""
    text = read_text(path)
    if strict:
        problems = lint(text)
        if problems:
            raise Faults([BadInput(f.message, file=str(path), line=f.line) for f in problems])
    try:
        return parse(text)
    except BadInput as e:
        e.file = str(path)
        raise


def render_text(doc: ListDoc) -> str:
    """The rendered README, checked: it must lint clean before it may be written."""
    text = doc.render()
    problems = lint(text)
    if problems:
        raise BadInput(f"the rendered list would not lint: {problems[0].message}",
                       line=problems[0].line)
    return text


def save(path: Path, doc: ListDoc) -> bool:
    """Write the list atomically; returns whether the file changed."""
    text = render_text(doc)
    if path.exists() and path.read_bytes() == text.encode("utf-8"):
        return False
    atomic_write(path, text)
    return True
