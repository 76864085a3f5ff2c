"""How the client turns the server's answers and failures into exceptions, and when it repeats a request."""

from __future__ import annotations

import time
import unittest

from support import VALIDATION, FakeRatchet, Reply, client, closed_port

from ratchet_client import (
    AuthError,
    Conflict,
    NotFound,
    RatchetConnectionError,
    RatchetError,
    RatchetTimeout,
    ServerError,
    ValidationError,
)

SHA = "a" * 64
CHAMPION = {"model": {"name": "m", "task": "binary_classification", "labels": []}, "champion": None, "challenger": None}


def register(rt):  # type: ignore[no-untyped-def]
    return rt.register_version("credit-default", artifact_uri="s3://x", artifact_sha256=SHA, config={"t": 1})


class StatusMapping(unittest.TestCase):
    def setUp(self) -> None:
        self.fake = FakeRatchet().__enter__()
        self.rt, self.sleeps = client(self.fake.url)

    def tearDown(self) -> None:
        self.fake.__exit__()

    def test_400_is_a_validation_error_with_the_servers_field_reasons_and_is_not_repeated(self) -> None:
        self.fake.replies(VALIDATION)
        with self.assertRaises(ValidationError) as caught:
            register(self.rt)
        error = caught.exception
        self.assertEqual(error.status, 400)
        self.assertEqual(error.error, "invalid_request")
        self.assertEqual(
            [(i.field, i.reason) for i in error.issues], [("artifactSha256", "must be 64 lower-case hex characters")]
        )
        self.assertIn("artifactSha256", str(error))
        self.assertEqual(len(self.fake.requests), 1)

    def test_each_status_raises_its_own_subclass_of_RatchetError(self) -> None:
        cases = [(401, AuthError), (403, AuthError), (404, NotFound), (409, Conflict), (422, Conflict)]
        for status, cls in cases:
            with self.subTest(status=status):
                self.fake.replies(Reply(status, {"error": "x", "message": f"answer {status}"}))
                with self.assertRaises(cls) as caught:
                    self.rt.champion("credit-default")
                self.assertIsInstance(caught.exception, RatchetError)
                self.assertEqual(caught.exception.status, status)
                self.assertEqual(caught.exception.message, f"answer {status}")

    def test_a_500_on_a_read_is_repeated_then_raised_as_ServerError_with_the_error_id(self) -> None:
        self.fake.replies(Reply(500, {"error": "internal", "message": "Something failed (id e-42)", "errorId": "e-42"}))
        with self.assertRaises(ServerError) as caught:
            self.rt.champion("credit-default")
        self.assertEqual(caught.exception.error_id, "e-42")
        self.assertEqual(len(self.fake.requests), 3)  # the first try and 2 retries
        self.assertEqual(len(self.sleeps), 2)
        self.assertLessEqual(self.sleeps[0], self.sleeps[1] * 2)  # backing off, not hammering

    def test_a_read_that_fails_once_then_succeeds_returns_the_answer(self) -> None:
        self.fake.replies(Reply(502, None), Reply(200, CHAMPION))
        self.assertIsNone(self.rt.champion("m").version)
        self.assertEqual(len(self.fake.requests), 2)

    def test_a_500_on_registering_a_version_is_not_repeated_since_a_repeat_could_register_a_second_one(self) -> None:
        self.fake.replies(Reply(500, {"error": "internal", "message": "boom"}))
        with self.assertRaises(ServerError):
            register(self.rt)
        self.assertEqual(len(self.fake.requests), 1)

    def test_503_busy_is_repeated_even_for_a_write_waiting_as_long_as_Retry_After_says(self) -> None:
        version = {"version": 9, "modelName": "credit-default", "stage": "candidate", "config": {"t": 1}}
        self.fake.replies(Reply(503, {"error": "busy", "message": "busy"}, {"Retry-After": "3"}), Reply(201, version))
        self.assertEqual(register(self.rt).version, 9)
        self.assertEqual(self.sleeps, [3.0])
        self.assertEqual(len(self.fake.requests), 2)

    def test_the_key_travels_as_a_bearer_token_and_names_are_escaped_in_paths(self) -> None:
        self.fake.replies(Reply(200, CHAMPION))
        self.rt.champion("a/b c")
        request = self.fake.requests[0]
        self.assertEqual(request.headers["authorization"], "Bearer rk_test")
        self.assertEqual(request.path, "/api/v1/models/a%2Fb%20c/champion")


class Timeouts(unittest.TestCase):
    def test_a_slow_read_times_out_after_the_timeout_and_is_repeated(self) -> None:
        with FakeRatchet() as fake:
            rt, sleeps = client(fake.url, timeout=0.2, retries=1)
            fake.replies(Reply(200, CHAMPION, delay=1.0))
            started = time.monotonic()
            with self.assertRaises(RatchetTimeout) as caught:
                rt.champion("m")
            self.assertIsInstance(caught.exception, TimeoutError)
            self.assertLess(time.monotonic() - started, 0.9)  # two attempts of 0.2 s, not the server's 1 s each
            self.assertEqual(len(fake.requests), 2)

    def test_a_write_that_timed_out_is_not_repeated_since_it_may_have_been_stored(self) -> None:
        with FakeRatchet() as fake:
            rt, _ = client(fake.url, timeout=0.2)
            fake.replies(Reply(201, {}, delay=1.0))
            with self.assertRaises(RatchetTimeout):
                register(rt)
            self.assertEqual(len(fake.requests), 1)

    def test_an_answer_lost_on_the_way_is_a_connection_error(self) -> None:
        with FakeRatchet() as fake:
            rt, _ = client(fake.url)
            fake.replies(Reply(hang_up=True))
            with self.assertRaises(RatchetConnectionError):
                register(rt)
            self.assertEqual(len(fake.requests), 1)


class ServerDown(unittest.TestCase):
    def test_a_refused_connection_is_repeated_even_for_a_write_then_raised(self) -> None:
        rt, sleeps = client(f"http://127.0.0.1:{closed_port()}", retries=2)
        with self.assertRaises(RatchetConnectionError) as caught:
            register(rt)
        self.assertIsInstance(caught.exception, ConnectionError)
        self.assertEqual(len(sleeps), 2)  # nothing reached a server, so repeating was safe

    def test_bad_arguments_are_refused_before_any_request(self) -> None:
        with self.assertRaises(ValueError):
            client("localhost:3000")
        rt, _ = client(f"http://127.0.0.1:{closed_port()}")
        with self.assertRaises(ValueError):
            rt.post_report("m", 1, kind="holdout", metrics={"auc": 0.8})  # neither outcomes nor sample_size


if __name__ == "__main__":
    unittest.main()
