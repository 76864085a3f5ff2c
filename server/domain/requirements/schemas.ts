import { z } from "zod";
import { modelName } from "../registry/schemas";
import { EVIDENCE_DEFAULTS } from "./defaults";
import { knownDirection, outOfRange } from "./metric-registry";

import { DIRECTIONS, REPORT_KINDS } from "../enums";

export { REPORT_KINDS };
export const reportKind = z.enum(REPORT_KINDS);

const metricName = z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, "use snake_case, e.g. auc or latency_p95_ms");

export const requirementInput = z
  .object({
    metric: metricName,
    direction: z.enum(DIRECTIONS),
    floor: z.number().refine(Number.isFinite, "must be a finite number"),
    target: z.number().refine(Number.isFinite, "must be a finite number").nullable().default(null),
    reportKinds: z.array(reportKind.exclude(["baseline"])).default([]),
    slice: z.string().max(100).default(""),
    rationale: z.string().max(2000).default(""),
  })
  .refine((r) => r.target === null || (r.direction === "higher" ? r.target >= r.floor : r.target <= r.floor), {
    path: ["target"],
    message: "the target must be at least as strict as the floor (for lower-is-better metrics, the ceiling)",
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
    /** A report counts as evidence only with at least this many outcomes; lowering it is a loosening. */
    minOutcomes: z.number().int().min(1, "at least 1").max(1_000_000_000).default(EVIDENCE_DEFAULTS.minOutcomes),
    /** AUC counts only with at least this many examples of each class; lowering it is a loosening. */
    minAucClassCount: z
      .number()
      .int()
      .min(1, "at least 1")
      .max(1_000_000_000)
      .default(EVIDENCE_DEFAULTS.minAucClassCount),
    rationale: z.string().min(3, "say why (at least a few words)").max(5000),
  })
  .refine((s) => new Set(s.requirements.map((r) => `${r.metric}|${r.slice}`)).size === s.requirements.length, {
    path: ["requirements"],
    message: "each metric may appear once per slice",
  })
  .superRefine((s, ctx) => {
    // A known metric has one direction: "higher accuracy is worse" would turn every floor into a ceiling.
    s.requirements.forEach((r, i) => {
      const known = knownDirection(r.metric);
      if (known && known !== r.direction) {
        ctx.addIssue({
          code: "custom",
          path: ["requirements", i, "direction"],
          message: `${r.metric} is better when ${known}; a requirement on it must say "${known}"`,
        });
      }
    });
    // A floor or target the metric can never take would make the requirement impossible or empty.
    s.requirements.forEach((r, i) => {
      for (const field of ["floor", "target"] as const) {
        const value = r[field];
        const reason = value === null ? null : outOfRange(r.metric, value);
        if (reason) ctx.addIssue({ code: "custom", path: ["requirements", i, field], message: reason });
      }
    });
    // One metric, one direction within a set (across slices too).
    const dirs = new Map<string, string>();
    s.requirements.forEach((r, i) => {
      const seen = dirs.get(r.metric);
      if (seen && seen !== r.direction)
        ctx.addIssue({
          code: "custom",
          path: ["requirements", i, "direction"],
          message: `${r.metric} is "${seen}" elsewhere in this set; a metric has one direction`,
        });
      dirs.set(r.metric, seen ?? r.direction);
    });
  });
export type ProposeSetInput = z.input<typeof proposeSetInput>;

export const decideSetInput = z.object({
  setId: z.uuid(),
  approve: z.boolean(),
  note: z.string().min(3, "add a short note for the record").max(2000),
});
