"""The fake arXiv's server: the archive behind one base URL, the faults, the request log, the
HTTP handler and the control endpoint (see the package's docstring)."""
from __future__ import annotations

import datetime as dt
import email.utils
import json
import math
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterable, Optional
from urllib.parse import parse_qs, urlsplit

from scripts.fake_arxiv import answers
from scripts.fake_arxiv.archive import Archive
from store.errors import BadInput
from store.paper import Paper

FAULT_KINDS = ("429", "429date", "503", "500", "hang", "truncated", "html", "empty", "zero",
               "dup", "holiday", "trickle", "blackhole", "badchars")
TRICKLE_GAP = 0.05          # seconds between two bytes of a trickled answer
ITEM_TAGS = (b"<item>", b"<entry>", b"<record>")
ENDPOINTS = ("rss", "api", "oai")


@dataclass
class Fault:
    kind: str
    count: int = 1
    endpoint: str = ""          # "" = any

    @classmethod
    def parse(cls, spec: str) -> "Fault":
        parts = spec.strip().split(":")
        endpoint = parts.pop(0) if parts and parts[0] in ENDPOINTS else ""
        if not parts or parts[0] not in FAULT_KINDS or len(parts) > 2:
            raise BadInput(f"bad fault {spec!r}: want [rss|api|oai:]KIND[:COUNT] with KIND one "
                           f"of {', '.join(FAULT_KINDS)}", field="--fault")
        try:
            count = int(parts[1]) if len(parts) == 2 else 1
        except ValueError:
            raise BadInput(f"bad fault count in {spec!r}", field="--fault") from None
        return cls(parts[0], count, endpoint)


