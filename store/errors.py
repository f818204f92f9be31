"""The errors every part of opdlist raises, mapped to the exit codes of DESIGN.md.

`BadInput` (exit 2) is a fault in what the user gave us: a file, a line, a field.
`RunFailed` (exit 1) is a run that could not finish: the network, arXiv, a held lock.
Both print as one line: ``FILE:LINE: field: message`` where those are known.
"""
from __future__ import annotations


class OpdError(Exception):
    """Base class: a one-line message and an exit code."""

    exit_code = 1

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.field = field

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = str(self.file)
            if self.line:
                where += f":{self.line}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        return (where + field + self.message).replace("\n", " ")


class BadInput(OpdError):
    """The input (a file, an argument) is wrong: exit 2, nothing changed on disk."""

    exit_code = 2


class Faults(BadInput):
    """Several faults of one input, reported together, one line each (exit 2)."""

    def __init__(self, faults: list[OpdError]):
        super().__init__(f"{len(faults)} fault(s)")
        self.faults = faults

    def lines(self) -> list[str]:
        return [str(f) for f in self.faults]


class RunFailed(OpdError):
    """The run could not be completed (network, arXiv, lock): exit 1, state unchanged."""

    exit_code = 1


class LockHeld(RunFailed):
    """Another run holds the repository lock."""
