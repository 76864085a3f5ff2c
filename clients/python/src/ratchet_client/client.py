"""`Ratchet`: the client a pipeline or a serving process holds, one method per thing it asks of Ratchet."""

from __future__ import annotations

import math
import os
import tempfile
import time
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from . import __version__
from ._http import Response, RetryPolicy, Stream, Transport
from ._tables import check_table, dumps, outcome_line, rows_of, size_of
from .errors import RatchetConnectionError, RatchetTimeout, ServerError
from .logger import PredictionLogger
from .models import (
    Champion,
    Dataset,
    Gate,
    Model,
    PredictionBatchResult,
    Release,
    Report,
    Strategy,
    Version,
)

#: Uploads are sent in pieces of about this size (chunked transfer encoding).
CHUNK_BYTES = 64 * 1024
#: The server's limit for one batch of predictions.
MAX_PREDICTION_BATCH = 10_000

DatasetRef = Dataset | tuple[str, int] | Mapping[str, Any]


def _segment(value: str | int) -> str:
    return urllib.parse.quote(str(value), safe="")


def _dataset_ref(ref: DatasetRef) -> dict[str, Any]:
    if isinstance(ref, Dataset):
        return {"name": ref.name, "version": ref.version}
    if isinstance(ref, tuple):
        name, version = ref
        return {"name": name, "version": version}
    return {"name": ref["name"], "version": ref["version"]}


def _without_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


