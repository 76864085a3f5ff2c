"""Evaluation reports: outcomes streamed as NDJSON (the report first, then one outcome per line) with chunked
transfer, from lists, generators and DataFrames, and the server's early refusal read back."""

from __future__ import annotations

import importlib.util
import unittest
from collections.abc import Iterator
from typing import Any

from support import FakeRatchet, Recorded, Reply, client

from ratchet_client import Metric, ServerError, ValidationError

# The shape the server stores metrics in: value, interval, and where the number came from.
CREATED = {
    "report": {
        "id": "r-1",
        "kind": "holdout",
        "sampleSize": 3,
        "metrics": {
            "accuracy": {"value": 0.67, "ci": [0.2, 0.94], "source": "computed", "posted": 0.7},
            "latency_p95_ms": {"value": 31, "source": "posted"},
        },
    },
    "created": True,
}
ROWS = [
    {"id": "a", "label": 1, "prediction": 1, "score": 0.9},
    {"id": "b", "label": 0, "prediction": 1, "score": 0.6},
    {"id": "c", "label": 0, "prediction": 0, "score": 0.2},
]


class NumpyLike:
    """Stands in for a numpy scalar (int64, float64): not a Python number, but has `.item()`."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def item(self) -> Any:
        return self.value


class FakeFrame:
    """Quacks like a pandas DataFrame as far as the client looks: `columns`, `len()`, `to_dict("records")`."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.columns = list(records[0])
        self._records = records
        self.calls: list[str] = []

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[str]:  # a DataFrame iterates over its column names, not its rows
        return iter(self.columns)

    def to_dict(self, orient: str) -> list[dict[str, Any]]:
        self.calls.append(orient)
        if orient != "records":
            raise ValueError(orient)
        return [dict(r) for r in self._records]


