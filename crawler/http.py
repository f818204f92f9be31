"""The one polite HTTP client every arXiv interface goes through.

arXiv's terms (https://info.arxiv.org/help/api/tou.html) ask for **no more than one request
every three seconds, on a single connection**, across RSS, the export API and OAI-PMH alike.
That rule is enforced here and only here:

- `RateLimiter.wait()` runs before every request that leaves this process, first attempts and
  urllib3's own retries alike (`PoliteRetry.sleep`), so two requests to arXiv are never closer
  than `cfg.min_interval` seconds (default 3; tests lower it with OPDLIST_MIN_INTERVAL).
- One `requests.Session` with one pooled connection (`pool_maxsize=1, pool_block=True`).
- urllib3's `Retry` retries connection errors, read timeouts, 429 and 5xx with exponential
  back-off and jitter (factor = the interval: 3, 6, 12, 24, 48 s with the defaults, as
  arXiv's 429s ask for patience), and honours `Retry-After` (seconds or HTTP-date).
- Answers that arrive but are no feed (an HTML error page, truncated XML, an unexpectedly
  empty page) are retried by the small loop in `Client.fetch`, bounded in count.
- The whole run has a time budget (`cfg.run_budget`); a wait that would overrun it fails.
"""
from __future__ import annotations

import logging
import random
import threading
import time
from typing import Any, Callable, Optional, TypeVar
from urllib.parse import urlencode

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from store.errors import RunFailed

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_STATUS = (429, 500, 502, 503, 504)


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


class RateLimiter:
    """At least `interval` seconds from the end of one request to the start of the next (the
    3-second rule, as arXiv's server sees it: the gap between two arrivals is never less)."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.interval = interval
        self.clock, self._sleep = clock, sleep
        self._last: Optional[float] = None
        self._lock = threading.Lock()
        self.waited = 0.0          # seconds spent waiting, for benchmarks
        self.requests = 0          # requests sent, retries included

    def wait(self) -> None:
        """Block until the next request may go, and count it."""
        with self._lock:
            if self._last is not None:
                delay = self._last + self.interval - self.clock()
                if delay > 0:
                    self._sleep(delay)
                    self.waited += delay
            self._last = self.clock()     # until done() says when the answer ended
            self.requests += 1

    def done(self) -> None:
        """The request (or its failed attempt) has ended: the interval counts from now."""
        with self._lock:
            self._last = self.clock()

    @classmethod
    def shared(cls, interval: float) -> "RateLimiter":
        """The process's one limiter: every client of this process (a crawl, then the
        metadata look-ups of the same `daily` run) waits on the same clock."""
        global _SHARED
        with _SHARED_LOCK:
            if _SHARED is None:
                _SHARED = cls(interval)
            _SHARED.interval = interval
            return _SHARED


_SHARED: Optional[RateLimiter] = None
_SHARED_LOCK = threading.Lock()


class Budget:
    """The run's deadline."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.deadline = clock() + seconds
        self.seconds = seconds

    def left(self) -> float:
        return self.deadline - self.clock()

    def check(self, url: str = "", need: float = 0.0) -> None:
        if self.left() < need or self.left() <= 0:
            raise BudgetExceeded(f"run time budget of {self.seconds:g} s spent", url)


class PoliteRetry(Retry):
    """urllib3 `Retry` whose waits also respect the rate limiter and the run budget."""

    limiter: Optional[RateLimiter] = None
    budget: Optional[Budget] = None

    def new(self, **kw: Any) -> "PoliteRetry":
        r = super().new(**kw)
        r.limiter, r.budget = self.limiter, self.budget
        return r

    def sleep(self, response=None) -> None:
        if self.budget is not None:
            wait = self.get_retry_after(response) if response is not None else None
            if wait is None:
                wait = self.get_backoff_time()
            if wait >= self.budget.left():
                raise BudgetExceeded(f"arXiv asks to wait {wait:.0f} s, beyond the run's "
                                     f"time budget")
        if self.limiter is not None:
            self.limiter.done()
        super().sleep(response)
        if self.limiter is not None:
            self.limiter.wait()


