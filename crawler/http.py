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
- A host that cannot be reached (the name does not resolve, the connection is refused) is not
  worth minutes of back-off: it is asked again once or twice, then the run fails with one short
  line (`Unreachable`) that says what to do offline. urllib3's own retry lines are silenced.
- The whole run has one deadline (`Budget`, `cfg.run_budget`): a run makes one `Client` and
  passes it to everything it asks arXiv (the crawl and the metadata look-ups of `daily`
  alike), so they share its limiter and its deadline. The deadline bounds each request's
  *total* time, not only the gaps between bytes: a watchdog cuts the connection of a request
  still running at the deadline (a server that trickles bytes, a black hole), and a wait that
  would overrun it fails at once.
"""
from __future__ import annotations

import logging
import random
import socket
import threading
import time
import weakref
from typing import Any, Callable, Optional, TypeVar
from urllib.parse import urlencode, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError
from urllib3.util.retry import Retry

from store.errors import RunFailed

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_STATUS = (429, 500, 502, 503, 504)
# how often a host that cannot be reached at all is asked again (not max_retries: back-off
# over minutes does not bring a network back)
UNREACHABLE_RETRIES = {"name resolution failed": 1, "connection refused": 2}
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


class _Cutter:
    """The connections of one client, so that the deadline can cut a request in the middle
    of its answer: `requests`' timeout only bounds the gap between two bytes."""

    def __init__(self) -> None:
        self.conns: "weakref.WeakSet[Any]" = weakref.WeakSet()

    def pool_classes(self) -> dict[str, type]:
        cutter = self

        def tracked(base: type) -> type:
            class Pool(base):  # type: ignore[misc, valid-type]
                def _new_conn(self):
                    conn = super()._new_conn()
                    cutter.conns.add(conn)
                    return conn
            return Pool
        return {"http": tracked(HTTPConnectionPool), "https": tracked(HTTPSConnectionPool)}

    def cut(self) -> None:
        for conn in list(self.conns):
            sock = getattr(conn, "sock", None)
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class _Adapter(HTTPAdapter):
    """requests' adapter whose connections the client's `_Cutter` can cut."""

    def __init__(self, cutter: _Cutter, **kw: Any):
        self.cutter = cutter
        super().__init__(**kw)

    def init_poolmanager(self, *args: Any, **kw: Any) -> None:
        super().init_poolmanager(*args, **kw)
        self.poolmanager.pool_classes_by_scheme = self.cutter.pool_classes()

    def proxy_manager_for(self, proxy: str, **kw: Any):
        manager = super().proxy_manager_for(proxy, **kw)
        manager.pool_classes_by_scheme = self.cutter.pool_classes()
        return manager


class _Watchdog:
    """Cuts the client's connections once the deadline has passed, until the request ends."""

    def __init__(self, cutter: _Cutter, budget: Budget):
        self.cutter, self.budget = cutter, budget
        self.fired = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="opdlist-deadline")

    def _run(self) -> None:
        if self._done.wait(max(0.0, self.budget.left())):
            return
        self.fired = True
        while not self._done.is_set():      # a retry may open a new connection: cut it too
            self.cutter.cut()
            self._done.wait(0.05)

    def __enter__(self) -> "_Watchdog":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()


class PoliteRetry(Retry):
    """urllib3 `Retry` whose waits also respect the rate limiter and the run budget."""

    limiter: Optional[RateLimiter] = None
    budget: Optional[Budget] = None

    def new(self, **kw: Any) -> "PoliteRetry":
        r = super().new(**kw)
        r.limiter, r.budget = self.limiter, self.budget
        return r

    def increment(self, method=None, url=None, response=None, error=None, _pool=None,
                  _stacktrace=None) -> "PoliteRetry":
        why = unreachable_reason(error)
        if why:
            before = sum(1 for h in self.history if unreachable_reason(h.error) == why)
            if before >= UNREACHABLE_RETRIES[why]:
                raise MaxRetryError(_pool, url, error) from error
        if error is not None or response is not None:
            log.debug("asking %s again after %s", url,
                      why or (f"HTTP {response.status}" if response is not None else error))
        return super().increment(method, url, response, error, _pool, _stacktrace)

    def sleep(self, response=None) -> None:
        if self.budget is not None:
            if self.budget.left() <= 0:
                raise BudgetExceeded(f"run time budget of {self.budget.seconds:g} s spent")
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
        self.limiter = limiter or RateLimiter(float(cfg.min_interval))
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
        self.cutter = _Cutter()
        adapter = _Adapter(self.cutter, max_retries=retry, pool_connections=1, pool_maxsize=1,
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
        watchdog = _Watchdog(self.cutter, self.budget)
        try:
            try:
                with watchdog:      # the whole answer, headers and body, within the deadline
                    resp = self.session.get(url, params=params, timeout=timeout)
            finally:
                self.limiter.done()
        except BudgetExceeded as e:
            if watchdog.fired:
                raise BudgetExceeded(f"run time budget of {self.budget.seconds:g} s spent "
                                     "before arXiv's answer ended", full) from None
            raise BudgetExceeded(str(e.message), full) from None
        except (requests.exceptions.RequestException, OSError) as e:
            if watchdog.fired:
                raise BudgetExceeded(f"run time budget of {self.budget.seconds:g} s spent "
                                     "before arXiv's answer ended", full) from None
            raise self._failure(e, full, timeout) from None
        if resp.status_code >= 400 and not (accept_400 and resp.status_code == 400):
            raise HTTPStatusError(f"HTTP {resp.status_code} from arXiv"
                                  + (f" after {self.cfg.max_retries} retries"
                                     if resp.status_code in RETRY_STATUS else ""), resp.url)
        return resp

    def _failure(self, e: Exception, full: str, timeout: float) -> ArxivError:
        """The one-line error of a request that got no usable answer."""
        why = unreachable_reason(e)
        if why:
            return Unreachable(urlsplit(full).netloc or full, why, full)
        if isinstance(e, requests.exceptions.RetryError):
            return HTTPStatusError(f"arXiv kept failing after {self.cfg.max_retries} retries "
                                   f"({_reason(e)})", full)
        if isinstance(e, requests.exceptions.Timeout):
            return ArxivError(f"no answer within {timeout:g} s after {self.cfg.max_retries} "
                              "retries", full)
        return ArxivError(f"cannot reach arXiv ({_reason(e)})", full)

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
