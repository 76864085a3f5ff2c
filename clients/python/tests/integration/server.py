"""Integration test support: the client (this checkout's, or the installed one when RATCHET_CLIENT_TEST_INSTALLED=1)
and the real Ratchet server named by RATCHET_URL with a key in RATCHET_API_KEY (all scopes, owned by a person)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
import urllib.request
import uuid
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src"
if os.environ.get("RATCHET_CLIENT_TEST_INSTALLED") != "1":
    sys.path.insert(0, str(SOURCE))

import ratchet_client  # noqa: E402
from ratchet_client import Ratchet  # noqa: E402

URL = os.environ.get("RATCHET_URL", "")
KEY = os.environ.get("RATCHET_API_KEY", "")


def require_server() -> None:
    # Failing, not skipping: a run without a server must not pass for a run that tested something.
    if not URL or not KEY:
        raise RuntimeError("set RATCHET_URL and RATCHET_API_KEY (the e2e spec python-client.spec.ts does)")
    if os.environ.get("RATCHET_CLIENT_TEST_INSTALLED") == "1" and Path(ratchet_client.__file__).is_relative_to(SOURCE):
        raise RuntimeError("RATCHET_CLIENT_TEST_INSTALLED=1 but the client was imported from the source tree")


def connect(**options: object) -> Ratchet:
    return Ratchet(URL, KEY, **options)  # type: ignore[arg-type]


def unique(prefix: str) -> str:
    """Names no other test (or earlier run on the same database) has used."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def api_paths() -> set[str]:
    """The paths the server's OpenAPI document lists: which routes this server has."""
    with urllib.request.urlopen(f"{URL}/api/v1/openapi.json", timeout=30) as res:
        return set(json.load(res)["paths"])


def new_model_with_version(rt: Ratchet) -> tuple[str, int]:
    name = unique("py")
    rt.create_model(name, task="binary_classification", owner="python-client-tests", labels=["no", "yes"])
    version = rt.register_version(
        name, artifact_uri=f"s3://models/{name}/1.joblib", artifact_sha256=sha(name), config={"threshold": 0.5}
    )
    return name, version.version
