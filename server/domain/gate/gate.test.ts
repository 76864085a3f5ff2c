import { describe, expect, it } from "vitest";
import {
  beatsBaselines,
  beatsChampion,
  noCriticalAlerts,
  requiredKindsPresent,
  requirementsMet,
  runGate,
  type GateInput,
  type GateReport,
  type PairedComparison,
} from "./gate";
import { loosenings } from "../requirements/compare";
import { suggestTightening } from "../requirements/suggestions";

const report = (over: Partial<GateReport> & { metrics: GateReport["metrics"] }): GateReport => ({
  id: Math.random().toString(36).slice(2),
  kind: "holdout",
  slice: "",
  datasetId: "d1",
  hasOutcomes: false,
  periodStart: null,
  // Enough real evidence unless a test says otherwise.
  outcomeCount: 1000,
  sampleSize: 1000,
  classCounts: { positive: 300, negative: 700 },
  ...over,
});
const m = (value: number, ci?: [number, number]) => ({ value, ci, source: "computed" as const });

const base: GateInput = {
  requirementSet: {
    version: 2,
    primaryMetric: "auc",
    requiredReportKinds: ["holdout", "backtest"],
    requirements: [
      { metric: "auc", direction: "higher", floor: 0.7, target: 0.8, reportKinds: [], slice: "" },
      { metric: "latency_p95_ms", direction: "lower", floor: 50, target: null, reportKinds: ["holdout"], slice: "" },
    ],
  },
  candidate: {
    version: 8,
    reports: [
      report({
        kind: "holdout",
        metrics: { auc: m(0.78, [0.74, 0.81]), latency_p95_ms: m(31), baseline_zero_rule_auc: m(0.5) },
      }),
      report({ kind: "backtest", datasetId: "d2", periodStart: "2026-01-01", metrics: { auc: m(0.76, [0.72, 0.8]) } }),
    ],
  },
  champion: { version: 5, reports: [report({ kind: "holdout", metrics: { auc: m(0.75, [0.71, 0.79]) } })] },
  openAlerts: [],
};

