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
- The whole run has one deadline (`Budget`, `cfg.run_budget`; crawler/limits.py holds the
  limiter, the budget and the watchdog): a run makes one `Client` and
  passes it to everything it asks arXiv (the crawl and the metadata look-ups of `daily`
  alike), so they share its limiter and its deadline. The deadline bounds each request's
  *total* time, not only the gaps between bytes: a watchdog cuts the connection of a request
  still running at the deadline (a server that trickles bytes, a black hole), and a wait that
  would overrun it fails at once.
"""
from __future__ import annotations

import logging
import random
import time
from typing import Any, Callable, Optional, TypeVar
from urllib.parse import urlencode, urlsplit

import requests
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from crawler.errors import (ArxivError, BadResponse, BudgetExceeded, HTTPStatusError,
                            Unreachable, unreachable_reason)
from crawler.limits import Budget, RateLimiter, _Adapter, _Cutter, _Watchdog

log = logging.getLogger(__name__)
T = TypeVar("T")

RETRY_STATUS = (429, 500, 502, 503, 504)
# how often a host that cannot be reached at all is asked again (not max_retries: back-off
# over minutes does not bring a network back)
UNREACHABLE_RETRIES = {"name resolution failed": 1, "connection refused": 2}


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
