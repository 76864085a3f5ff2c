"""The server's structural rules for one prediction row (server/domain/predictions/schemas.ts), checked as each
row is logged. The server refuses a whole batch for one bad row, so a row that would be refused is dropped
alone here (and counted) instead of taking hundreds of good rows down with it."""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from typing import Any

MAX_ID_CHARS = 128
MAX_CLASS_CHARS = 200
MAX_LATENCY_MS = 3_600_000


def _number(value: Any) -> float | None:
    """The value as a finite float, or None when it is not a finite real number (bools are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or type(value).__name__ == "bool_":
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _probability(value: Any) -> bool:
    number = _number(value)
    return number is not None and 0 <= number <= 1


def row_problem(row: Mapping[str, Any]) -> str | None:
    """What the server would refuse in this row, as "field: reason"; None when it would accept it."""
    if not 1 <= len(row["id"]) <= MAX_ID_CHARS:
        return f"id: must be 1 to {MAX_ID_CHARS} characters"
    if not isinstance(row["features"], Mapping):
        return "features: must be a dict of feature values"
    prediction = row["prediction"]
    if isinstance(prediction, str):
        if not 1 <= len(prediction) <= MAX_CLASS_CHARS:
            return f"prediction: a class label must be 1 to {MAX_CLASS_CHARS} characters"
    elif _number(prediction) is None:
        return "prediction: must be a class label (text), a class index or a finite number"
    if "confidence" in row and not _probability(row["confidence"]):
        return "confidence: must be a finite number between 0 and 1"
    if "probabilities" in row:
        probabilities = row["probabilities"]
        if not probabilities:
            return "probabilities: name at least one class"
        for label, value in probabilities.items():
            if not 1 <= len(label) <= MAX_CLASS_CHARS or not _probability(value):
                return f"probabilities.{label}: must be a finite number between 0 and 1"
    if "latencyMs" in row:
        latency = _number(row["latencyMs"])
        if latency is None or not 0 <= latency <= MAX_LATENCY_MS:
            return f"latency_ms: must be a finite number from 0 to {MAX_LATENCY_MS:,}"
    return None
