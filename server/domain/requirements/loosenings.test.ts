import { describe, expect, it } from "vitest";
import { loosenings, type SetShape } from "./compare";
import { isOperational, knownDirection } from "./metric-registry";
import { proposeSetInput } from "./schemas";

const req = (
  metric: string,
  direction: "higher" | "lower",
  floor: number,
  over: Partial<SetShape["requirements"][number]> = {},
) => ({ metric, direction, floor, target: null, reportKinds: [], slice: "", ...over });
const current: SetShape = {
  primaryMetric: "auc",
  requiredReportKinds: ["holdout", "backtest"],
  requirements: [req("auc", "higher", 0.7), req("latency_p95_ms", "lower", 50), req("approval_rate", "higher", 0.3)],
  comparisonMargins: { auc: 0.01 },
  minOutcomes: 200,
  minAucClassCount: 20,
};
const change = (patch: Partial<SetShape>) => loosenings(current, { ...current, ...patch });
const withReq = (i: number, patch: Partial<SetShape["requirements"][number]>) =>
  current.requirements.map((r, j) => (j === i ? { ...r, ...patch } : r));

describe("every weakening of a requirement set is a loosening", () => {
  it("sees nothing loose in the same set, a higher floor, a new requirement or more evidence", () => {
    expect(change({})).toEqual([]);
    expect(
      change({
        requirements: [...withReq(0, { floor: 0.75 }), req("f1", "higher", 0.4)],
        minOutcomes: 500,
        minAucClassCount: 50,
        requiredReportKinds: ["holdout", "backtest", "nowtest"],
      }),
    ).toEqual([]);
  });
  it("a lower floor, or a higher ceiling for a lower-is-better metric (never called a floor)", () => {
    expect(change({ requirements: withReq(0, { floor: 0.65 }) })).toEqual(["lowers the floor of auc from 0.7 to 0.65"]);
    expect(change({ requirements: withReq(1, { floor: 80 }) })).toEqual([
      "raises the ceiling of latency_p95_ms from 50 to 80",
    ]);
  });
  it("a removed requirement, and fewer required report kinds", () => {
    expect(change({ requirements: current.requirements.slice(0, 2) })).toEqual([
      "removes the requirement on approval_rate",
    ]);
    expect(change({ requiredReportKinds: ["holdout"] })).toEqual(["no longer requires a backtest report"]);
  });
  it("a wider non-inferiority margin", () => {
    expect(change({ comparisonMargins: { auc: 0.03 } })).toEqual([
      "widens the non-inferiority margin on auc from 0.01 to 0.03",
    ]);
  });
  it("a changed primary metric: it decides what beating the champion means", () => {
    expect(change({ primaryMetric: "f1" })).toEqual(["changes the primary metric from auc to f1"]);
  });
  it("a changed direction, and a changed slice (the old requirement is gone)", () => {
    expect(change({ requirements: withReq(2, { direction: "lower", floor: 0.9 }) })).toEqual([
      "flips the direction of approval_rate from higher to lower",
    ]);
    expect(change({ requirements: withReq(0, { slice: "region=north" }) })).toEqual(["removes the requirement on auc"]);
  });
  it("fewer outcomes per report, or fewer examples of each class for AUC", () => {
    expect(change({ minOutcomes: 50 })).toEqual(["lowers the minimum outcomes per report from 200 to 50"]);
    expect(change({ minAucClassCount: 5 })).toEqual(["lowers the minimum examples of each class for AUC from 20 to 5"]);
    expect(loosenings({ ...current, minOutcomes: undefined }, { ...current, minOutcomes: 199 })).toEqual([
      "lowers the minimum outcomes per report from 200 to 199",
    ]);
  });
  it("a custom metric against the direction the model declared, even when the active set dropped it", () => {
    const next = { ...current, requirements: [...current.requirements, req("refund_rate", "higher", 0.1)] };
    expect(loosenings(current, next, { refund_rate: "lower" })).toEqual([
      "flips the declared direction of refund_rate from lower to higher",
    ]);
    expect(loosenings(current, next, { refund_rate: "higher" })).toEqual([]);
    expect(loosenings(null, next, { refund_rate: "lower" })).toEqual([
      "flips the declared direction of refund_rate from lower to higher",
    ]);
  });
});

describe("the registry of known metrics", () => {
  it("gives one direction per known metric, and marks operational ones", () => {
    expect(["accuracy", "auc", "precision", "recall", "f1", "r2"].map(knownDirection)).toEqual(Array(6).fill("higher"));
    expect(
      ["log_loss", "brier", "rmse", "mae", "latency_p95_ms", "latency_p99_ms", "size_bytes", "calibration_error"].map(
        knownDirection,
      ),
    ).toEqual(Array(8).fill("lower"));
    expect(knownDirection("approval_rate")).toBeNull();
    expect(["latency_p95_ms", "size_bytes", "latency_p90_ms"].every(isOperational)).toBe(true);
    expect(isOperational("auc")).toBe(false);
  });
  it("refuses a requirement on a known metric with the wrong direction, naming the field", () => {
    const parsed = proposeSetInput.safeParse({
      model: "m",
      primaryMetric: "auc",
      requirements: [req("auc", "higher", 0.7), req("rmse", "higher", 5)],
      rationale: "because",
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues).toEqual([
      expect.objectContaining({
        path: ["requirements", 1, "direction"],
        message: 'rmse is better when lower; a requirement on it must say "lower"',
      }),
    ]);
  });
  it("defaults the evidence minimums to 200 outcomes and 20 of each class", () => {
    expect(
      proposeSetInput.parse({
        model: "m",
        primaryMetric: "auc",
        requirements: [req("auc", "higher", 0.7)],
        rationale: "because",
      }),
    ).toMatchObject({ minOutcomes: 200, minAucClassCount: 20 });
  });
});