describe("release gate", () => {
  it("passes when every requirement holds on the pessimistic bound, kinds are present and both champion and baselines are beaten", () => {
    const gate = runGate(base);
    expect(gate.checks.map((c) => [c.id, c.status])).toEqual([
      ["requirements", "pass"],
      ["report-kinds", "pass"],
      ["champion", "pass"],
      ["baselines", "pass"],
      ["alerts", "pass"],
    ]);
    expect(gate.status).toBe("pass");
  });

  it("judges a higher-is-better metric by the interval's lower bound, not the point estimate", () => {
    const input = {
      ...base,
      candidate: {
        ...base.candidate,
        reports: [report({ kind: "holdout", metrics: { auc: m(0.72, [0.69, 0.75]), latency_p95_ms: m(31) } })],
      },
    };
    const check = requirementsMet(input);
    expect(check.status).toBe("fail");
    expect(check.details[0]).toMatchObject({
      metric: "auc",
      value: 0.72,
      judged: 0.69,
      usedInterval: true,
      status: "fail",
    });
  });

  it("treats latency as a lower-is-better requirement", () => {
    const slow = {
      ...base,
      candidate: {
        ...base.candidate,
        reports: [report({ kind: "holdout", metrics: { auc: m(0.8), latency_p95_ms: m(75) } })],
      },
    };
    expect(requirementsMet(slow).details.find((d) => d.metric === "latency_p95_ms")).toMatchObject({
      status: "fail",
      judged: 75,
    });
  });

  it("says 'not enough evidence' when a required kind or a report for a requirement is missing", () => {
    const input = { ...base, candidate: { ...base.candidate, reports: [base.candidate.reports[0]!] } };
    expect(requiredKindsPresent(input)).toMatchObject({ status: "insufficient", summary: "Missing: backtest." });
    const none = { ...base, candidate: { ...base.candidate, reports: [] } };
    expect(requirementsMet(none).status).toBe("insufficient");
    expect(runGate(none).status).toBe("insufficient");
  });

  it("fails when the champion is better on the same dataset, and compares nothing across different datasets", () => {
    const champ = { version: 5, reports: [report({ kind: "holdout", metrics: { auc: m(0.8) } })] };
    expect(beatsChampion({ ...base, champion: champ })).toMatchObject({ status: "fail" });
    const elsewhere = {
      version: 5,
      reports: [report({ kind: "holdout", datasetId: "other", metrics: { auc: m(0.9) } })],
    };
    expect(beatsChampion({ ...base, champion: elsewhere }).status).toBe("insufficient");
    expect(beatsChampion({ ...base, champion: null }).status).toBe("pass");
  });

  it("fails when a posted human baseline is better", () => {
    const input = {
      ...base,
      candidate: {
        ...base.candidate,
        reports: [
          ...base.candidate.reports,
          report({ kind: "baseline", baseline: "human", metrics: { auc: m(0.85) } } as Partial<GateReport> & {
            metrics: GateReport["metrics"];
          }),
        ],
      },
    };
    expect(beatsBaselines(input).status).toBe("fail");
  });

  it("compares a human baseline without a dataset with every report on its slice, naming it", () => {
    const withHuman = (human: GateReport): GateInput => ({
      ...base,
      candidate: { ...base.candidate, reports: [...base.candidate.reports, human] },
    });
    const human = report({ kind: "baseline", baseline: "human", datasetId: null, metrics: { auc: m(0.77) } });
    const result = beatsBaselines(withHuman(human));
    // holdout (0.78) beats it, the back-test on another dataset (0.76) does not: both were compared.
    const humans = result.details.filter((d) => d.baseline === "human");
    expect(humans.map((d) => [d.kind, d.beats])).toEqual([
      ["holdout", true],
      ["backtest", false],
    ]);
    expect(result.status).toBe("fail");
    // Another slice, or a baseline of another kind without a dataset, is not compared across datasets.
    expect(
      beatsBaselines(withHuman({ ...human, slice: "region=EU" })).details.filter((d) => d.baseline === "human"),
    ).toEqual([]);
    expect(
      beatsBaselines(withHuman({ ...human, baseline: "heuristic" })).details.filter((d) => d.baseline === "heuristic"),
    ).toEqual([]);
  });

  it("fails on an open critical alert", () => {
    expect(runGate({ ...base, openAlerts: [{ severity: "critical", title: "feature drift" }] }).status).toBe("fail");
    const two = noCriticalAlerts({
      ...base,
      openAlerts: [
        { severity: "critical", title: "Drift in income (open)" },
        { severity: "warning", title: "Old champion (open)" },
        { severity: "critical", title: "Now-test auc (acknowledged, not resolved)" },
      ],
    });
    expect(two.summary).toBe(
      "2 open critical alerts: Drift in income (open); Now-test auc (acknowledged, not resolved).",
    );
    expect(noCriticalAlerts({ ...base, openAlerts: [{ severity: "warning", title: "Old champion" }] }).status).toBe(
      "pass",
    );
  });
});

