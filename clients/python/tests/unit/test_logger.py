"""The prediction logger in a serving process: batched, sent in the background, retried under one
Idempotency-Key, and never blocking or raising when Ratchet is down, slow or refusing."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import threading
import time
import unittest
from pathlib import Path
from typing import Any

from support import FakeRatchet, Recorded, Reply, client, closed_port

ACCEPTED = {"accepted": 0, "dataQuality": {"missingFeature": 0, "nonFinite": 0}}


def accept(req: Recorded) -> Reply:
    rows = req.lines()
    nonfinite = sum(1 for r in rows if r["features"].get("x") != r["features"].get("x"))
    return Reply(201, {"accepted": len(rows), "dataQuality": {"missingFeature": 0, "nonFinite": nonfinite}})


class IdempotentServer:
    """Remembers answers by Idempotency-Key as the real server does: a repeated key gets the first answer."""

    def __init__(self, lose_first_answers: int = 0) -> None:
        self.stored: list[dict[str, Any]] = []
        self.answers: dict[str, Reply] = {}
        self.lose = lose_first_answers
        self.lock = threading.Lock()

    def __call__(self, req: Recorded) -> Reply:
        key = req.headers["idempotency-key"]
        with self.lock:
            if key in self.answers:
                first = self.answers[key]
                return Reply(first.status, first.body, {"Idempotent-Replayed": "true"})
            rows = req.lines()
            self.stored.extend(rows)
            self.answers[key] = Reply(201, {"accepted": len(rows), "dataQuality": {}})
            if self.lose > 0:
                self.lose -= 1
                return Reply(hang_up=True)  # stored, but the answer never arrives
            return self.answers[key]


class Batching(unittest.TestCase):
    def test_rows_are_sent_in_batches_of_batch_size_in_the_apis_format_each_with_its_own_key(self) -> None:
        with FakeRatchet() as fake:
            fake.route = accept
            rt, _ = client(fake.url)
            with rt.prediction_logger(
                "credit-default", version=7, arm="challenger", batch_size=10, flush_interval=5
            ) as log:
                for i in range(25):
                    self.assertTrue(
                        log.log(
                            id=f"r{i}",
                            features={"x": i, "region": "north"},
                            prediction=1,
                            confidence=0.9,
                            probabilities={0: 0.1, 1: 0.9},
                            latency_ms=4.1,
                            time="2026-11-30T10:00:00+00:00",
                        )
                    )
            stats = log.stats()
        self.assertEqual([len(r.lines()) for r in fake.requests], [10, 10, 5])
        self.assertEqual((stats.logged, stats.sent, stats.dropped, stats.pending), (25, 25, 0, 0))
        keys = [r.headers["idempotency-key"] for r in fake.requests]
        self.assertEqual(len(set(keys)), 3)
        first = fake.requests[0]
        self.assertEqual(first.path, "/api/v1/predictions")
        self.assertEqual(first.headers["content-type"], "application/x-ndjson")
        self.assertEqual(
            first.lines()[0],
            {
                "model": "credit-default",
                "version": 7,
                "id": "r0",
                "time": "2026-11-30T10:00:00+00:00",
                "features": {"x": 0, "region": "north"},
                "prediction": 1,
                "arm": "challenger",
                "confidence": 0.9,
                "probabilities": {"0": 0.1, "1": 0.9},
                "latencyMs": 4.1,
            },
        )

    def test_a_partial_batch_goes_out_after_flush_interval_and_the_time_defaults_to_now_utc(self) -> None:
        with FakeRatchet() as fake:
            fake.route = accept
            rt, _ = client(fake.url)
            log = rt.prediction_logger("m", version=1, batch_size=100, flush_interval=0.05)
            log.log(id="r1", features={"x": float("nan")}, prediction=0)
            deadline = time.monotonic() + 2
            while not fake.requests and time.monotonic() < deadline:
                time.sleep(0.01)
            stats = log.close()
        self.assertEqual(len(fake.requests), 1)
        row = fake.requests[0].lines()[0]
        self.assertTrue(row["time"].endswith("+00:00"))
        self.assertNotEqual(row["features"]["x"], row["features"]["x"])  # NaN sent bare: the server counts it
        self.assertEqual(stats.data_quality.get("nonFinite"), 1)

    def test_features_changed_after_log_are_sent_as_they_were_when_logged(self) -> None:
        with FakeRatchet() as fake:
            fake.route = accept
            rt, _ = client(fake.url)
            features = {"x": 1}
            with rt.prediction_logger("m", version=1, flush_interval=5) as log:
                log.log(id="r1", features=features, prediction=0)
                features["x"] = 2
        self.assertEqual(fake.requests[0].lines()[0]["features"], {"x": 1})


class InvalidRows(unittest.TestCase):
    def test_a_row_the_server_would_refuse_is_dropped_alone_not_with_its_batch(self) -> None:
        with FakeRatchet() as fake:
            fake.route = accept
            rt, _ = client(fake.url)
            with self.assertLogs("ratchet_client", "WARNING"):
                with rt.prediction_logger("m", version=1, batch_size=10, flush_interval=5) as log:
                    for i in range(9):
                        self.assertTrue(log.log(id=f"r{i}", features={"x": i}, prediction=1, confidence=0.7))
                    self.assertFalse(log.log(id="bad", features={"x": 1}, prediction=1, confidence=1.3))
                    self.assertFalse(log.log(id="", features={}, prediction=1))
                    self.assertFalse(log.log(id="r", features={}, prediction=True))
                    self.assertFalse(log.log(id="r", features={}, prediction=float("inf")))
                    self.assertFalse(log.log(id="r", features=[1, 2], prediction=0))  # type: ignore[arg-type]
                    self.assertFalse(log.log(id="r", features={}, prediction=0, probabilities={0: 0.2, 1: 1.8}))
                    self.assertFalse(log.log(id="r", features={}, prediction=0, latency_ms=-1))
            stats = log.stats()
        self.assertEqual([len(r.lines()) for r in fake.requests], [9])
        self.assertEqual((stats.sent, stats.dropped_by_reason), (9, {"invalid": 7}))
        self.assertEqual(stats.last_error, "latency_ms: must be a finite number from 0 to 3,600,000")

    def test_a_naive_time_is_taken_as_local_time_and_sent_with_its_offset(self) -> None:
        with FakeRatchet() as fake:
            fake.route = accept
            rt, _ = client(fake.url)
            naive = datetime.datetime(2026, 11, 30, 10, 0, 0)
            with rt.prediction_logger("m", version=1, flush_interval=5) as log:
                log.log(id="r1", features={}, prediction=0, time=naive)
        sent = datetime.datetime.fromisoformat(fake.requests[0].lines()[0]["time"])
        self.assertIsNotNone(sent.tzinfo)
        self.assertEqual(sent, naive.astimezone())


class Retries(unittest.TestCase):
    def test_a_failed_batch_is_retried_with_the_same_key_and_body(self) -> None:
        with FakeRatchet() as fake:
            fake.replies(
                Reply(500, {"error": "internal", "message": "boom"}), Reply(201, {"accepted": 3, "dataQuality": {}})
            )
            rt, _ = client(fake.url, backoff=0.01)
            with rt.prediction_logger("m", version=1, flush_interval=5) as log:
                for i in range(3):
                    log.log(id=f"r{i}", features={}, prediction=0)
            stats = log.stats()
        first, second = fake.requests
        self.assertEqual(first.headers["idempotency-key"], second.headers["idempotency-key"])
        self.assertEqual(first.body, second.body)
        self.assertEqual((stats.sent, stats.dropped), (3, 0))

    def test_a_batch_whose_answer_was_lost_is_replayed_not_stored_twice(self) -> None:
        server = IdempotentServer(lose_first_answers=1)
        with FakeRatchet() as fake:
            fake.route = server
            rt, _ = client(fake.url, backoff=0.01)
            with rt.prediction_logger("m", version=1, flush_interval=5) as log:
                for i in range(4):
                    log.log(id=f"r{i}", features={}, prediction=0)
            stats = log.stats()
        self.assertEqual(len(fake.requests), 2)
        self.assertEqual(len(server.stored), 4)  # once, although posted twice
        self.assertEqual((stats.sent, stats.dropped), (4, 0))

    def test_log_predictions_reports_a_replay(self) -> None:
        server = IdempotentServer()
        with FakeRatchet() as fake:
            fake.route = server
            rt, _ = client(fake.url)
            row = {
                "model": "m",
                "version": 1,
                "id": "r1",
                "time": "2026-11-30T10:00:00Z",
                "features": {},
                "prediction": 0,
            }
            first = rt.log_predictions([row], idempotency_key="batch-1")
            again = rt.log_predictions([row], idempotency_key="batch-1")
        self.assertEqual((first.accepted, first.replayed), (1, False))
        self.assertEqual((again.accepted, again.replayed), (1, True))
        self.assertEqual(len(server.stored), 1)

    def test_a_refused_batch_is_dropped_at_once_and_its_reason_kept(self) -> None:
        with FakeRatchet() as fake:
            fake.replies(
                Reply(
                    400,
                    {
                        "error": "invalid_request",
                        "message": "line 1.version: no version 99 of m",
                        "issues": [{"field": "line 1.version", "reason": "no version 99 of m"}],
                    },
                )
            )
            rt, _ = client(fake.url)
            with self.assertLogs("ratchet_client", "WARNING") as logs:
                with rt.prediction_logger("m", version=99, flush_interval=5) as log:
                    log.log(id="r1", features={}, prediction=0)
            stats = log.stats()
        self.assertEqual(len(fake.requests), 1)
        self.assertEqual(stats.dropped_by_reason, {"refused": 1})
        self.assertIn("no version 99 of m", stats.last_error or "")
        self.assertTrue(any("dropped 1 of 1" in line for line in logs.output))


class ProcessExit(unittest.TestCase):
    def test_a_logger_never_closed_still_sends_its_rows_when_the_process_exits(self) -> None:
        script = (
            "import sys; sys.path.insert(0, sys.argv[1]);"
            "from ratchet_client import Ratchet;"
            "log = Ratchet(sys.argv[2], 'rk_test').prediction_logger('m', version=1, flush_interval=60);"
            "log.log(id='r1', features={}, prediction=0)"
        )
        with FakeRatchet() as fake:
            fake.route = accept
            src = str(Path(__file__).resolve().parents[2] / "src")
            done = subprocess.run([sys.executable, "-c", script, src, fake.url], timeout=30, capture_output=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual([len(r.lines()) for r in fake.requests], [1])

    @unittest.skipUnless(hasattr(os, "fork"), "no fork on this platform")
    def test_a_worker_forked_after_the_logger_was_made_sends_its_own_rows(self) -> None:
        script = (
            "import os, sys; sys.path.insert(0, sys.argv[1]);"
            "from ratchet_client import Ratchet;"
            "log = Ratchet(sys.argv[2], 'rk_test').prediction_logger('m', version=1, flush_interval=60);"
            "log.log(id='parent', features={}, prediction=0);"
            "pid = os.fork()\n"
            "if pid == 0:\n"
            "    log.log(id='child', features={}, prediction=1); s = log.close(); os._exit(0 if s.sent == 1 else 3)\n"
            "_, status = os.waitpid(pid, 0); log.close(); sys.exit(os.waitstatus_to_exitcode(status))"
        )
        with FakeRatchet() as fake:
            fake.route = accept
            src = str(Path(__file__).resolve().parents[2] / "src")
            done = subprocess.run([sys.executable, "-c", script, src, fake.url], timeout=30, capture_output=True)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(sorted(r.lines()[0]["id"] for r in fake.requests), ["child", "parent"])


class RatchetDown(unittest.TestCase):
    def test_when_ratchet_is_down_log_never_blocks_the_buffer_stays_bounded_and_drops_are_counted(self) -> None:
        rt, _ = client(f"http://127.0.0.1:{closed_port()}", backoff=0.05)
        with self.assertLogs("ratchet_client", "WARNING"):
            log = rt.prediction_logger("m", version=1, batch_size=10, max_buffer=100, flush_interval=0.01)
            results = []
            started = time.perf_counter()
            for i in range(2000):
                results.append(log.log(id=f"r{i}", features={"x": i}, prediction=0))
                self.assertLessEqual(log.stats().pending, 100)
            elapsed = time.perf_counter() - started
            started = time.monotonic()
            stats = log.close(timeout=0.3)
        # Appending only: waiting for the network (backoff 0.05 s per retry, 200 batches) would take seconds.
        self.assertLess(elapsed, 1.0)
        self.assertLess(time.monotonic() - started, 2.0)  # close() gives up at its deadline
        self.assertEqual(stats.sent, 0)
        self.assertEqual(stats.logged, 2000)
        self.assertEqual(stats.dropped + stats.pending, 2000)
        self.assertGreaterEqual(stats.dropped_by_reason["buffer_full"], 1900)
        self.assertEqual(results.count(False), stats.dropped_by_reason["buffer_full"])
        self.assertIn("could not reach Ratchet", stats.last_error or "")

    def test_when_ratchet_hangs_log_still_returns_at_once(self) -> None:
        with FakeRatchet() as fake:
            fake.replies(Reply(201, ACCEPTED, delay=1.0))
            rt, _ = client(fake.url)
            with self.assertLogs("ratchet_client", "WARNING"):
                log = rt.prediction_logger("m", version=1, batch_size=1, max_buffer=5, timeout=0.2, flush_interval=0.01)
                started = time.perf_counter()
                for i in range(50):
                    log.log(id=f"r{i}", features={}, prediction=0)
                elapsed = time.perf_counter() - started
                stats = log.close(timeout=0.2)
        self.assertLess(elapsed, 1.0)  # waiting for the server (0.2 s timeout per batch of 1) would take 10 s
        self.assertGreater(stats.dropped, 0)

    def test_what_cannot_be_sent_as_json_is_dropped_and_counted_without_raising(self) -> None:
        rt, _ = client(f"http://127.0.0.1:{closed_port()}")
        with self.assertLogs("ratchet_client", "WARNING"):
            log = rt.prediction_logger("m", version=1, flush_interval=5)
            self.assertFalse(log.log(id="r1", features={"x": object()}, prediction=0))
            stats = log.close(timeout=0.1)
        self.assertEqual(stats.dropped_by_reason, {"not_serializable": 1})

    def test_rows_logged_after_close_are_counted_as_dropped(self) -> None:
        rt, _ = client(f"http://127.0.0.1:{closed_port()}")
        log = rt.prediction_logger("m", version=1)
        log.close(timeout=0.1)
        with self.assertLogs("ratchet_client", "WARNING"):
            self.assertFalse(log.log(id="late", features={}, prediction=0))
        self.assertEqual(log.stats().dropped_by_reason, {"closed": 1})


if __name__ == "__main__":
    unittest.main()
