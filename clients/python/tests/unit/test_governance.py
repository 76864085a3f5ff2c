"""Reading the champion and the gate, requesting a release and waiting for its decision."""

from __future__ import annotations

import unittest

from support import FakeRatchet, Reply, client

from ratchet_client import Conflict, NotFound, RatchetTimeout, Release

RELEASE = {
    "id": "rel-1",
    "model": "credit-default",
    "version": 9,
    "strategy": "canary",
    "share": 0.1,
    "status": "pending",
    "rationale": "beats v8 on holdout",
    "requestedBy": "scientist@ratchet.dev",
    "requestedAt": "2026-11-30T10:00:00.000Z",
    "decision": None,
}
APPROVED = {
    **RELEASE,
    "status": "approved",
    "decision": {"decision": "approve", "by": "manager@ratchet.dev", "at": "2026-11-30T11:00:00.000Z", "note": "ok"},
}


def gate(status: str) -> dict[str, object]:
    return {
        "model": "credit-default",
        "version": 9,
        "status": status,
        "checks": [
            {"id": "req-auc", "name": "auc >= 0.75", "status": "pass", "summary": "0.81 [0.79, 0.83]"},
            {"id": "req-lat", "name": "latency_p95_ms <= 50", "status": status, "summary": "no report"},
        ],
    }


class Governance(unittest.TestCase):
    def setUp(self) -> None:
        self.fake = FakeRatchet().__enter__()
        self.rt, self.sleeps = client(self.fake.url)

    def tearDown(self) -> None:
        self.fake.__exit__()

    def test_the_gate_passes_only_when_its_status_is_pass(self) -> None:
        for status, passed in [("pass", True), ("fail", False), ("insufficient", False)]:
            with self.subTest(status=status):
                self.fake.replies(Reply(200, gate(status)))
                result = self.rt.gate("credit-default", 9)
                self.assertEqual(result.passed, passed)
                self.assertEqual(result.status, status)
                self.assertEqual([c.id for c in result.checks], ["req-auc", "req-lat"])
                self.assertEqual(result.checks[0].summary, "0.81 [0.79, 0.83]")
        self.assertEqual(self.fake.requests[-1].path, "/api/v1/models/credit-default/versions/9/gate")

    def test_the_champion_with_its_config_and_the_challenger_with_its_share(self) -> None:
        self.fake.replies(
            Reply(
                200,
                {
                    "model": {
                        "name": "credit-default",
                        "task": "binary_classification",
                        "labels": ["repaid", "default"],
                    },
                    "champion": {
                        "version": 8,
                        "artifactUri": "s3://m/8",
                        "artifactSha256": "a" * 64,
                        "config": {"t": 0.5},
                    },
                    "challenger": {
                        "version": 9,
                        "artifactUri": "s3://m/9",
                        "config": {"t": 0.4},
                        "strategy": "canary",
                        "share": 0.1,
                    },
                },
            )
        )
        champion = self.rt.champion("credit-default", at="2026-11-30T10:00:00Z")
        self.assertEqual((champion.version, champion.config, champion.share), (8, {"t": 0.5}, 0.1))
        assert champion.challenger is not None
        self.assertEqual((champion.challenger.version, champion.challenger.strategy), (9, "canary"))
        self.assertEqual(
            self.fake.requests[0].path, "/api/v1/models/credit-default/champion?at=2026-11-30T10%3A00%3A00Z"
        )

    def test_a_release_request_sends_the_contracts_body_and_is_not_repeated_on_failure(self) -> None:
        self.fake.replies(Reply(201, RELEASE))
        release = self.rt.request_release(
            "credit-default", 9, strategy="canary", share=0.1, rationale="beats v8 on holdout"
        )
        self.assertEqual((release.id, release.status, release.share, release.decision), ("rel-1", "pending", 0.1, None))
        self.assertEqual(
            self.fake.requests[0].json(),
            {
                "model": "credit-default",
                "version": 9,
                "strategy": "canary",
                "share": 0.1,
                "rationale": "beats v8 on holdout",
            },
        )
        self.fake.replies(Reply(409, {"error": "conflict", "message": "a release of v9 is already pending"}))
        with self.assertRaises(Conflict):
            self.rt.request_release("credit-default", 9, rationale="again")
        self.assertEqual(self.fake.requests[-1].json()["strategy"], "full")

    def test_waiting_polls_until_the_decision_and_returns_it(self) -> None:
        self.fake.replies(Reply(200, RELEASE), Reply(200, RELEASE), Reply(200, APPROVED))
        decided = self.rt.wait_for_decision(Release.from_json(RELEASE), poll_interval=2)
        self.assertTrue(decided.approved)
        assert decided.decision is not None
        self.assertEqual((decided.decision.decision, decided.decision.by), ("approve", "manager@ratchet.dev"))
        self.assertEqual(self.sleeps, [2, 2])
        self.assertEqual({r.path for r in self.fake.requests}, {"/api/v1/releases/rel-1"})

    def test_waiting_outlasts_a_server_that_is_briefly_down(self) -> None:
        down = Reply(503, {"error": "busy", "message": "restarting"})
        self.fake.replies(Reply(200, RELEASE), down, down, down, down, Reply(200, APPROVED))
        decided = self.rt.wait_for_decision("rel-1", poll_interval=5)
        self.assertTrue(decided.approved)
        self.assertEqual(len(self.fake.requests), 6)  # a poll, one poll failing after its 2 retries, a poll

    def test_waiting_stops_at_once_when_the_release_is_unknown(self) -> None:
        self.fake.replies(Reply(404, {"error": "not_found", "message": "Release rel-x"}))
        with self.assertRaises(NotFound):
            self.rt.wait_for_decision("rel-x")
        self.assertEqual(len(self.fake.requests), 1)

    def test_a_rejection_is_a_decision_too(self) -> None:
        rejected = {
            **RELEASE,
            "status": "rejected",
            "decision": {"decision": "reject", "by": "m", "at": "t", "note": "no"},
        }
        self.fake.replies(Reply(200, rejected))
        decided = self.rt.wait_for_decision("rel-1")
        self.assertFalse(decided.approved)
        self.assertTrue(decided.decided)

    def test_waiting_gives_up_at_its_timeout_with_the_pending_release(self) -> None:
        self.fake.replies(Reply(200, RELEASE))
        with self.assertRaises(RatchetTimeout) as caught:
            self.rt.wait_for_decision("rel-1", timeout=0, poll_interval=1)
        self.assertIsInstance(caught.exception.body, Release)
        self.assertEqual(caught.exception.body.status, "pending")


if __name__ == "__main__":
    unittest.main()