class Ratchet:
    """A Ratchet server, reached with one API key.

    >>> rt = Ratchet("http://localhost:3000", api_key="rk_...")

    `timeout` is per request (seconds without a byte from the server); `retries` is how often a failed request
    is repeated when repeating is safe (reads, Idempotency-Key, content-idempotent uploads), with exponential
    backoff from `backoff` up to `max_backoff` seconds, or the server's `Retry-After`.
    """

    def __init__(
        self,
        url: str,
        api_key: str,
        *,
        timeout: float = 30.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
    ) -> None:
        self.url = url.rstrip("/")
        self._transport = Transport(
            url,
            api_key,
            timeout=timeout,
            retry=RetryPolicy(retries=retries, backoff=backoff, max_backoff=max_backoff),
            user_agent=f"ratchet-client-python/{__version__}",
        )

    @classmethod
    def from_env(cls, **options: Any) -> Ratchet:
        """A client for `RATCHET_URL` with `RATCHET_API_KEY`, as CI jobs and containers configure it."""
        url = os.environ.get("RATCHET_URL")
        key = os.environ.get("RATCHET_API_KEY")
        if not url or not key:
            raise ValueError("set RATCHET_URL and RATCHET_API_KEY")
        return cls(url, key, **options)

    # Registry -------------------------------------------------------------------------------------------

    def create_model(
        self,
        name: str,
        *,
        task: str,
        owner: str,
        labels: Iterable[str] = (),
        description: str = "",
        review_threshold: float | None = None,
    ) -> Model:
        """Registers a model (scope models:write). Conflict when the name is taken."""
        body = _without_none(
            {
                "name": name,
                "task": task,
                "owner": owner,
                "labels": list(labels),
                "description": description,
                "reviewThreshold": review_threshold,
            }
        )
        res = self._transport.request("POST", "/api/v1/models", json_body=body, safe_to_repeat=False)
        return Model.from_json(res.data)

    def register_dataset(
        self,
        *,
        name: str,
        role: str,
        row_count: int,
        hash: str,
        uri: str,
        period_start: str | None = None,
        period_end: str | None = None,
    ) -> Dataset:
        """Records a dataset version (scope datasets:write). The same name and hash again returns the version
        recorded before (`created` False), so this is safe to retry."""
        body = _without_none(
            {
                "name": name,
                "role": role,
                "rowCount": row_count,
                "hash": hash,
                "uri": uri,
                "periodStart": period_start,
                "periodEnd": period_end,
            }
        )
        res = self._transport.request("POST", "/api/v1/datasets", json_body=body, safe_to_repeat=True)
        return Dataset.from_json(res.data, created=res.status == 201)

    def register_version(
        self,
        model: str,
        *,
        artifact_uri: str,
        artifact_sha256: str,
        config: Mapping[str, Any],
        hyperparameters: Mapping[str, Any] | None = None,
        training_dataset: DatasetRef | None = None,
        parent_version: int | None = None,
        code_commit: str | None = None,
        description: str | None = None,
    ) -> Version:
        """Registers the next version of a model (scope versions:write); its number is `.version`.

        Not repeated after a failure that may have reached the server: a repeat would register a second version.
        """
        body = _without_none(
            {
                "artifactUri": artifact_uri,
                "artifactSha256": artifact_sha256,
                "config": dict(config),
                "hyperparameters": dict(hyperparameters) if hyperparameters is not None else None,
                "trainingDataset": _dataset_ref(training_dataset) if training_dataset is not None else None,
                "parentVersion": parent_version,
                "codeCommit": code_commit,
                "description": description,
            }
        )
        res = self._transport.request(
            "POST",
            f"/api/v1/models/{_segment(model)}/versions",
            body=dumps(body).encode("utf-8"),
            content_type="application/json",
            safe_to_repeat=False,
        )
        return Version.from_json(res.data, model)

    def champion(self, model: str, *, at: str | None = None) -> Champion:
        """The champion's version and config and the challenger with its strategy and share; with `at`
        (ISO 8601 with an offset), who was champion then."""
        res = self._transport.request(
            "GET",
            f"/api/v1/models/{_segment(model)}/champion",
            query={"at": at} if at else None,
            safe_to_repeat=True,
        )
        return Champion.from_json(res.data)

    # Evidence -------------------------------------------------------------------------------------------

    def post_report(
        self,
        model: str,
        version: int,
        *,
        kind: str,
        outcomes: Any = None,
        metrics: Mapping[str, float] | None = None,
        sample_size: int | None = None,
        dataset: DatasetRef | None = None,
        slice: str | None = None,
        baseline: str | None = None,
        period_start: str | None = None,
        period_end: str | None = None,
        timeout: float | None = None,
    ) -> Report:
        """Posts an evaluation report (scope reports:write). Ratchet computes the metrics and their confidence
        intervals from `outcomes` (rows with id, label, prediction and optionally score: any iterable of dicts,
        or a DataFrame), streamed as NDJSON with chunked transfer, so a million rows never sit in one body.

        The server needs the row count first (`sampleSize`): it is `sample_size` when given, else `len(outcomes)`
        for a list or DataFrame; a generator of unknown length is first written to a temporary file. Posting
        the same report again stores nothing (`created` False), so a report that can be read again is retried.
        """
        for name, value in (metrics or {}).items():
            # JSON has no NaN: the server could only say the body is not JSON, so say which metric here.
            if not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"metrics[{name!r}] must be a finite number, got {value!r}")
        header = _without_none(
            {
                "model": model,
                "version": version,
                "kind": kind,
                "metrics": dict(metrics) if metrics is not None else None,
                "dataset": _dataset_ref(dataset) if dataset is not None else None,
                "slice": slice,
                "baseline": baseline,
                "periodStart": period_start,
                "periodEnd": period_end,
            }
        )
        if outcomes is None:
            if sample_size is None:
                raise ValueError("sample_size is required when no outcomes are given")
            res = self._transport.request(
                "POST",
                "/api/v1/reports",
                body=dumps({**header, "sampleSize": sample_size}).encode("utf-8"),
                content_type="application/json",
                safe_to_repeat=True,
                timeout=timeout,
            )
            return Report.from_json(res.data)

        check_table(outcomes, "outcomes")
        count = sample_size if sample_size is not None else size_of(outcomes)
        if count is not None:
            # A one-shot iterator cannot be read twice, so such an upload is never retried.
            one_shot = iter(outcomes) is outcomes
            stream = Stream(
                open=lambda: _ndjson_chunks({**header, "sampleSize": count}, rows_of(outcomes, "outcomes")),
                replayable=not one_shot,
            )
            return self._post_ndjson_report(stream, timeout)
        with tempfile.TemporaryFile() as spool:
            count = _spool_outcomes(spool, rows_of(outcomes, "outcomes"))
            head = (dumps({**header, "sampleSize": count}) + "\n").encode("utf-8")
            stream = Stream(open=lambda: _file_chunks(head, spool), replayable=True)
            return self._post_ndjson_report(stream, timeout)

    def _post_ndjson_report(self, stream: Stream, timeout: float | None) -> Report:
        res = self._transport.request(
            "POST",
            "/api/v1/reports",
            body=stream,
            content_type="application/x-ndjson",
            safe_to_repeat=True,
            timeout=timeout,
        )
        return Report.from_json(res.data)

    # Serving --------------------------------------------------------------------------------------------

    def log_predictions(self, predictions: Any, *, idempotency_key: str | None = None) -> PredictionBatchResult:
        """Posts one batch of up to 10,000 predictions now (scope predictions:write), in the API's own row format
        (model, version, id, time, features, prediction, confidence, probabilities, latencyMs, arm). With an
        `idempotency_key` the batch is retried after timeouts and 5xx; a replay stores nothing."""
        lines = [(dumps(dict(row)) + "\n").encode("utf-8") for row in rows_of(predictions, "predictions")]
        return self._post_prediction_lines(lines, idempotency_key=idempotency_key)

    def _post_prediction_lines(
        self,
        lines: list[bytes],
        *,
        idempotency_key: str | None,
        retries: int | None = None,
        timeout: float | None = None,
    ) -> PredictionBatchResult:
        res: Response = self._transport.request(
            "POST",
            "/api/v1/predictions",
            body=b"".join(lines),
            content_type="application/x-ndjson",
            headers={"Idempotency-Key": idempotency_key} if idempotency_key else None,
            safe_to_repeat=idempotency_key is not None,
            retries=retries,
            timeout=timeout,
        )
        return PredictionBatchResult.from_json(res.data, replayed=res.headers.get("idempotent-replayed") == "true")

    def prediction_logger(
        self,
        model: str,
        *,
        version: int,
        arm: str = "champion",
        batch_size: int = 500,
        flush_interval: float = 1.0,
        max_buffer: int = 10_000,
        max_attempts: int = 5,
        timeout: float = 5.0,
        close_timeout: float = 10.0,
    ) -> PredictionLogger:
        """A logger for a serving process: `log()` only appends to a bounded buffer; a background thread sends
        batches (at `batch_size` rows or every `flush_interval` seconds), each retried under one Idempotency-Key.
        When Ratchet is down or slow, rows beyond `max_buffer` are dropped and counted, never waited for.
        Use it as a context manager, or call `close()`; `stats()` reports what was sent and dropped."""
        if not 1 <= batch_size <= MAX_PREDICTION_BATCH:
            raise ValueError(f"batch_size must be between 1 and {MAX_PREDICTION_BATCH}")
        return PredictionLogger(
            send=lambda lines, key: self._post_prediction_lines(lines, idempotency_key=key, retries=0, timeout=timeout),
            model=model,
            version=version,
            arm=arm,
            batch_size=batch_size,
            flush_interval=flush_interval,
            max_buffer=max_buffer,
            max_attempts=max_attempts,
            close_timeout=close_timeout,
            backoff=self._transport.retry.backoff,
            max_backoff=self._transport.retry.max_backoff,
        )

    # Governance -----------------------------------------------------------------------------------------

    def gate(self, model: str, version: int) -> Gate:
        """The release gate for a version as it stands now; `.passed` is True only when every check passes
        (missing evidence is `insufficient`, not a pass)."""
        res = self._transport.request(
            "GET", f"/api/v1/models/{_segment(model)}/versions/{_segment(version)}/gate", safe_to_repeat=True
        )
        return Gate.from_json(res.data)

    def request_release(
        self,
        model: str,
        version: int,
        *,
        strategy: Strategy = "full",
        share: float | None = None,
        rationale: str,
    ) -> Release:
        """Requests a release (scope releases:request). The key's owner is the requester, so another person
        decides (four eyes). Not repeated after a failure that may have reached the server."""
        body = _without_none(
            {"model": model, "version": version, "strategy": strategy, "share": share, "rationale": rationale}
        )
        res = self._transport.request("POST", "/api/v1/releases", json_body=body, safe_to_repeat=False)
        return Release.from_json(res.data)

    def release(self, release_id: str) -> Release:
        """A release request with its status and decision."""
        res = self._transport.request("GET", f"/api/v1/releases/{_segment(release_id)}", safe_to_repeat=True)
        return Release.from_json(res.data)

    def wait_for_decision(
        self, release: Release | str, *, timeout: float = 3600.0, poll_interval: float = 10.0
    ) -> Release:
        """Polls until the release is approved or rejected and returns it; raises RatchetTimeout (with the still
        pending release as `.body`) when no decision came within `timeout` seconds. Unreachable servers and 5xx
        answers in between are waited out until then; 4xx answers (a wrong id, a revoked key) raise at once."""
        release_id = release.id if isinstance(release, Release) else release
        deadline = time.monotonic() + timeout
        current: Release | None = release if isinstance(release, Release) else None
        while True:
            try:
                current = self.release(release_id)
            except (RatchetConnectionError, RatchetTimeout, ServerError):
                # A CI job waits for hours: a server restart or a deploy in between is no reason to give up.
                if time.monotonic() >= deadline:
                    raise
            else:
                if current.decided:
                    return current
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise RatchetTimeout(f"release {release_id} is still pending after {timeout:g} s", body=current)
            self._transport.retry.sleep(min(poll_interval, remaining))


def _ndjson_chunks(header: Mapping[str, Any], rows: Iterable[Mapping[str, Any]]) -> Iterator[bytes]:
    buffer = bytearray((dumps(header) + "\n").encode("utf-8"))
    for index, row in enumerate(rows):
        buffer += outcome_line(row, index)
        if len(buffer) >= CHUNK_BYTES:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


def _spool_outcomes(spool: IO[bytes], rows: Iterable[Mapping[str, Any]]) -> int:
    count = 0
    for index, row in enumerate(rows):
        spool.write(outcome_line(row, index))
        count += 1
    return count


def _file_chunks(head: bytes, spool: IO[bytes]) -> Iterator[bytes]:
    yield head
    spool.seek(0)
    while chunk := spool.read(CHUNK_BYTES):
        yield chunk