class Client:
    """How to talk to arXiv: one session, one connection, one limiter, bounded retries.

    The interfaces (`crawler.rss`, `crawler.api`, `crawler.oai`) say *what* to fetch and how
    to parse it; `fetch` does the fetching."""

    def __init__(self, cfg, *, limiter: Optional[RateLimiter] = None,
                 budget: Optional[Budget] = None, content_retries: int = 3):
        self.cfg = cfg
        self.timeout = float(cfg.timeout)
        self.limiter = limiter or RateLimiter.shared(float(cfg.min_interval))
        self.budget = budget or Budget(float(cfg.run_budget))
        self.content_retries = content_retries
        self.backoff = max(float(cfg.min_interval), 0.01)
        retry = PoliteRetry(
            total=int(cfg.max_retries), connect=int(cfg.max_retries), read=int(cfg.max_retries),
            status=int(cfg.max_retries), other=0, allowed_methods=frozenset({"GET"}),
            status_forcelist=RETRY_STATUS, backoff_factor=self.backoff,
            backoff_max=max(120.0, self.backoff), backoff_jitter=self.backoff / 2,
            respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=False)
        retry.limiter, retry.budget = self.limiter, self.budget
        adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=1,
                              pool_block=True)
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": cfg.user_agent,
                                     "Accept-Encoding": "gzip, deflate"})
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, params: Optional[dict] = None, *,
            accept_400: bool = False) -> requests.Response:
        """One GET (with urllib3's retries); the response of a 2xx (or of a 400 when
        `accept_400`: the API's error feed), else HTTPStatusError."""
        full = url + ("?" + urlencode(params) if params else "")
        self.budget.check(full)
        self.limiter.wait()
        timeout = max(0.1, min(self.timeout, self.budget.left()))
        log.debug("GET %s", full)
        try:
            try:
                resp = self.session.get(url, params=params, timeout=timeout)
            finally:
                self.limiter.done()
        except BudgetExceeded as e:
            raise BudgetExceeded(str(e.message), full) from None
        except requests.exceptions.RetryError as e:
            raise HTTPStatusError(f"arXiv kept failing after {self.cfg.max_retries} retries "
                                  f"({_reason(e)})", full) from None
        except requests.exceptions.Timeout:
            raise ArxivError(f"no answer within {timeout:g} s after {self.cfg.max_retries} "
                             "retries", full) from None
        except requests.exceptions.RequestException as e:
            raise ArxivError(f"cannot reach arXiv ({_reason(e)})", full) from None
        if resp.status_code >= 400 and not (accept_400 and resp.status_code == 400):
            raise HTTPStatusError(f"HTTP {resp.status_code} from arXiv"
                                  + (f" after {self.cfg.max_retries} retries"
                                     if resp.status_code in RETRY_STATUS else ""), resp.url)
        return resp

    def fetch(self, url: str, params: Optional[dict], parse: Callable[[bytes, str], T],
              *, allow_400: bool = False, retries: Optional[int] = None) -> T:
        """GET and parse; a parse that raises a retryable `BadResponse` (truncated XML, an
        HTML page, an empty page) is asked again, at most `retries` (default
        `content_retries`) times, with exponential back-off and jitter."""
        retries = self.content_retries if retries is None else retries
        attempt = 0
        while True:
            try:
                # the export API sends its error feed with HTTP 400: the parser names it
                resp = self.get(url, params, accept_400=allow_400)
                result = parse(resp.content, resp.url)
                if resp.status_code == 400:
                    raise HTTPStatusError("HTTP 400 from arXiv", resp.url)
                return result
            except BadResponse as e:
                if not e.retry or attempt >= retries:
                    raise
                attempt += 1
                delay = self.backoff * (2 ** (attempt - 1)) + random.uniform(0, self.backoff / 2)
                self.budget.check(e.url, need=delay)
                log.warning("%s; asking again in %.1f s", e.message, delay)
                time.sleep(delay)


def _reason(e: Exception) -> str:
    text = str(e.args[0] if e.args else e)
    if "Caused by" in text:
        text = text.split("Caused by", 1)[1].strip(" ()")
    return text.splitlines()[0][:160] if text else e.__class__.__name__
