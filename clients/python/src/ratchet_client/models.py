"""What the server answers, as typed dataclasses. Each keeps the full answer in `raw` (fields added to the
API later are there before this client names them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Strategy = Literal["full", "canary", "shadow"]
ReleaseStatus = Literal["pending", "approved", "rejected"]
GateStatus = Literal["pass", "fail", "insufficient"]


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Model:
    name: str
    task: str
    labels: list[str]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Model:
        return cls(name=data["name"], task=data.get("task", ""), labels=list(data.get("labels") or []), raw=data)


@dataclass(frozen=True)
class Dataset:
    name: str
    version: int
    role: str
    row_count: int
    hash: str
    uri: str
    #: False when the same name and hash were registered before (the existing version is returned).
    created: bool
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict[str, Any], created: bool) -> Dataset:
        return cls(
            name=data["name"],
            version=int(data["version"]),
            role=data.get("role", ""),
            row_count=int(data.get("rowCount", 0)),
            hash=data.get("hash", ""),
            uri=data.get("uri", ""),
            created=created,
            raw=data,
        )


@dataclass(frozen=True)
class Version:
    model: str
    version: int
    stage: str
    artifact_uri: str
    artifact_sha256: str
    config: dict[str, Any]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict[str, Any], model: str) -> Version:
        return cls(
            model=data.get("modelName", model),
            version=int(data["version"]),
            stage=data.get("stage", ""),
            artifact_uri=data.get("artifactUri", ""),
            artifact_sha256=data.get("artifactSha256", ""),
            config=_obj(data.get("config")),
            raw=data,
        )


@dataclass(frozen=True)
class Metric:
    value: float
    #: The 95 % confidence interval Ratchet computed from the outcomes; None for a posted number.
    ci: tuple[float, float] | None
    #: "posted" by the pipeline or "computed" by Ratchet from the outcomes.
    source: str
    #: The posted value, when it disagrees with the one computed from the outcomes.
    posted: float | None

    @classmethod
    def from_json(cls, data: Any) -> Metric:
        if not isinstance(data, dict):  # a bare number, as posted
            return cls(value=float(data), ci=None, source="posted", posted=None)
        ci = data.get("ci")
        return cls(
            value=float(data["value"]),
            ci=(float(ci[0]), float(ci[1])) if isinstance(ci, list) and len(ci) == 2 else None,
            source=str(data.get("source", "")),
            posted=float(data["posted"]) if data.get("posted") is not None else None,
        )


@dataclass(frozen=True)
class Report:
    id: str
    kind: str
    sample_size: int
    #: The metrics as stored: those posted and those Ratchet computed from the outcomes (with intervals).
    metrics: dict[str, Metric]
    #: False when the same report was posted before (nothing new was stored).
    created: bool
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Report:
        report = _obj(data.get("report"))
        return cls(
            id=str(report.get("id", "")),
            kind=report.get("kind", ""),
            sample_size=int(report.get("sampleSize", 0)),
            metrics={name: Metric.from_json(m) for name, m in _obj(report.get("metrics")).items()},
            created=bool(data.get("created")),
            raw=data,
        )


@dataclass(frozen=True)
class Challenger:
    version: int
    config: dict[str, Any]
    artifact_uri: str
    #: How the release that made it challenger routes traffic: canary (a share), shadow (mirrored), or None.
    strategy: str | None
    #: The share of traffic a canary gets (0 for shadow); None when unknown.
    share: float | None
    raw: dict[str, Any] = field(repr=False, compare=False)


@dataclass(frozen=True)
class Champion:
    """What a serving system needs: the champion's version and config, and the challenger with its share.

    `version` and `config` are None when the model has no champion yet."""

    model: str
    version: int | None
    config: dict[str, Any] | None
    artifact_uri: str | None
    challenger: Challenger | None
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def share(self) -> float | None:
        """The challenger's traffic share (None without a challenger)."""
        return self.challenger.share if self.challenger else None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Champion:
        champion = data.get("champion")
        challenger = data.get("challenger")
        return cls(
            model=_obj(data.get("model")).get("name", ""),
            version=int(champion["version"]) if isinstance(champion, dict) else None,
            config=_obj(champion.get("config")) if isinstance(champion, dict) else None,
            artifact_uri=champion.get("artifactUri") if isinstance(champion, dict) else None,
            challenger=Challenger(
                version=int(challenger["version"]),
                config=_obj(challenger.get("config")),
                artifact_uri=challenger.get("artifactUri", ""),
                strategy=challenger.get("strategy"),
                share=float(challenger["share"]) if challenger.get("share") is not None else None,
                raw=challenger,
            )
            if isinstance(challenger, dict)
            else None,
            raw=data,
        )


@dataclass(frozen=True)
class GateCheck:
    id: str
    name: str
    status: str
    summary: str


@dataclass(frozen=True)
class Gate:
    """The release gate as it stands now: the same checks as the version's page."""

    model: str
    version: int
    #: pass, fail, or insufficient (evidence is missing: never counted as a pass).
    status: GateStatus
    checks: list[GateCheck]
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def passed(self) -> bool:
        return self.status == "pass"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Gate:
        return cls(
            model=data.get("model", ""),
            version=int(data.get("version", 0)),
            status=data["status"],
            checks=[
                GateCheck(
                    id=str(c.get("id", "")),
                    name=str(c.get("name", "")),
                    status=str(c.get("status", "")),
                    summary=str(c.get("summary", "")),
                )
                for c in data.get("checks") or []
                if isinstance(c, dict)
            ],
            raw=data,
        )


@dataclass(frozen=True)
class Decision:
    decision: Literal["approve", "reject"]
    by: str
    at: str
    note: str


@dataclass(frozen=True)
class Release:
    id: str
    model: str
    version: int
    strategy: Strategy
    share: float | None
    status: ReleaseStatus
    rationale: str
    requested_by: str
    requested_at: str
    decision: Decision | None
    raw: dict[str, Any] = field(repr=False, compare=False)

    @property
    def approved(self) -> bool:
        return self.status == "approved"

    @property
    def decided(self) -> bool:
        return self.status != "pending"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Release:
        decision = data.get("decision")
        return cls(
            id=str(data["id"]),
            model=data.get("model", ""),
            version=int(data.get("version", 0)),
            strategy=data.get("strategy", "full"),
            share=float(data["share"]) if data.get("share") is not None else None,
            status=data["status"],
            rationale=data.get("rationale", ""),
            requested_by=data.get("requestedBy", ""),
            requested_at=data.get("requestedAt", ""),
            decision=Decision(
                decision=decision.get("decision", "reject"),
                by=str(decision.get("by", "")),
                at=str(decision.get("at", "")),
                note=str(decision.get("note") or ""),
            )
            if isinstance(decision, dict)
            else None,
            raw=data,
        )


@dataclass(frozen=True)
class PredictionBatchResult:
    """The answer to one batch of predictions: rows stored, and feature-level problems counted."""

    accepted: int
    data_quality: dict[str, Any]
    #: True when the server answered a retry with the first answer (Idempotency-Key): nothing new was stored.
    replayed: bool
    raw: dict[str, Any] = field(repr=False, compare=False)

    @classmethod
    def from_json(cls, data: dict[str, Any], replayed: bool) -> PredictionBatchResult:
        return cls(
            accepted=int(data.get("accepted", 0)),
            data_quality=_obj(data.get("dataQuality")),
            replayed=replayed,
            raw=data,
        )