class Reports(unittest.TestCase):
    def setUp(self) -> None:
        self.fake = FakeRatchet().__enter__()
        self.rt, self.sleeps = client(self.fake.url)

    def tearDown(self) -> None:
        self.fake.__exit__()

    def posted(self) -> Recorded:
        self.assertEqual(self.fake.requests[-1].path, "/api/v1/reports")
        return self.fake.requests[-1]

    def test_a_list_of_outcomes_is_streamed_as_chunked_ndjson_with_the_report_first(self) -> None:
        self.fake.replies(Reply(201, CREATED))
        report = self.rt.post_report("credit-default", 7, kind="holdout", outcomes=ROWS, slice="region=EU")
        self.assertEqual((report.id, report.created), ("r-1", True))
        self.assertEqual(report.metrics["accuracy"], Metric(value=0.67, ci=(0.2, 0.94), source="computed", posted=0.7))
        self.assertEqual(report.metrics["latency_p95_ms"], Metric(value=31.0, ci=None, source="posted", posted=None))
        request = self.posted()
        self.assertTrue(request.chunked)
        self.assertEqual(request.headers["content-type"], "application/x-ndjson")
        header, *outcomes = request.lines()
        self.assertEqual(
            header, {"model": "credit-default", "version": 7, "kind": "holdout", "slice": "region=EU", "sampleSize": 3}
        )
        self.assertEqual(outcomes, ROWS)

    def test_a_generator_of_unknown_length_is_counted_first_and_can_then_be_retried(self) -> None:
        self.fake.replies(Reply(503, {"error": "busy", "message": "busy"}, {"Retry-After": "1"}), Reply(201, CREATED))
        consumed = []

        def rows() -> Iterator[dict[str, Any]]:
            for i in range(5000):
                consumed.append(i)
                yield {"id": f"r{i}", "label": i % 2, "prediction": 1}

        self.rt.post_report("credit-default", 7, kind="holdout", outcomes=rows())
        self.assertEqual(len(consumed), 5000)  # read once, although sent twice
        first, second = self.fake.requests
        self.assertEqual(first.body, second.body)
        header, *outcomes = second.lines()
        self.assertEqual(header["sampleSize"], 5000)
        self.assertEqual(len(outcomes), 5000)
        self.assertGreater(len(second.body), 64 * 1024)  # more than one chunk

    def test_a_generator_with_its_sample_size_is_streamed_directly_and_not_retried(self) -> None:
        self.fake.replies(Reply(503, {"error": "busy", "message": "busy"}))
        rows = ({"id": str(i), "label": 0, "prediction": 0} for i in range(3))
        with self.assertRaises(ServerError):
            self.rt.post_report("credit-default", 7, kind="holdout", outcomes=rows, sample_size=3)
        self.assertEqual(len(self.fake.requests), 1)  # the generator is spent: a retry would send nothing

    def test_a_dataframe_is_read_with_to_dict_records_and_numpy_values_become_json(self) -> None:
        self.fake.replies(Reply(201, CREATED))
        frame = FakeFrame(
            [
                {"id": NumpyLike(17), "label": NumpyLike(1), "prediction": 1, "score": NumpyLike(0.75), "extra": "x"},
                {"id": 18, "label": 0, "prediction": 0, "score": float("nan")},
            ]
        )
        self.rt.post_report("credit-default", 7, kind="holdout", outcomes=frame)
        self.assertEqual(frame.calls, ["records"])
        header, *outcomes = self.posted().lines()
        self.assertEqual(header["sampleSize"], 2)
        # Ids are strings on the wire; a missing score (NaN) is left out; columns a report does not use are not sent.
        self.assertEqual(
            outcomes,
            [{"id": "17", "label": 1, "prediction": 1, "score": 0.75}, {"id": "18", "label": 0, "prediction": 0}],
        )

    @unittest.skipUnless(importlib.util.find_spec("pandas"), "pandas is not installed (the client never needs it)")
    def test_a_real_pandas_dataframe_with_numpy_columns(self) -> None:
        import numpy as np
        import pandas as pd

        self.fake.replies(Reply(201, CREATED))
        frame = pd.DataFrame(
            {
                "id": np.arange(3),
                "label": np.array([0, 1, 1]),
                "prediction": np.array([0, 1, 0], dtype=np.int64),
                "score": [0.1, np.nan, np.float32(0.25)],
            }
        )
        self.rt.post_report("credit-default", 7, kind="holdout", outcomes=frame)
        header, *outcomes = self.posted().lines()
        self.assertEqual(header["sampleSize"], 3)
        self.assertEqual(
            outcomes,
            [
                {"id": "0", "label": 0, "prediction": 0, "score": 0.1},
                {"id": "1", "label": 1, "prediction": 1},
                {"id": "2", "label": 1, "prediction": 0, "score": 0.25},
            ],
        )

    def test_a_report_with_metrics_only_is_one_json_body(self) -> None:
        self.fake.replies(Reply(200, {**CREATED, "created": False}))
        report = self.rt.post_report(
            "credit-default", 7, kind="holdout", metrics={"accuracy": 0.9}, sample_size=1000, dataset=("holdout-q3", 2)
        )
        self.assertFalse(report.created)
        request = self.posted()
        self.assertFalse(request.chunked)
        self.assertEqual(
            request.json(),
            {
                "model": "credit-default",
                "version": 7,
                "kind": "holdout",
                "metrics": {"accuracy": 0.9},
                "dataset": {"name": "holdout-q3", "version": 2},
                "sampleSize": 1000,
            },
        )

    def test_a_header_refused_while_the_outcomes_are_still_uploading_raises_the_servers_reason(self) -> None:
        self.fake.refuse_after_first_line = Reply(
            400,
            {
                "error": "invalid_request",
                "message": "kind: must be one of ...",
                "issues": [{"field": "kind", "reason": "must be one of holdout, backtest, ..."}],
            },
        )
        rows = [{"id": f"r{i}", "label": 0, "prediction": 0} for i in range(200_000)]
        with self.assertRaises(ValidationError) as caught:
            self.rt.post_report("credit-default", 7, kind="nonsense", outcomes=rows)
        self.assertEqual(caught.exception.issues[0].field, "kind")
        self.assertEqual(len(self.fake.requests), 1)

    def test_a_dict_is_not_taken_for_a_table(self) -> None:
        with self.assertRaises(TypeError):
            self.rt.post_report("credit-default", 7, kind="holdout", outcomes={"id": "a", "label": 1, "prediction": 1})
        self.assertEqual(self.fake.requests, [])


if __name__ == "__main__":
    unittest.main()
