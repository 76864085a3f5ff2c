"""Ratchet's Python client: register datasets and versions, post evaluation reports, read the champion, log
predictions, check the release gate and request releases, from pipelines and serving code.

    from ratchet_client import Ratchet
    rt = Ratchet("http://localhost:3000", api_key="rk_...")
"""

__version__ = "0.1.0"

from .client import Ratchet  # noqa: E402  (after __version__, which the client's User-Agent reads)
from .errors import (  # noqa: E402
    AuthError,
    Conflict,
    Issue,
    NotFound,
    PayloadTooLarge,
    RatchetConnectionError,
    RatchetError,
    RatchetTimeout,
    ServerError,
    ValidationError,
)
from .logger import LoggerStats, PredictionLogger  # noqa: E402
from .models import (  # noqa: E402
    Challenger,
    Champion,
    Dataset,
    Decision,
    Gate,
    GateCheck,
    Metric,
    Model,
    PredictionBatchResult,
    Release,
    Report,
    Version,
)

__all__ = [
    "AuthError",
    "Challenger",
    "Champion",
    "Conflict",
    "Dataset",
    "Decision",
    "Gate",
    "GateCheck",
    "Issue",
    "LoggerStats",
    "Metric",
    "Model",
    "NotFound",
    "PayloadTooLarge",
    "PredictionBatchResult",
    "PredictionLogger",
    "Ratchet",
    "RatchetConnectionError",
    "RatchetError",
    "RatchetTimeout",
    "Release",
    "Report",
    "ServerError",
    "ValidationError",
    "Version",
    "__version__",
]
