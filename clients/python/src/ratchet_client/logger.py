"""The prediction logger: a serving process's calls to `log()` must cost microseconds and never fail because
Ratchet is down, slow or refusing. So `log()` only appends to a bounded buffer, and a background thread sends
batches, each retried under one Idempotency-Key (a retry after a lost answer stores nothing twice)."""

from __future__ import annotations

import atexit
import datetime as _dt
import logging
import os
import random
import threading
import time
import uuid
import weakref
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from ._prediction_checks import row_problem
from ._tables import dumps
from .errors import AuthError, Conflict, NotFound, RatchetError, ValidationError
from .models import PredictionBatchResult

log = logging.getLogger("ratchet_client")

#: Why rows were dropped (the keys of `LoggerStats.dropped_by_reason`).
BUFFER_FULL = "buffer_full"  # log() found the buffer full: Ratchet is down or slower than the traffic
UNAVAILABLE = "unavailable"  # a batch failed every attempt (connection, timeout, 5xx)
REFUSED = "refused"  # the server refused the batch (400, 401/403, 404): retrying would not help
INVALID = "invalid"  # a row the server would refuse (and with it the whole batch): a confidence of 1.3, no id
NOT_SERIALIZABLE = "not_serializable"  # a feature or prediction that cannot be written as JSON
CLOSED = "closed"  # logged after close(), or still buffered when close() ran out of time

Send = Callable[[list[bytes], str], PredictionBatchResult]

# Loggers not closed by their owner are closed at interpreter exit (while their daemon threads still run), so
# a script that forgot the `with` block still sends its last batch, or counts and reports it as dropped.
_open_loggers: weakref.WeakSet[PredictionLogger] = weakref.WeakSet()
EXIT_CLOSE_SECONDS = 5.0


@atexit.register
def _close_open_loggers() -> None:
    for logger in list(_open_loggers):
        logger.close(timeout=min(logger._close_timeout, EXIT_CLOSE_SECONDS))


def _restart_after_fork() -> None:
    for logger in list(_open_loggers):
        logger._start_in_child()


# A server that forks its workers after the logger was made (gunicorn --preload, uWSGI) gives each worker a
# copy without the sending thread, whose buffer would only fill up: each child starts a thread of its own.
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_restart_after_fork)


@dataclass(frozen=True)
class LoggerStats:
    logged: int
    #: Rows the server stored (its `accepted` counts).
    sent: int
    dropped: int
    dropped_by_reason: dict[str, int]
    #: Rows buffered or in a batch being sent.
    pending: int
    #: The last failure or refusal, as text (kept after later successes; None when nothing failed yet).
    last_error: str | None
    #: Feature-level problems the server counted (missingFeature, nonFinite, ...), summed over batches.
    data_quality: dict[str, int] = field(default_factory=dict)


