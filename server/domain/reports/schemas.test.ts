import { describe, expect, it } from "vitest";
import { z } from "zod";
import { reportHeaderInput, reportInput, uploadReportInput } from "./schemas";

const base = {
  model: "credit-default",
  version: 5,
  kind: "holdout" as const,
  sampleSize: 100,
  metrics: { accuracy: 0.9 },
};
const issuesOf = (input: unknown) => {
  const r = reportInput.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};

describe("report input schema", () => {
  it("accepts a plain report and fills the defaults", () => {
    const parsed = reportInput.parse(base);
    expect(parsed).toMatchObject({ slice: "", metrics: { accuracy: 0.9 } });
  });

  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
  ])("refuses %s as a metric value, naming the metric", (_label, value) => {
    expect(issuesOf({ ...base, metrics: { auc: value } }).join()).toMatch(/^metrics\.auc: must be a finite number/);
  });

  it.each([
    ["accuracy", 1.2, /between 0 and 1/],
    ["auc", -0.1, /between 0 and 1/],
    ["brier", 1.5, /between 0 and 1/],
    ["rmse", -1, /at least 0/],
    ["log_loss", -0.01, /at least 0/],
    ["latency_p95_ms", -5, /at least 0/],
    ["r2", 1.01, /at most 1/],
  ])("refuses %s = %s (out of range)", (metric, value, message) => {
    const issues = issuesOf({ ...base, metrics: { [metric]: value } });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(new RegExp(`^metrics\\.${metric}: `));
    expect(issues[0]).toMatch(message);
  });

  it("accepts the ends of the ranges, a very negative R² and unknown metrics", () => {
    expect(issuesOf({ ...base, metrics: { accuracy: 1, auc: 0, rmse: 0, r2: -3.5, uplift_eur: -1200 } })).toEqual([]);
  });

  it("refuses non-snake_case metric names", () => {
    expect(issuesOf({ ...base, metrics: { "ROC AUC": 0.8 } }).join()).toMatch(/snake_case/);
  });

  it("checks the fields that go together", () => {
    expect(issuesOf({ ...base, baseline: "human" })).toEqual([
      "baseline: only a report of kind baseline names a baseline",
    ]);
    expect(issuesOf({ ...base, kind: "baseline" })[0]).toMatch(/^baseline: say which baseline/);
    expect(issuesOf({ ...base, periodStart: "2026-03-01", periodEnd: "2026-02-28" })).toEqual([
      "periodEnd: must not be before periodStart",
    ]);
    expect(issuesOf({ ...base, periodStart: "2026-02-30" })[0]).toMatch(/^periodStart/);
    expect(issuesOf({ ...base, metrics: {} })[0]).toMatch(/^metrics: give at least one metric, or outcomes/);
    expect(issuesOf({ ...base, sampleSize: 0 })[0]).toMatch(/^sampleSize/);
    expect(issuesOf({ ...base, kind: "shadow" })[0]).toMatch(/^kind/);
  });

  it("validates outcomes: finite numbers, ids without line breaks", () => {
    const row = { id: "a", label: 1, prediction: 1, score: 0.5 };
    expect(issuesOf({ ...base, metrics: {}, sampleSize: 1, outcomes: [row] })).toEqual([]);
    expect(issuesOf({ ...base, sampleSize: 1, outcomes: [{ ...row, score: Number.NaN }] })[0]).toMatch(
      /^outcomes\.0\.score: must be a finite number/,
    );
    expect(issuesOf({ ...base, sampleSize: 1, outcomes: [{ ...row, id: "a\nb" }] })[0]).toMatch(
      /^outcomes\.0\.id: must not contain line breaks/,
    );
    expect(issuesOf({ ...base, sampleSize: 1, outcomes: [{ ...row, label: "1" }] })[0]).toMatch(/^outcomes\.0\.label/);
    expect(issuesOf({ ...base, sampleSize: 1, outcomes: [] })[0]).toMatch(/^outcomes: give at least one outcome/);
  });

  it("keeps outcomes out of an NDJSON header and lets it come without metrics", () => {
    expect(reportHeaderInput.safeParse({ ...base, metrics: {} }).success).toBe(true);
    const r = reportHeaderInput.safeParse({ ...base, outcomes: [] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/lines after the report/);
  });

  it("caps the web upload lower than the API", () => {
    const outcomes = Array.from({ length: 100_001 }, (_, i) => ({ id: `r${i}`, label: 0, prediction: 0 }));
    const r = uploadReportInput.safeParse({ ...base, sampleSize: outcomes.length, outcomes });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/NDJSON/);
  });

  it("converts to a JSON Schema for publishing", () => {
    const schema = z.toJSONSchema(reportInput, { io: "input", unrepresentable: "any" }) as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["model", "version", "kind", "metrics", "outcomes", "sampleSize"]),
    );
    expect(schema.required).toEqual(expect.arrayContaining(["model", "version", "kind", "sampleSize"]));
  });
});
