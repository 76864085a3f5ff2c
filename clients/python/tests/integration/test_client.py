"""The client against a real Ratchet server: what a training pipeline and a serving process do with it."""

from __future__ import annotations

import random
import unittest
import uuid

from server import api_paths, connect, new_model_with_version, require_server, sha, unique

from ratchet_client import AuthError, NotFound, Ratchet, ValidationError

setUpModule = require_server


def outcomes(n: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for i in range(n):
        label = rng.random() < 0.3
        score = min(max(rng.gauss(0.7 if label else 0.3, 0.2), 0.0), 1.0)
        rows.append({"id": f"ex-{i}", "label": int(label), "prediction": int(score >= 0.5), "score": score})
    return rows


class TrainingPipeline(unittest.TestCase):
    rt: Ratchet

    @classmethod
    def setUpClass(cls) -> None:
        cls.rt = connect()

    def test_dataset_then_version_then_a_streamed_report_whose_metrics_ratchet_computes(self) -> None:
        model = unique("py-train")
        self.rt.create_model(
            model, task="binary_classification", owner="python-client-tests", labels=["repaid", "default"]
        )
        dataset_name = unique("py-data")
        dataset = self.rt.register_dataset(
            name=dataset_name, role="train", row_count=1000, hash=f"sha256:{sha(dataset_name)}", uri="s3://d/1.parquet"
        )
        self.assertTrue(dataset.created)
        again = self.rt.register_dataset(
            name=dataset_name, role="train", row_count=1000, hash=f"sha256:{sha(dataset_name)}", uri="s3://d/1.parquet"
        )
        self.assertEqual((again.created, again.version), (False, dataset.version))

        version = self.rt.register_version(
            model,
            artifact_uri=f"s3://models/{model}/1.joblib",
            artifact_sha256=sha(model),
            config={"intercept": -2.0, "coefficients": {"income": 0.5}},
            training_dataset=dataset,
            code_commit="abc1234",
        )
        self.assertEqual(version.version, 1)
        self.assertEqual(version.config, {"intercept": -2.0, "coefficients": {"income": 0.5}})

        rows = outcomes(2000)
        report = self.rt.post_report(model, version.version, kind="holdout", outcomes=rows)
        self.assertTrue(report.created)
        self.assertEqual(report.sample_size, 2000)
        expected_accuracy = sum(r["label"] == r["prediction"] for r in rows) / len(rows)
        accuracy = report.metrics["accuracy"]
        self.assertAlmostEqual(accuracy.value, expected_accuracy, places=6)
        self.assertEqual(accuracy.source, "computed")
        assert accuracy.ci is not None
        self.assertLess(accuracy.ci[0], accuracy.value)
        self.assertGreater(accuracy.ci[1], accuracy.value)
        self.assertIn("auc", report.metrics)

        # The same report again stores nothing: a pipeline may safely post twice.
        self.assertFalse(self.rt.post_report(model, version.version, kind="holdout", outcomes=rows).created)

        # A generator of unknown length (counted in a temporary file first), for another slice.
        by_generator = self.rt.post_report(
            model, version.version, kind="holdout", slice="region=north", outcomes=(r for r in outcomes(30_000, seed=3))
        )
        self.assertEqual((by_generator.created, by_generator.sample_size), (True, 30_000))

    def test_a_refused_report_names_the_field_even_while_its_outcomes_are_still_uploading(self) -> None:
        model, version = new_model_with_version(self.rt)
        with self.assertRaises(ValidationError) as caught:
            self.rt.post_report(model, version, kind="not-a-kind", outcomes=outcomes(200_000))
        self.assertIn("kind", [issue.field for issue in caught.exception.issues])

    def test_a_wrong_sample_size_is_refused_with_the_reason(self) -> None:
        model, version = new_model_with_version(self.rt)
        with self.assertRaises(ValidationError) as caught:
            self.rt.post_report(model, version, kind="holdout", outcomes=iter(outcomes(10)), sample_size=11)
        self.assertIn("sampleSize", [issue.field for issue in caught.exception.issues])

    def test_invalid_input_raises_validation_error_with_the_servers_field_reasons(self) -> None:
        model, _ = new_model_with_version(self.rt)
        with self.assertRaises(ValidationError) as caught:
            self.rt.register_version(model, artifact_uri="s3://x", artifact_sha256="not-a-hash", config={})
        self.assertEqual(caught.exception.status, 400)
        self.assertIn("artifactSha256", [issue.field for issue in caught.exception.issues])

    def test_an_unknown_model_is_not_found(self) -> None:
        with self.assertRaises(NotFound):
            self.rt.champion(unique("no-such-model"))

    def test_an_unknown_key_is_refused(self) -> None:
        from server import URL

        with self.assertRaises(AuthError) as caught:
            Ratchet(URL, "rk_" + uuid.uuid4().hex, retries=0).champion("credit-default")
        self.assertEqual(caught.exception.status, 401)


class ServingProcess(unittest.TestCase):
    rt: Ratchet

    @classmethod
    def setUpClass(cls) -> None:
        cls.rt = connect()

    def test_the_demos_champion_has_a_version_and_a_config(self) -> None:
        champion = self.rt.champion("credit-default")
        self.assertIsInstance(champion.version, int)
        self.assertIsInstance(champion.config, dict)
        self.assertTrue(champion.config)

    def test_a_model_without_a_champion_says_so(self) -> None:
        model, _ = new_model_with_version(self.rt)
        champion = self.rt.champion(model)
        self.assertEqual((champion.version, champion.config, champion.challenger), (None, None, None))

    def test_the_logger_sends_every_prediction_in_batches_and_drops_none(self) -> None:
        model, version = new_model_with_version(self.rt)
        with self.rt.prediction_logger(
            model, version=version, arm="champion", batch_size=500, flush_interval=0.2
        ) as log:
            for i in range(1200):
                log.log(
                    id=f"req-{i}",
                    features={"income": 1000 + i, "region": "north"},
                    prediction=i % 2,
                    confidence=0.8,
                    latency_ms=3.5,
                )
        stats = log.stats()
        self.assertEqual((stats.logged, stats.sent, stats.dropped, stats.pending), (1200, 1200, 0, 0), stats.last_error)

    def test_the_logger_counts_a_batch_the_server_refuses(self) -> None:
        model, version = new_model_with_version(self.rt)
        with self.assertLogs("ratchet_client", "WARNING"):
            with self.rt.prediction_logger(model, version=version + 1, flush_interval=0.1) as log:
                log.log(id="r1", features={}, prediction=1)
        stats = log.stats()
        self.assertEqual(stats.dropped_by_reason, {"refused": 1})
        self.assertIsNotNone(stats.last_error)

    def test_a_batch_posted_again_with_its_idempotency_key_is_replayed_not_stored_twice(self) -> None:
        model, version = new_model_with_version(self.rt)
        row = {
            "model": model,
            "version": version,
            "id": "r1",
            "time": "2026-11-30T10:00:00Z",
            "features": {"x": 1},
            "prediction": 1,
        }
        key = str(uuid.uuid4())
        first = self.rt.log_predictions([row, {**row, "id": "r2"}], idempotency_key=key)
        again = self.rt.log_predictions([row, {**row, "id": "r2"}], idempotency_key=key)
        self.assertEqual((first.accepted, first.replayed), (2, False))
        self.assertEqual((again.accepted, again.replayed), (2, True))


RELEASES_API = "/api/v1/releases"


class Governance(unittest.TestCase):
    """The gate and release routes of issue 11 (built on another branch): skipped, saying so, on a server
    whose API document does not list them yet."""

    rt: Ratchet

    @classmethod
    def setUpClass(cls) -> None:
        paths = api_paths()
        if RELEASES_API not in paths or not any(p.endswith("/gate") for p in paths):
            raise unittest.SkipTest("this server has no release and gate routes yet (issue 11)")
        cls.rt = connect()

    def test_the_gate_of_a_version_without_evidence_does_not_pass(self) -> None:
        model, version = new_model_with_version(self.rt)
        gate = self.rt.gate(model, version)
        self.assertEqual((gate.model, gate.version), (model, version))
        self.assertIn(gate.status, ("fail", "insufficient"))
        self.assertFalse(gate.passed)

    def test_the_gate_of_the_demos_champion_lists_its_checks(self) -> None:
        champion = self.rt.champion("credit-default")
        assert champion.version is not None
        gate = self.rt.gate("credit-default", champion.version)
        self.assertIn(gate.status, ("pass", "fail", "insufficient"))
        self.assertEqual(gate.passed, gate.status == "pass")
        self.assertTrue(gate.checks)
        for check in gate.checks:
            self.assertTrue(check.id and check.name and check.status)

    def test_a_release_request_is_pending_until_a_person_decides(self) -> None:
        model, version = new_model_with_version(self.rt)
        release = self.rt.request_release(
            model, version, strategy="canary", share=0.1, rationale="python client integration test"
        )
        self.assertEqual(
            (release.model, release.version, release.strategy, release.share), (model, version, "canary", 0.1)
        )
        self.assertEqual((release.status, release.decision), ("pending", None))
        self.assertTrue(release.requested_by)
        self.assertEqual(self.rt.release(release.id).id, release.id)
        from ratchet_client import RatchetTimeout

        with self.assertRaises(RatchetTimeout):
            self.rt.wait_for_decision(release, timeout=1, poll_interval=0.3)

    def test_an_invalid_release_request_names_the_field(self) -> None:
        model, version = new_model_with_version(self.rt)
        with self.assertRaises(ValidationError) as caught:
            self.rt.request_release(model, version, strategy="canary", share=7, rationale="share out of range")
        self.assertIn("share", [issue.field for issue in caught.exception.issues])

    def test_an_unknown_release_is_not_found(self) -> None:
        with self.assertRaises(NotFound):
            self.rt.release(str(uuid.uuid4()))


if __name__ == "__main__":
    unittest.main()