class PredictionLogger:
    def __init__(
        self,
        *,
        send: Send,
        model: str,
        version: int,
        arm: str,
        batch_size: int,
        flush_interval: float,
        max_buffer: int,
        max_attempts: int,
        close_timeout: float,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
    ) -> None:
        if max_buffer < batch_size:
            raise ValueError("max_buffer must be at least batch_size")
        self._send = send
        self._model = model
        self._version = version
        self._arm = arm
        self._batch_size = batch_size
        self._flush_interval = flush_interval
        self._max_buffer = max_buffer
        self._max_attempts = max(1, max_attempts)
        self._close_timeout = close_timeout
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._buffer: deque[bytes] = deque()
        self._in_flight = 0
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._closing = False
        self._closed = False
        self._deadline: float | None = None
        self._logged = 0
        self._sent = 0
        self._dropped: Counter[str] = Counter()
        self._quality: Counter[str] = Counter()
        self._last_error: str | None = None
        self._warned = False
        self._thread = threading.Thread(target=self._run, name=f"ratchet-logger-{model}", daemon=True)
        self._thread.start()
        _open_loggers.add(self)

    def _start_in_child(self) -> None:
        """After a fork, in the child: fresh lock and thread, an empty buffer and counts of its own (the rows
        buffered before the fork are the parent's to send)."""
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._buffer.clear()
        self._in_flight = 0
        self._logged = self._sent = 0
        self._dropped.clear()
        self._quality.clear()
        self._last_error = None
        self._warned = False
        if self._closing:
            return
        self._thread = threading.Thread(target=self._run, name=self._thread.name, daemon=True)
        self._thread.start()

    def log(
        self,
        *,
        id: str,
        features: Mapping[str, Any],
        prediction: Any,
        confidence: float | None = None,
        probabilities: Mapping[Any, float] | None = None,  # class labels: keys are sent as strings
        latency_ms: float | None = None,
        time: _dt.datetime | str | None = None,
    ) -> bool:
        """Buffers one prediction; returns False when it was dropped (counted in `stats()`). Never blocks on
        the network and never raises because of Ratchet."""
        try:
            when = time or _dt.datetime.now(_dt.timezone.utc)
            if isinstance(when, _dt.datetime) and when.tzinfo is None:
                when = when.astimezone()  # a naive time is the machine's local time, as datetime.now() gives
            row: dict[str, Any] = {
                "model": self._model,
                "version": self._version,
                "id": str(id),
                "time": when.isoformat() if isinstance(when, _dt.datetime) else when,
                "features": features,
                "prediction": prediction,
                "arm": self._arm,
            }
            if confidence is not None:
                row["confidence"] = confidence
            if probabilities is not None:
                row["probabilities"] = {str(k): v for k, v in probabilities.items()}
            if latency_ms is not None:
                row["latencyMs"] = latency_ms
            problem = row_problem(row)
            if problem is not None:
                with self._lock:
                    self._logged += 1
                    self._drop(INVALID, 1, problem)
                return False
            # Serialized now, in the caller's thread: later changes to `features` cannot alter what is sent.
            line = (dumps(row) + "\n").encode("utf-8")
        except (TypeError, ValueError, AttributeError) as error:
            with self._lock:
                self._logged += 1
                self._drop(NOT_SERIALIZABLE, 1, f"not serializable: {error}")
            return False
        with self._lock:
            self._logged += 1
            if self._closing:
                self._drop(CLOSED, 1, None)
                return False
            if len(self._buffer) + self._in_flight >= self._max_buffer:
                self._drop(BUFFER_FULL, 1, None)
                return False
            self._buffer.append(line)
            if len(self._buffer) >= self._batch_size:
                self._wake.notify_all()
        return True

    def flush(self, timeout: float | None = None) -> bool:
        """Waits until everything logged so far was sent or dropped; False when `timeout` ran out first."""
        end = None if timeout is None else _now() + timeout
        with self._lock:
            self._wake.notify_all()
            while self._buffer or self._in_flight:
                remaining = None if end is None else end - _now()
                if remaining is not None and remaining <= 0:
                    return False
                self._wake.wait(remaining if remaining is None else min(remaining, 0.05))
        return True

    def close(self, timeout: float | None = None) -> LoggerStats:
        """Sends what is buffered (for at most `timeout`, default `close_timeout`), stops the thread, drops and
        counts what could not be sent, and returns the final stats (a warning is logged when rows were dropped)."""
        with self._lock:
            if self._closed:
                return self._stats()
            self._closing = True
            self._deadline = _now() + (self._close_timeout if timeout is None else timeout)
            self._wake.notify_all()
        self._thread.join(max(0.0, self._deadline - _now()) + 1.0)
        _open_loggers.discard(self)
        with self._lock:
            self._closed = True
            if self._buffer:
                self._drop(CLOSED, len(self._buffer), None)  # keep the network error as the reason
                self._buffer.clear()
            stats = self._stats()
        if stats.dropped:
            log.warning(
                "ratchet prediction logger for %s v%s dropped %d of %d predictions (%s); last error: %s",
                self._model,
                self._version,
                stats.dropped,
                stats.logged,
                ", ".join(f"{k}: {v}" for k, v in sorted(stats.dropped_by_reason.items())),
                stats.last_error,
            )
        return stats

    def stats(self) -> LoggerStats:
        with self._lock:
            return self._stats()

    def __enter__(self) -> PredictionLogger:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    # The background thread ------------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._closing and len(self._buffer) < self._batch_size:
                    self._wake.wait(self._flush_interval)
                if not self._buffer:
                    if self._closing:
                        return
                    continue
                if self._past_deadline():
                    return
                batch = [self._buffer.popleft() for _ in range(min(self._batch_size, len(self._buffer)))]
                self._in_flight = len(batch)
            try:
                self._deliver(batch)
            except BaseException as error:  # the thread must survive anything, or logging silently stops
                with self._lock:
                    self._drop(UNAVAILABLE, len(batch), f"unexpected: {error!r}")
            finally:
                with self._lock:
                    self._in_flight = 0
                    self._wake.notify_all()

    def _deliver(self, batch: list[bytes]) -> None:
        key = str(uuid.uuid4())  # one key for every attempt: a retry after a lost answer is a replay
        for attempt in range(self._max_attempts):
            if attempt > 0:
                delay = min(self._backoff * 2 ** (attempt - 1), self._max_backoff) * random.uniform(0.5, 1.0)
                if not self._sleep(delay):
                    break
            try:
                result = self._send(batch, key)
            except (ValidationError, AuthError, NotFound) as error:
                with self._lock:
                    self._drop(REFUSED, len(batch), _describe(error))
                return
            except Conflict as error:
                if error.status == 422:  # cannot happen with a fresh key per batch; never loop on it
                    with self._lock:
                        self._drop(REFUSED, len(batch), _describe(error))
                    return
                self._note(error)
                continue
            except RatchetError as error:
                self._note(error)
                continue
            with self._lock:
                self._sent += result.accepted
                for problem, count in result.data_quality.items():
                    if isinstance(count, int) and not isinstance(count, bool):
                        self._quality[problem] += count
            return
        with self._lock:
            self._drop(UNAVAILABLE, len(batch), self._last_error)

    def _sleep(self, seconds: float) -> bool:
        """Waits between attempts, but not past close()'s deadline; False when the deadline is reached."""
        with self._lock:
            end = _now() + seconds
            while (remaining := end - _now()) > 0:
                if self._past_deadline():
                    return False
                self._wake.wait(min(remaining, 0.1))
            return not self._past_deadline()

    def _past_deadline(self) -> bool:
        return self._deadline is not None and _now() >= self._deadline

    def _note(self, error: RatchetError) -> None:
        with self._lock:
            self._last_error = _describe(error)

    def _drop(self, reason: str, count: int, error: str | None) -> None:
        """Counts dropped rows (the lock is held). The first drop is logged at once; the rest in close()."""
        self._dropped[reason] += count
        if error is not None:
            self._last_error = error
        if not self._warned:
            self._warned = True
            log.warning(
                "ratchet prediction logger for %s v%s is dropping predictions (%s)%s",
                self._model,
                self._version,
                reason,
                f": {error}" if error else "",
            )

    def _stats(self) -> LoggerStats:
        return LoggerStats(
            logged=self._logged,
            sent=self._sent,
            dropped=sum(self._dropped.values()),
            dropped_by_reason=dict(self._dropped),
            pending=len(self._buffer) + self._in_flight,
            last_error=self._last_error,
            data_quality=dict(self._quality),
        )


def _describe(error: RatchetError) -> str:
    issues = "; ".join(f"{i.field}: {i.reason}" for i in error.issues)
    return f"{error}" + (f" ({issues})" if issues and issues not in str(error) else "")


def _now() -> float:
    return time.monotonic()
