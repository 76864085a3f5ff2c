"""Tables in, JSON out: rows from any iterable of mappings or a pandas DataFrame (duck-typed, so pandas is
never imported), and values numpy and pandas produce turned into plain JSON."""

from __future__ import annotations

import datetime as _dt
import decimal
import json
import math
from collections.abc import Iterable, Mapping
from typing import Any, cast


def is_dataframe(table: Any) -> bool:
    return hasattr(table, "to_dict") and hasattr(table, "columns")


def check_table(table: Any, what: str) -> None:
    """Refuses what is not a table before anything is sent (a dict would otherwise be read as its keys)."""
    if is_dataframe(table):
        return
    if isinstance(table, (Mapping, str, bytes)) or not isinstance(table, Iterable):
        kind = type(table).__name__
        raise TypeError(f"{what} must be an iterable of rows (dicts) or a pandas DataFrame, got {kind}")


def rows_of(table: Any, what: str) -> Iterable[Mapping[str, Any]]:
    """The rows of a table: a DataFrame (anything with `to_dict("records")` and `columns`) or an iterable of dicts."""
    check_table(table, what)
    if is_dataframe(table):
        return cast(Iterable[Mapping[str, Any]], table.to_dict("records"))
    return cast(Iterable[Mapping[str, Any]], table)


def size_of(table: Any) -> int | None:
    """How many rows, when that is known without reading them (a list, a DataFrame); None for a generator."""
    try:
        return len(table)
    except TypeError:
        return None


def plain(value: Any) -> Any:
    """`json.dumps`'s fallback: numpy scalars and arrays, datetimes, decimals and pandas' missing values."""
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (list, tuple, dict)):
        try:
            return item()  # a numpy scalar: int64, float32, bool_
        except (TypeError, ValueError):
            pass
    tolist = getattr(value, "tolist", None)
    if callable(tolist):
        return tolist()  # a numpy array
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (set, frozenset)):
        return list(value)
    if type(value).__name__ in ("NAType", "NaTType"):
        return None  # pandas.NA and pandas.NaT
    raise TypeError(f"cannot send a {type(value).__name__} as JSON")


def dumps(value: Any) -> str:
    # NaN stays bare (allow_nan): in prediction features the server counts it as a data-quality problem.
    return json.dumps(value, default=plain, separators=(",", ":"), ensure_ascii=False)


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return type(value).__name__ in ("NAType", "NaTType")


_OUTCOME_FIELDS = ("id", "label", "prediction", "score")


def outcome_line(row: Mapping[str, Any], index: int) -> bytes:
    """One outcome as an NDJSON line. Ids become strings (a DataFrame's integer ids are common) and a missing
    score is left out (it is optional; null would be refused). Other columns are not sent."""
    if not isinstance(row, Mapping):
        raise TypeError(f"outcome {index} must be a dict (id, label, prediction, score), got {type(row).__name__}")
    out: dict[str, Any] = {}
    for name in _OUTCOME_FIELDS:
        if name not in row:
            continue
        value = row[name]
        if name == "score" and is_missing(value):
            continue
        if name == "id" and not isinstance(value, str):
            value = str(plain(value) if not isinstance(value, int) else value)
        out[name] = value
    return (dumps(out) + "\n").encode("utf-8")