describe("beats the champion: paired test first, then intervals, then point estimates", () => {
  const mine = report({ id: "mine", kind: "holdout", hasOutcomes: true, metrics: { auc: m(0.78, [0.74, 0.81]) } });
  const theirs = report({ id: "theirs", kind: "holdout", hasOutcomes: true, metrics: { auc: m(0.8, [0.76, 0.83]) } });
  const input = (paired?: Partial<PairedComparison>): GateInput => ({
    ...base,
    candidate: { version: 8, reports: [mine] },
    champion: { version: 5, reports: [theirs] },
    pairedComparisons: paired
      ? [
          {
            candidateReportId: "mine",
            championReportId: "theirs",
            metric: "auc",
            test: "DeLong",
            matched: 1500,
            difference: -0.002,
            ci: [-0.006, 0.001],
            pValue: 0.3,
            margin: 0.005,
            verdict: "no detectable difference",
            ...paired,
          },
        ]
      : undefined,
  });

  it("prefers the paired test: a challenger within the margin passes though its point value is lower", () => {
    const check = beatsChampion(input({}));
    expect(check.status).toBe("pass");
    expect(check.summary).toBe("At least as good as the champion on all 1 datasets (paired test on 1).");
    expect(check.details[0]).toMatchObject({
      method: "paired DeLong on 1500 matched examples, margin 0.005",
      difference: -0.002,
      ciLow: -0.006,
      ciHigh: 0.001,
      pValue: 0.3,
      matched: 1500,
      verdict: "no detectable difference",
      notWorse: true,
    });
  });

  it("fails when the paired test says worse beyond the margin, whatever the point values", () => {
    const check = beatsChampion(input({ difference: -0.03, ci: [-0.04, -0.02], pValue: 0.0001, verdict: "worse" }));
    expect(check.status).toBe("fail");
    expect(check.summary).toBe("Worse than the champion on 1 of 1 datasets (paired test on 1).");
  });

  it("uses a paired result only for the same two reports and the primary metric", () => {
    const other = beatsChampion({
      ...input({ verdict: "worse" }),
      pairedComparisons: [{ ...input({ verdict: "worse" }).pairedComparisons![0]!, metric: "accuracy" }],
    });
    expect(other.details[0]).toMatchObject({ method: expect.stringContaining("intervals") });
  });

  it("without outcomes: fails only when the champion's interval lies entirely above the challenger's", () => {
    const overlapping = beatsChampion(input());
    expect(overlapping.status).toBe("pass"); // 0.78 < 0.8, but [0.74, 0.81] overlaps [0.76, 0.83]
    expect(overlapping.details[0]).toMatchObject({
      method: "intervals (no shared outcomes): fails only if they do not overlap",
      notWorse: true,
    });
    expect(overlapping.summary).toContain("(intervals on 1)");
    const clearly = {
      ...input(),
      champion: { version: 5, reports: [report({ kind: "holdout", metrics: { auc: m(0.9, [0.85, 0.93]) } })] },
    };
    expect(beatsChampion(clearly).status).toBe("fail");
  });

  it("judges a lower-is-better primary metric the other way round", () => {
    const rmse = { ...base.requirementSet!, primaryMetric: "rmse", requirements: [] };
    const worse = {
      ...input(),
      requirementSet: rmse,
      candidate: { version: 8, reports: [report({ metrics: { rmse: m(120, [115, 125]) } })] },
      champion: { version: 5, reports: [report({ metrics: { rmse: m(100, [95, 105]) } })] },
    };
    expect(beatsChampion(worse).status).toBe("fail");
    const close = { ...worse, candidate: { version: 8, reports: [report({ metrics: { rmse: m(103, [98, 108]) } })] } };
    expect(beatsChampion(close).status).toBe("pass");
  });

  it("with a value but no interval on either side compares the point values, and says so", () => {
    const points = {
      ...input(),
      candidate: { version: 8, reports: [report({ metrics: { auc: m(0.79) } })] },
      champion: { version: 5, reports: [report({ metrics: { auc: m(0.8, [0.76, 0.83]) } })] },
    };
    expect(beatsChampion(points)).toMatchObject({
      status: "fail",
      summary: "Worse than the champion on 1 of 1 datasets (point estimates on 1).",
    });
  });
});

describe("requirement loosening", () => {
  const current = {
    primaryMetric: "auc",
    requiredReportKinds: ["holdout"],
    requirements: [
      { metric: "auc", direction: "higher" as const, floor: 0.7, target: null, reportKinds: [], slice: "" },
    ],
  };
  it("sees a higher floor or a new metric as tightening", () => {
    expect(
      loosenings(current, {
        ...current,
        requirements: [
          { ...current.requirements[0]!, floor: 0.72 },
          { metric: "f1", direction: "higher", floor: 0.5, target: null, reportKinds: [], slice: "" },
        ],
      }),
    ).toEqual([]);
  });
  it("treats a wider non-inferiority margin as a loosening and a narrower one as a tightening", () => {
    expect(loosenings(current, { ...current, comparisonMargins: { auc: 0.02 } })).toEqual([
      "widens the non-inferiority margin on auc from 0.005 to 0.02",
    ]);
    expect(
      loosenings({ ...current, comparisonMargins: { auc: 0.02 } }, { ...current, comparisonMargins: { auc: 0.01 } }),
    ).toEqual([]);
    expect(loosenings(current, { ...current, comparisonMargins: { rmse: 500 } })).toEqual([
      "widens the non-inferiority margin on rmse from 0 to 500",
    ]);
  });

  it("names every loosening: lower floor, removed requirement, dropped kind, fewer report kinds", () => {
    expect(loosenings(current, { ...current, requirements: [{ ...current.requirements[0]!, floor: 0.65 }] })).toEqual([
      "lowers the floor of auc from 0.7 to 0.65",
    ]);
    expect(
      loosenings(current, {
        ...current,
        requiredReportKinds: [],
        requirements: [{ ...current.requirements[0]!, reportKinds: ["holdout"] }],
      }),
    ).toEqual(["no longer requires a holdout report", "checks auc on fewer report kinds"]);
    expect(
      loosenings(current, {
        ...current,
        requirements: [{ metric: "f1", direction: "higher", floor: 0.5, target: null, reportKinds: [], slice: "" }],
      }),
    ).toEqual(["removes the requirement on auc"]);
  });
});

