"""What can go wrong asking arXiv, as errors that carry the URL asked (exit 1: the run
failed, the next one asks again)."""
from __future__ import annotations

import socket
from typing import Optional

from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError

from store.errors import RunFailed

OFFLINE_HINT = 'offline? see "Trying it offline" in README.md'


class ArxivError(RunFailed):
    """A request to arXiv that could not give an answer; names the URL."""

    def __init__(self, message: str, url: str = ""):
        super().__init__(f"{message} ({url})" if url else message)
        self.url = url


class HTTPStatusError(ArxivError):
    """arXiv kept answering with an HTTP error status."""


class BadResponse(ArxivError):
    """The answer is not the expected feed: HTML page, truncated or malformed XML, wrong
    format. `retry` says whether asking again may help."""

    def __init__(self, message: str, url: str = "", retry: bool = True):
        super().__init__(message, url)
        self.retry = retry


class EmptyPage(BadResponse):
    """A page with no entries although the totals promise more (a known transient of the API)."""


class BudgetExceeded(ArxivError):
    """The run's time budget is spent."""


class Unreachable(ArxivError):
    """arXiv's host cannot be reached at all (no name resolution, connection refused): one
    short line naming the host, no URL, no urllib3 internals."""

    def __init__(self, host: str, why: str, url: str = ""):
        super().__init__(f"cannot reach {host}: {why}; {OFFLINE_HINT}")
        self.url, self.host, self.why = url, host, why


def unreachable_reason(error: Optional[BaseException]) -> str:
    """"name resolution failed" / "connection refused" when `error` (a urllib3 error, or
    what it wraps) says the host cannot be reached at all, else ""."""
    seen = 0
    while error is not None and seen < 8:
        if isinstance(error, NameResolutionError) or isinstance(error, socket.gaierror):
            return "name resolution failed"
        if isinstance(error, ConnectionRefusedError):
            return "connection refused"
        if isinstance(error, MaxRetryError):
            error = error.reason
        elif isinstance(error, NewConnectionError) and error.__cause__ is None and \
                "refused" in str(error).lower():
            return "connection refused"
        else:
            error = error.__cause__ or error.__context__ or (
                error.args[0] if error.args and isinstance(error.args[0], BaseException)
                else None)
        seen += 1
    return ""