class FakeArxiv:
    """One fake arXiv: its archive (data, clock, silent days, revisions), the faults and the
    request log."""

    def __init__(self, papers: Iterable[Paper], today: Optional[dt.date] = None,
                 retry_after: float = 1.0, hang: float = 5.0, oai_page: int = 1000):
        self.archive = Archive(papers, today)
        self.retry_after = retry_after
        self.hang = hang
        self.oai_page = oai_page
        self.faults: list[Fault] = []
        self.requests: list[tuple[float, str, int]] = []    # (arrival, path?query, status)
        self.user_agents: set[str] = set()
        self.lock = threading.Lock()
        self.server: Optional[ThreadingHTTPServer] = None
        self._base = ""
        self.thread: Optional[threading.Thread] = None
        self.stopping = threading.Event()      # releases black holes and trickles on stop
        self.aborted = 0                       # answers the client hung up on midway

    # ---- the archive --------------------------------------------------------------------
    @property
    def papers(self) -> dict[str, Paper]:
        return self.archive.papers

    @property
    def days(self) -> list[dt.date]:
        return self.archive.days

    @property
    def submitted(self) -> dict[str, dt.datetime]:
        return self.archive.submitted

    @property
    def today(self) -> dt.date:
        return self.archive.today

    def set_today(self, day: dt.date | str) -> None:
        self.archive.set_today(day)

    def silence(self, days: Iterable[dt.date | str]) -> None:
        """Make every interface answer as if nothing was announced on `days`."""
        self.archive.silence(days)

    def revise(self, key: str, **fields) -> Paper:
        """A new version of paper `key` (see `Archive.revise`)."""
        return self.archive.revise(key, **fields)

    # ---- faults and the request log -----------------------------------------------------
    def add_fault(self, spec: str | Fault) -> None:
        with self.lock:
            self.faults.append(Fault.parse(spec) if isinstance(spec, str) else spec)

    def clear(self) -> None:
        """No faults, no silent days, an empty request log."""
        with self.lock:
            self.faults.clear()
            self.requests.clear()
        self.archive.silent.clear()

    def gaps(self) -> list[float]:
        times = [t for t, _, _ in self.requests]
        return [b - a for a, b in zip(times, times[1:])]

    def count(self, endpoint: str = "") -> int:
        return sum(1 for _, path, _ in self.requests if path.startswith("/" + endpoint))

    def _take_fault(self, endpoint: str) -> Optional[str]:
        with self.lock:
            for f in self.faults:
                if f.count > 0 and f.endpoint in ("", endpoint):
                    f.count -= 1
                    kind = f.kind
                    self.faults = [g for g in self.faults if g.count > 0]
                    return kind
        return None

    # ---- serving ------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve in a background thread; returns the base URL ``http://host:port``."""
        self.stopping.clear()
        self.server = _QuietServer((host, port), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()
        host, port = self.server.server_address[:2]
        self._base = f"http://{host}:{port}"
        return self.base

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT`` (still known after `stop`)."""
        return self._base

    @property
    def urls(self) -> dict[str, str]:
        return {"rss_url": f"{self.base}/rss/", "api_url": f"{self.base}/api/query",
                "oai_url": f"{self.base}/oai"}

    def stop(self) -> None:
        self.stopping.set()
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict, bytes]:
        """(status, headers, body) of one request, faults applied."""
        endpoint = path.strip("/").split("/")[0]
        endpoint = {"rss": "rss", "api": "api", "oai": "oai"}.get(endpoint, "")
        fault = self._take_fault(endpoint) if endpoint else None
        if fault in ("429", "429date", "503", "500"):
            status = int(fault[:3])
            headers = {"Content-Type": "text/plain"}
            if fault == "429date":
                when = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=self.retry_after)
                headers["Retry-After"] = email.utils.format_datetime(when, usegmt=True)
            elif status in (429, 503):
                # whole seconds, as HTTP has it (0: no advice, the client backs off itself)
                headers["Retry-After"] = str(math.floor(self.retry_after + 0.5))
            return status, headers, f"{status} fake arXiv fault\n".encode()
        if fault == "hang":
            time.sleep(self.hang)
        if fault == "blackhole":
            self.stopping.wait(3600)
            return 0, {}, b""                    # the handler closes without a word
        if fault == "html":
            return 200, {"Content-Type": "text/html"}, (
                b"<!DOCTYPE html><html><head><title>503 Service Temporarily Unavailable"
                b"</title></head><body><h1>Service Temporarily Unavailable</h1></body></html>")
        if endpoint == "rss":
            cats = path.strip("/").split("/", 1)[1] if "/" in path.strip("/") else ""
            body = answers.rss(self.archive, self.base, cats.split("+") if cats else [],
                               holiday=fault == "holiday", dup=fault == "dup")
            status, ctype = 200, "application/rss+xml; charset=utf-8"
        elif endpoint == "api":
            status, body = answers.api(self.archive, query, empty=fault == "empty",
                                       dup=fault == "dup", zero=fault == "zero")
            ctype = "application/atom+xml; charset=utf-8"
        elif endpoint == "oai":
            status, body = answers.oai(self.archive, self.base, query, self.oai_page,
                                       dup=fault == "dup", zero=fault == "zero")
            ctype = "text/xml; charset=utf-8"
        else:
            return 404, {"Content-Type": "text/plain"}, b"not found\n"
        if fault == "truncated":
            body = body[: max(1, len(body) // 2)]
        headers = {"Content-Type": ctype}
        if fault == "trickle":
            headers[TRICKLE] = str(self.hang)
        if fault == "badchars":
            body = _bad_chars(body)
        return status, headers, body

    # ---- control endpoint -------------------------------------------------------------------
    def control(self, body: bytes) -> dict:
        if body:
            cmd = json.loads(body)
            if cmd.get("reset"):
                self.clear()
            if cmd.get("today"):
                self.set_today(cmd["today"])
            for spec in ([cmd["fault"]] if isinstance(cmd.get("fault"), str)
                         else cmd.get("fault") or []):
                self.add_fault(spec)
            if cmd.get("silence"):
                self.silence(cmd["silence"])
            for key, fields in (cmd.get("revise") or {}).items():
                self.revise(key, **fields)
        last = [{"path": p[:120], "status": s} for _, p, s in self.requests[-3:]]
        return {"today": self.today.isoformat(),
                "silent": sorted(d.isoformat() for d in self.archive.silent),
                "faults": [f"{f.endpoint + ':' if f.endpoint else ''}{f.kind}:{f.count}"
                           for f in self.faults],
                "requests": len(self.requests), "last": last,
                "log": f"{self.base}/control/requests"}

    def request_log(self) -> dict:
        """Every request with its arrival time and answer, and the gaps between them."""
        return {"requests": [{"t": t, "path": p, "status": s} for t, p, s in self.requests],
                "gaps": self.gaps()}


TRICKLE = "X-Fake-Trickle"        # internal: the handler sends this answer a byte at a time


def _bad_chars(body: bytes) -> bytes:
    """`body` with a raw U+0007 in the title of its first item (entry, record) and ``&#0;``
    in the second's: both forbidden in XML 1.0, as a real feed once had them."""
    starts = sorted(i for tag in ITEM_TAGS for i in _find_all(body, tag))[:2]
    out = body
    for start, bad in reversed(list(zip(starts, (b"\x07", b"&#0;")))):
        end = out.find(b"</title>", start)
        if end != -1:
            out = out[:end] + bad + out[end:]
    return out


def _find_all(body: bytes, tag: bytes) -> list[int]:
    out, i = [], body.find(tag)
    while i != -1:
        out.append(i)
        i = body.find(tag, i + 1)
    return out


class _QuietServer(ThreadingHTTPServer):
    """A client that hangs up (after its timeout) is no error of the fake's."""

    def handle_error(self, request, client_address) -> None:
        pass


def _handler(fake: FakeArxiv):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "FakeArxiv/1.0"

        def log_message(self, *args):   # quiet
            pass

        def _send(self, status: int, headers: dict, body: bytes) -> None:
            if status == 0:                  # a black hole: never a word
                self.close_connection = True
                return
            trickle = float(headers.pop(TRICKLE, 0) or 0)
            try:
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if trickle:
                    self._trickle(body, trickle)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
                if trickle:
                    with fake.lock:
                        fake.aborted += 1

        def _trickle(self, body: bytes, seconds: float) -> None:
            """A byte every TRICKLE_GAP seconds for `seconds`, then the rest."""
            self.wfile.flush()
            end, i = time.monotonic() + seconds, 0
            while i < len(body) and time.monotonic() < end and not fake.stopping.is_set():
                self.wfile.write(body[i:i + 1])
                i += 1
                time.sleep(TRICKLE_GAP)
            self.wfile.write(body[i:])

        def do_GET(self):
            split = urlsplit(self.path)
            if split.path.rstrip("/") in ("/control", "/control/requests"):
                state = fake.control(b"") if split.path.rstrip("/") == "/control" else \
                    fake.request_log()
                return self._send(200, {"Content-Type": "application/json"},
                                  (json.dumps(state, indent=1) + "\n").encode())
            arrived = time.monotonic()
            with fake.lock:
                fake.requests.append((arrived, self.path, 0))
                fake.user_agents.add(self.headers.get("User-Agent", ""))
                index = len(fake.requests) - 1
            status, headers, body = fake.answer(split.path, parse_qs(split.query))
            with fake.lock:
                fake.requests[index] = (arrived, self.path, status)
            self._send(status, headers, body)

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if urlsplit(self.path).path.rstrip("/") != "/control":
                return self._send(404, {"Content-Type": "text/plain"}, b"not found\n")
            try:
                out = fake.control(body)
            except (ValueError, BadInput) as e:
                return self._send(400, {"Content-Type": "text/plain"}, f"{e}\n".encode())
            self._send(200, {"Content-Type": "application/json"}, json.dumps(out).encode())

    return Handler