describe("tightening suggestions (the ratchet)", () => {
  const req = { metric: "auc", direction: "higher" as const, floor: 0.7, target: null, reportKinds: [], slice: "" };
  it("suggests the champion's worst pessimistic bound when it stays well above the floor", () => {
    const reports = [
      report({ metrics: { auc: m(0.86, [0.83, 0.89]) } }),
      report({ kind: "backtest", metrics: { auc: m(0.84, [0.8127, 0.87]) } }),
    ];
    expect(suggestTightening([req], reports)).toEqual([
      expect.objectContaining({ metric: "auc", currentFloor: 0.7, suggestedFloor: 0.812 }),
    ]);
  });
  it("suggests nothing when the bound is close to the floor or there is no evidence", () => {
    expect(suggestTightening([req], [report({ metrics: { auc: m(0.72, [0.705, 0.74]) } })])).toEqual([]);
    expect(suggestTightening([req], [])).toEqual([]);
  });
  it("tightens a lower-is-better requirement downwards, rounding towards strictness no further than the evidence", () => {
    const rmse = { ...req, metric: "rmse", direction: "lower" as const, floor: 50_000 };
    expect(
      suggestTightening([rmse], [report({ metrics: { rmse: m(40_000, [38_000, 42_000.0004]) } })])[0]?.suggestedFloor,
    ).toBe(42_000.001);
  });
});

