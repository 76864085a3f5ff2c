"""Test support: the client from this checkout (not an installed copy) and a fake Ratchet server in this process.

The fake speaks real HTTP on a local port, so the client's sockets, chunked uploads, timeouts and closed
connections are exercised as they are against the real server; only the answers are scripted.
"""

from __future__ import annotations

import json
import socket
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from ratchet_client import Ratchet  # noqa: E402


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    chunked: bool

    def json(self) -> Any:
        return json.loads(self.body)

    def lines(self) -> list[Any]:
        return [json.loads(line) for line in self.body.decode("utf-8").splitlines() if line.strip()]


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    #: Seconds to wait before answering (longer than the client's timeout makes it time out).
    delay: float = 0.0
    #: Close the connection without any answer, as a crashed proxy or a lost answer would.
    hang_up: bool = False


Route = Callable[[Recorded], Reply]


class FakeRatchet:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.route: Route = lambda req: Reply(404, {"error": "not_found", "message": "no route in the fake"})
        #: When set, a chunked upload is answered with this as soon as its first line has arrived, and the
        #: rest is not read: what the real server does with a report whose header is refused.
        self.refuse_after_first_line: Reply | None = None
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                chunked = headers.get("transfer-encoding", "").lower() == "chunked"
                early = fake.refuse_after_first_line if chunked else None
                if early is not None:
                    body = self._read_chunked(until_newline=True)
                    self._record(headers, body, chunked)
                    self._answer(early)
                    self.close_connection = True
                    return
                if chunked:
                    body = self._read_chunked(until_newline=False)
                else:
                    body = self.rfile.read(int(headers.get("content-length", "0") or 0))
                recorded = self._record(headers, body, chunked)
                reply = fake.route(recorded)
                if reply.delay:
                    threading.Event().wait(reply.delay)
                if reply.hang_up:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self._answer(reply)

            def _record(self, headers: dict[str, str], body: bytes, chunked: bool) -> Recorded:
                recorded = Recorded(self.command, self.path, headers, body, chunked)
                with fake._lock:
                    fake.requests.append(recorded)
                return recorded

            def _read_chunked(self, until_newline: bool) -> bytes:
                data = bytearray()
                while True:
                    size = int(self.rfile.readline().strip().split(b";")[0], 16)
                    if size == 0:
                        self.rfile.readline()
                        return bytes(data)
                    data += self.rfile.read(size)
                    self.rfile.readline()
                    if until_newline and b"\n" in data:
                        return bytes(data[: data.index(b"\n") + 1])

            def _answer(self, reply: Reply) -> None:
                payload = b"" if reply.body is None else json.dumps(reply.body).encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (its timeout): nothing to answer to

            do_GET = _handle
            do_POST = _handle

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client that hung up mid-answer is what some tests do on purpose

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeRatchet:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def replies(self, *replies: Reply) -> None:
        """Answers the next requests in this order; the last reply repeats."""
        queue = list(replies)

        def route(_req: Recorded) -> Reply:
            with self._lock:
                return queue.pop(0) if len(queue) > 1 else queue[0]

        self.route = route


def client(url: str, **options: Any) -> tuple[Ratchet, list[float]]:
    """A client whose waits between retries are recorded instead of slept."""
    options.setdefault("timeout", 2.0)
    options.setdefault("retries", 2)
    rt = Ratchet(url, "rk_test", **options)
    sleeps: list[float] = []
    rt._transport.retry.sleep = sleeps.append
    return rt, sleeps


def closed_port() -> int:
    """A local port nothing listens on: connecting is refused at once, like a server that is down."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


VALIDATION = Reply(
    400,
    {
        "error": "invalid_request",
        "message": "artifactSha256: must be 64 lower-case hex characters",
        "issues": [{"field": "artifactSha256", "reason": "must be 64 lower-case hex characters"}],
    },
)
