"""The one place that talks HTTP: authentication, JSON, chunked uploads, retries and the mapping of answers to errors.

Built on `http.client` rather than `urllib.request` because a streamed upload that the server refuses early
(a bad report header) must still read the server's 400 after the send fails: urllib hides that answer.
"""

from __future__ import annotations

import http.client
import json
import random
import ssl
import time
import urllib.parse
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._tables import dumps
from .errors import RatchetConnectionError, RatchetError, RatchetTimeout, error_for_status

# Answers that mean "try again": the request was not handled (503 busy) or a gateway lost it (502, 504).
_RETRYABLE_STATUSES = frozenset({502, 503, 504})


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    data: Any


@dataclass(frozen=True)
class Stream:
    """A body sent with chunked transfer encoding. `open` gives the chunks; a body that can be produced again
    (`replayable`) may be retried, a one-shot iterator may not."""

    open: Callable[[], Iterable[bytes]]
    replayable: bool


@dataclass
class RetryPolicy:
    """How often and how patiently a request is repeated; `sleep` is replaceable so tests need not wait."""

    retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)

    def delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after is not None:
            try:
                return min(max(float(retry_after), 0.0), self.max_backoff)
            except ValueError:
                pass
        # Jitter spreads the retries of many clients that failed at the same moment.
        return min(self.backoff * 2.0**attempt, self.max_backoff) * random.uniform(0.5, 1.0)


class _NotSent(Exception):
    """The connection could not be opened: nothing reached the server, so any request may be repeated."""

    def __init__(self, cause: BaseException) -> None:
        super().__init__(str(cause))
        self.cause = cause


class Transport:
    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        timeout: float,
        retry: RetryPolicy,
        user_agent: str,
    ) -> None:
        parsed = urllib.parse.urlsplit(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise ValueError(f"url must be http:// or https:// with a host, got {url!r}")
        if not api_key:
            raise ValueError("api_key is required (an admin creates keys on the API keys page)")
        self._https = parsed.scheme == "https"
        self._host = parsed.hostname
        self._port = parsed.port
        self._prefix = parsed.path.rstrip("/")
        self._api_key = api_key
        self.timeout = timeout
        self.retry = retry
        self._user_agent = user_agent
        self._ssl = ssl.create_default_context() if self._https else None

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        json_body: Any = None,
        body: bytes | Stream | None = None,
        content_type: str | None = None,
        headers: Mapping[str, str] | None = None,
        safe_to_repeat: bool,
        timeout: float | None = None,
        retries: int | None = None,
    ) -> Response:
        """Sends a request and returns its 2xx answer, or raises the matching RatchetError.

        `safe_to_repeat`: repeating the request after it may have reached the server changes nothing (a GET,
        an Idempotency-Key, a route idempotent on content). Without it only failures that provably sent
        nothing (connection refused, 503 busy) are retried.
        """
        if json_body is not None:
            body = dumps(json_body).encode("utf-8")
            content_type = "application/json"
        full_path = self._prefix + path
        if query:
            full_path += "?" + urllib.parse.urlencode(query)
        replayable = not isinstance(body, Stream) or body.replayable
        idempotency_key = bool(headers and any(k.lower() == "idempotency-key" for k in headers))
        attempts = 1 + (self.retry.retries if retries is None else retries)
        last: RatchetError | None = None
        retry_after: str | None = None
        for attempt in range(attempts):
            if attempt > 0:
                self.retry.sleep(self.retry.delay(attempt - 1, retry_after))
                retry_after = None
            try:
                response = self._once(method, full_path, body, content_type, headers, timeout or self.timeout)
            except _NotSent as failure:
                # Safe to repeat whatever the request: nothing was sent, not even a one-shot stream's first chunk.
                last = _connection_error(failure.cause)
                continue
            except TimeoutError as failure:
                last = RatchetTimeout(f"no answer from {method} {path} within {timeout or self.timeout:g} s", body=None)
                if not (safe_to_repeat and replayable):
                    raise last from failure
                continue
            except (OSError, http.client.HTTPException) as failure:
                last = _connection_error(failure)
                if not (safe_to_repeat and replayable):
                    raise last from failure
                continue
            if response.status < 400:
                return response
            error = error_for_status(response.status, response.data, f"{method} {path} answered {response.status}")
            busy = response.status == 503
            in_flight = response.status == 409 and idempotency_key
            transient = response.status in _RETRYABLE_STATUSES or response.status == 500
            if replayable and (busy or in_flight or (safe_to_repeat and transient)):
                last = error
                retry_after = response.headers.get("retry-after")
                continue
            raise error
        assert last is not None
        raise last

    def _once(
        self,
        method: str,
        path: str,
        body: bytes | Stream | None,
        content_type: str | None,
        extra: Mapping[str, str] | None,
        timeout: float,
    ) -> Response:
        conn: http.client.HTTPConnection
        if self._https:
            conn = http.client.HTTPSConnection(self._host, self._port, timeout=timeout, context=self._ssl)
        else:
            conn = http.client.HTTPConnection(self._host, self._port, timeout=timeout)
        try:
            try:
                conn.connect()
            except (OSError, http.client.HTTPException) as failure:
                raise _NotSent(failure) from failure
            conn.putrequest(method, path, skip_accept_encoding=True)
            conn.putheader("Authorization", f"Bearer {self._api_key}")
            conn.putheader("Accept", "application/json")
            conn.putheader("User-Agent", self._user_agent)
            if content_type:
                conn.putheader("Content-Type", content_type)
            if isinstance(body, bytes):
                conn.putheader("Content-Length", str(len(body)))
            elif isinstance(body, Stream):
                conn.putheader("Transfer-Encoding", "chunked")
            for name, value in (extra or {}).items():
                conn.putheader(name, value)
            conn.endheaders()
            if isinstance(body, bytes):
                conn.send(body)
            elif isinstance(body, Stream):
                _send_chunked(conn, body.open())
            answer = conn.getresponse()
            raw = answer.read()
            headers = {k.lower(): v for k, v in answer.getheaders()}
            return Response(answer.status, headers, _parse(raw, headers.get("content-type", "")))
        finally:
            conn.close()


def _send_chunked(conn: http.client.HTTPConnection, chunks: Iterable[bytes]) -> None:
    try:
        for chunk in chunks:
            if chunk:
                conn.send(b"%X\r\n%b\r\n" % (len(chunk), chunk))
        conn.send(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        # The server stopped reading: it refused the upload early (a bad header line) and has most likely
        # answered already. The caller reads that answer; if there is none, reading raises.
        pass


def _parse(raw: bytes, content_type: str) -> Any:
    if not raw:
        return None
    if "json" in content_type:
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            return None
    return None


def _connection_error(cause: BaseException) -> RatchetError:
    if isinstance(cause, TimeoutError):
        return RatchetTimeout(f"timed out connecting to Ratchet: {cause}")
    return RatchetConnectionError(f"could not reach Ratchet: {cause}")