describe("gate evidence must be real", () => {
  const posted = (value: number) => ({ value, source: "posted" as const });
  const holdout = (over: Partial<GateReport> & { metrics: GateReport["metrics"] }) =>
    report({ id: "cand-holdout", kind: "holdout", dataset: "credit-holdout v1", ...over });
  const only = (...reports: GateReport[]): GateInput => ({
    ...base,
    requirementSet: { ...base.requirementSet!, requiredReportKinds: [] },
    candidate: { version: 8, reports },
  });

  it("does not count a posted primary metric, however good; a posted latency counts", () => {
    const check = requirementsMet(
      only(holdout({ outcomeCount: 0, metrics: { auc: posted(0.99), latency_p95_ms: posted(20) } })),
    );
    expect(check.status).toBe("insufficient");
    expect(check.details.find((d) => d.metric === "auc")).toMatchObject({
      status: "insufficient",
      value: 0.99,
      note: expect.stringContaining("auc was posted, not computed from outcomes"),
    });
    expect(check.details.find((d) => d.metric === "latency_p95_ms")).toMatchObject({
      status: "pass",
      evidence: expect.stringContaining("posted"),
    });
  });

  it("does not count the README's three-example report: AUC 1 with interval [1, 1] is not evidence", () => {
    const tiny = holdout({
      outcomeCount: 3,
      sampleSize: 3,
      classCounts: { positive: 2, negative: 1 },
      metrics: { auc: m(1, [1, 1]), latency_p95_ms: posted(31) },
    });
    const check = requirementsMet(only(tiny));
    expect(check.status).toBe("insufficient");
    expect(check.details.find((d) => d.metric === "auc")).toMatchObject({
      status: "insufficient",
      note: "3 outcomes, needs 200",
    });
    expect(check.summary).toContain("3 outcomes, needs 200");
    const champion = beatsChampion({
      ...only(tiny),
      champion: { version: 5, reports: [report({ kind: "holdout", metrics: { auc: m(0.75, [0.71, 0.79]) } })] },
    });
    expect(champion.status).toBe("insufficient");
    expect(champion.summary).toContain("challenger 3 outcomes, needs 200");
  });

  it("needs enough examples of each class for AUC, and says how many there were", () => {
    const skewed = holdout({
      outcomeCount: 1000,
      classCounts: { positive: 12, negative: 988 },
      metrics: { auc: m(0.9, [0.85, 0.95]), latency_p95_ms: posted(20) },
    });
    expect(requirementsMet(only(skewed)).details.find((d) => d.metric === "auc")).toMatchObject({
      status: "insufficient",
      note: "12 positive and 988 negative examples, needs 20 of each",
    });
    const unknown = holdout({ classCounts: null, metrics: { auc: m(0.9, [0.85, 0.95]), latency_p95_ms: posted(20) } });
    expect(requirementsMet(only(unknown)).status).toBe("insufficient");
  });

  it("takes the minimums from the requirement set", () => {
    const input = only(holdout({ metrics: { auc: m(0.8, [0.75, 0.85]), latency_p95_ms: posted(20) } }));
    expect(requirementsMet(input).status).toBe("pass");
    const strict = { ...input, requirementSet: { ...input.requirementSet!, minOutcomes: 5000 } };
    expect(requirementsMet(strict).details.find((d) => d.metric === "auc")).toMatchObject({
      note: "1000 outcomes, needs 5000",
    });
    const classes = { ...input, requirementSet: { ...input.requirementSet!, minAucClassCount: 400 } };
    expect(requirementsMet(classes).details.find((d) => d.metric === "auc")).toMatchObject({
      note: "300 positive and 700 negative examples, needs 400 of each",
    });
  });

  it("lets a secondary metric be posted, but only on a declared sample at least the minimum", () => {
    const set = {
      ...base.requirementSet!,
      requiredReportKinds: [],
      requirements: [
        { metric: "recall", direction: "higher" as const, floor: 0.2, target: null, reportKinds: [], slice: "" },
      ],
    };
    const ok = {
      ...only(holdout({ outcomeCount: 0, sampleSize: 500, metrics: { recall: posted(0.4) } })),
      requirementSet: set,
    };
    expect(requirementsMet(ok).status).toBe("pass");
    const small = {
      ...only(holdout({ outcomeCount: 0, sampleSize: 50, metrics: { recall: posted(0.4) } })),
      requirementSet: set,
    };
    expect(requirementsMet(small).details[0]).toMatchObject({
      status: "insufficient",
      note: "posted on 50 examples, needs 200",
    });
  });

  it("names the evidence each check used: report, kind, dataset, n, computed or posted", () => {
    const check = requirementsMet(
      only(holdout({ id: "0123456789abcdef", metrics: { auc: m(0.8, [0.75, 0.85]), latency_p95_ms: posted(20) } })),
    );
    expect(check.details.find((d) => d.metric === "auc")?.evidence).toBe(
      "holdout · credit-holdout v1 · n=1000 computed · report 01234567",
    );
    const champ = beatsChampion({
      ...base,
      candidate: { version: 8, reports: [holdout({ metrics: { auc: m(0.8, [0.75, 0.85]) } })] },
    });
    expect(champ.details[0]).toMatchObject({
      status: "pass",
      evidence: expect.stringMatching(
        /^challenger: holdout · credit-holdout v1 · n=1000 computed · report cand-hol; champion: holdout · n=1000 computed/,
      ),
    });
  });

  it("beats the champion only on computed evidence: posted datasets are shown but never decide", () => {
    const mine = [
      holdout({ metrics: { auc: m(0.8, [0.76, 0.84]) } }),
      report({ kind: "backtest", datasetId: "d2", outcomeCount: 0, metrics: { auc: posted(0.5) } }),
    ];
    const theirs = [
      report({ kind: "holdout", metrics: { auc: m(0.78, [0.74, 0.82]) } }),
      report({ kind: "backtest", datasetId: "d2", outcomeCount: 0, metrics: { auc: posted(0.9) } }),
    ];
    const check = beatsChampion({
      ...base,
      candidate: { version: 8, reports: mine },
      champion: { version: 5, reports: theirs },
    });
    expect(check.status).toBe("pass");
    expect(check.summary).toBe(
      "At least as good as the champion on all 1 datasets (intervals on 1). 1 more not counted (not enough evidence).",
    );
    expect(check.details[1]).toMatchObject({
      status: "insufficient",
      kind: "backtest",
      note: expect.stringContaining("challenger auc was posted"),
    });
    const postedOnly = beatsChampion({
      ...base,
      candidate: { version: 8, reports: [mine[1]!] },
      champion: { version: 5, reports: theirs },
    });
    expect(postedOnly.status).toBe("insufficient");
  });

  it("uses a paired test only on enough matched examples", () => {
    const mine = holdout({ id: "mine", metrics: { auc: m(0.78, [0.74, 0.81]) } });
    const theirs = report({ id: "theirs", kind: "holdout", metrics: { auc: m(0.8, [0.76, 0.83]) } });
    const paired = (matched: number): PairedComparison => ({
      candidateReportId: "mine",
      championReportId: "theirs",
      metric: "auc",
      test: "DeLong",
      matched,
      difference: -0.03,
      ci: [-0.04, -0.02],
      pValue: 0.001,
      margin: 0.005,
      verdict: "worse",
    });
    const input = (p: PairedComparison): GateInput => ({
      ...base,
      candidate: { version: 8, reports: [mine] },
      champion: { version: 5, reports: [theirs] },
      pairedComparisons: [p],
    });
    expect(beatsChampion(input(paired(1000))).status).toBe("fail");
    expect(beatsChampion(input(paired(40))).details[0]).toMatchObject({
      method: expect.stringContaining("intervals"),
      notWorse: true,
    });
  });
});
