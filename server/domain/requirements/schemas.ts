import { z } from "zod";
import { modelName } from "../registry/schemas";

export const REPORT_KINDS = ["regression", "backtest", "nowtest", "holdout", "baseline", "online"] as const;
export const reportKind = z.enum(REPORT_KINDS);

const metricName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "use snake_case, e.g. auc or latency_p95_ms");

export const requirementInput = z
  .object({
    metric: metricName,
    direction: z.enum(["higher", "lower"]),
    floor: z.number().refine(Number.isFinite, "must be a finite number"),
    target: z.number().refine(Number.isFinite, "must be a finite number").nullable().default(null),
    reportKinds: z.array(reportKind.exclude(["baseline"])).default([]),
    slice: z.string().max(100).default(""),
    rationale: z.string().max(2000).default(""),
  })
  .refine((r) => r.target === null || (r.direction === "higher" ? r.target >= r.floor : r.target <= r.floor), {
    path: ["target"],
    message: "the target must be at least as strict as the floor",
  });
export type RequirementInput = z.output<typeof requirementInput>;

export const proposeSetInput = z
  .object({
    model: modelName,
    primaryMetric: metricName,
    requiredReportKinds: z.array(reportKind.exclude(["baseline"])).default([]),
    requirements: z.array(requirementInput).min(1, "a set needs at least one requirement").max(100),
    /** How much worse than the champion a challenger may be on a metric before it counts as worse. */
    comparisonMargins: z.record(metricName, z.number().min(0, "a margin cannot be negative").max(1e12)).default({}),
    rationale: z.string().min(3, "say why (at least a few words)").max(5000),
  })
  .refine((s) => new Set(s.requirements.map((r) => `${r.metric}|${r.slice}`)).size === s.requirements.length, {
    path: ["requirements"],
    message: "each metric may appear once per slice",
  });
export type ProposeSetInput = z.input<typeof proposeSetInput>;

export const decideSetInput = z.object({
  setId: z.uuid(),
  approve: z.boolean(),
  note: z.string().min(3, "add a short note for the record").max(2000),
});
