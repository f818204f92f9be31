"""The limits of a run that talks to arXiv: its rate (`RateLimiter`, the 3-second rule of
arXiv's terms), its deadline (`Budget`, `cfg.run_budget`), and the watchdog that cuts a
request still running at the deadline (`_Watchdog` over the connections `_Cutter` tracks
through `_Adapter`): `requests`' timeout only bounds the gap between two bytes, so a server
that trickles its answer, or a black hole, would otherwise outlast any budget. `crawler.http`
wires them into its `Client`."""
from __future__ import annotations

import socket
import threading
import time
import weakref
from typing import Any, Callable, Optional

from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from crawler.errors import BudgetExceeded


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
