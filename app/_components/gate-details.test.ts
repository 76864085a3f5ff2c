import { describe, expect, it } from "vitest";
import { runGate } from "@/server/domain/gate/gate";
import { detailTable, formatNumber, formatPValue, spellOut } from "./gate-details";

const headers = (t: ReturnType<typeof detailTable>) => t.columns.map((c) => c.header);
const texts = (t: ReturnType<typeof detailTable>) =>
  t.rows.map((r) => r.map((c) => ("text" in c ? c.text : c.kind === "metric" ? c.metric : "")));

describe("gate details as a readable table", () => {
  it("names the requirement check's columns in words, says floor or ceiling by direction, and links the report", () => {
    const gate = runGate({
      requirementSet: {
        version: 2,
        primaryMetric: "auc",
        requiredReportKinds: [],
        requirements: [
          { metric: "auc", direction: "higher", floor: 0.8, target: null, reportKinds: [], slice: "" },
          { metric: "latency_p95_ms", direction: "lower", floor: 200, target: null, reportKinds: [], slice: "" },
        ],
      },
      candidate: {
        version: 3,
        reports: [
          {
            id: "r1",
            kind: "holdout",
            slice: "",
            datasetId: "d",
            hasOutcomes: false,
            metrics: { latency_p95_ms: { value: 1250.5, source: "posted" } },
          } as never,
        ],
      },
      champion: null,
      openAlerts: [],
    });
    const table = detailTable(gate.checks.find((c) => c.id === "requirements")!);
    expect(headers(table)).toEqual(expect.arrayContaining(["Result", "Metric", "Required", "Report", "Value"]));
    expect(headers(table)).not.toContain("reportId");
    const [auc, latency] = texts(table);
    expect(auc).toContain("at least 0.8");
    expect(auc![0]).toBe("not measured"); // no report carries auc
    expect(latency).toContain("at most 200");
    expect(latency).toContain("1,250.5");
    expect(table.rows[1]!.find((c) => c.kind === "link")).toEqual({
      kind: "link",
      text: "holdout",
      href: "/reports/r1",
    });
  });

  it("shows the paired comparison with a signed difference, its interval and p < 0.001 instead of 0", () => {
    const table = detailTable({
      id: "champion",
      details: [
        {
          status: "fail",
          kind: "holdout",
          slice: "",
          period: null,
          challenger: 0.71,
          champion: 0.74,
          difference: -0.03,
          ciLow: -0.041,
          ciHigh: -0.019,
          pValue: 0,
          matched: 5000,
          notWorse: false,
          verdict: "worse",
          method: "paired DeLong",
        },
      ],
    });
    expect(headers(table)).toEqual([
      "Result",
      "Report",
      "Slice",
      "Period",
      "This version",
      "Champion",
      "Difference",
      "95% interval",
      "p-value",
      "Matched examples",
      "Verdict",
      "Method",
    ]);
    expect(texts(table)[0]).toEqual([
      "worse",
      "holdout",
      "all",
      "—",
      "0.71",
      "0.74",
      "−0.03",
      "−0.041 to −0.019",
      "p < 0.001",
      "5,000",
      "worse",
      "paired DeLong",
    ]);
  });

  it("keeps a field it does not know, with a spelled-out header", () => {
    const table = detailTable({ id: "future", details: [{ driftScore: 0.123456 }] });
    expect(headers(table)).toEqual(["Drift score"]);
    expect(texts(table)).toEqual([["0.1235"]]);
  });
});

describe("formatting", () => {
  it("formats p-values and numbers as people read them", () => {
    expect(formatPValue(0)).toBe("p < 0.001");
    expect(formatPValue(0.0349)).toBe("p = 0.035");
    expect(formatPValue(null)).toBe("no p-value");
    expect(formatNumber(12345.678)).toBe("12,345.7");
    expect(formatNumber(0.812345)).toBe("0.8123");
    expect(spellOut("p_value")).toBe("P value");
  });
});
