import { z } from "zod";
import { positiveInt32 } from "@/server/domain/ints";
import { REPORT_KINDS } from "../requirements/schemas";
import { datasetRef, modelName } from "../registry/schemas";

/**
 * The evaluation report format, shared by POST /api/v1/reports (JSON and NDJSON), the tRPC upload,
 * the OpenAPI document and the public JSON Schema at /api/v1/reports/schema.json.
 */
// The same list as the database enum (report_kind); taken from the requirements' schemas so the upload
// form can load this module without the database schema.
export const reportKind = z.enum(REPORT_KINDS);
export const baselineKind = z.enum(["zero_rule", "random", "heuristic", "human"]);

/**
 * Outcomes are held in typed arrays while a report is processed (about 40 bytes a row with the id), so
 * a cap keeps one request from exhausting the server. Above it, split the report by slice or period.
 */
export const MAX_OUTCOMES = 2_000_000;
/** The web upload sends JSON through tRPC; bigger reports go to the API as NDJSON. */
export const MAX_UPLOAD_OUTCOMES = 100_000;

const METRIC_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Ranges of the metrics Ratchet knows; a value outside is a bug in the pipeline, not a result. */
export const METRIC_RANGES: Record<string, { min?: number; max?: number }> = {
  accuracy: { min: 0, max: 1 },
  precision: { min: 0, max: 1 },
  recall: { min: 0, max: 1 },
  f1: { min: 0, max: 1 },
  auc: { min: 0, max: 1 },
  brier: { min: 0, max: 1 },
  log_loss: { min: 0 },
  rmse: { min: 0 },
  mae: { min: 0 },
  mse: { min: 0 },
  r2: { max: 1 },
  latency_p50_ms: { min: 0 },
  latency_p95_ms: { min: 0 },
  latency_p99_ms: { min: 0 },
  model_size_mb: { min: 0 },
};

function rangeProblem(name: string, value: number): string | null {
  const range = METRIC_RANGES[name];
  if (!range) return null;
  const { min, max } = range;
  if (min !== undefined && max !== undefined && (value < min || value > max))
    return `${name} must be between ${min} and ${max}, got ${value}`;
  if (min !== undefined && value < min) return `${name} must be at least ${min}, got ${value}`;
  if (max !== undefined && value > max) return `${name} must be at most ${max}, got ${value}`;
  return null;
}

// zod 4 refuses NaN and ±Infinity in z.number(); the message says so in words a pipeline author knows.
const finite = z.number({ error: "must be a finite number (NaN and Infinity are refused)" });

export const metricsRecord = z
  .record(z.string(), finite)
  .superRefine((metrics, ctx) => {
    for (const [name, value] of Object.entries(metrics)) {
      // Checked here rather than as the record's key schema, whose message would not say what is wrong.
      if (!METRIC_NAME.test(name))
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: "use a snake_case name, e.g. accuracy, auc or latency_p95_ms",
        });
      const problem = rangeProblem(name, value);
      if (problem) ctx.addIssue({ code: "custom", path: [name], message: problem });
    }
    if (Object.keys(metrics).length > 200) ctx.addIssue({ code: "custom", message: "at most 200 metrics per report" });
  })
  .describe('Metric name → value, e.g. {"accuracy": 0.91, "latency_p95_ms": 31}');

/** Outcome ids are kept in memory and stored for every example: long ones would multiply a report's size. */
export const MAX_OUTCOME_ID_CHARS = 128;

/** One example. Ids are stored newline-joined, so they may not contain line breaks. */
export const outcomeRow = z.object({
  id: z
    .string()
    .min(1, "must not be empty")
    .max(MAX_OUTCOME_ID_CHARS, `must be at most ${MAX_OUTCOME_ID_CHARS} characters`)
    .regex(/^[^\r\n]+$/, "must not contain line breaks"),
  label: finite.describe("The true label: 0/1 (binary), a class index (multiclass) or the target value (regression)"),
  prediction: finite.describe("The predicted class, or the predicted value for regression"),
  score: finite.optional().describe("Binary classification: the predicted probability of label 1, in [0, 1]"),
});
export type OutcomeRow = z.output<typeof outcomeRow>;

const isoDate = z.iso.date().describe("YYYY-MM-DD");

const headerShape = {
  model: modelName,
  version: positiveInt32().describe("The model's version number this report evaluates"),
  kind: reportKind,
  dataset: datasetRef.optional().describe("A dataset registered before, by name and version"),
  periodStart: isoDate.optional(),
  periodEnd: isoDate.optional(),
  slice: z.string().max(200).default("").describe("A named subset, e.g. region=EU; empty for the whole dataset"),
  baseline: baselineKind.optional().describe("Which baseline a `baseline` report is (only with kind baseline)"),
  sampleSize: positiveInt32().describe("Examples evaluated; equals the outcome count when outcomes are given"),
  metrics: metricsRecord.default({}),
};

type HeaderLike = {
  kind: string;
  baseline?: string | undefined;
  periodStart?: string | undefined;
  periodEnd?: string | undefined;
};

/** Rules across fields, shared by every variant of the input. */
function crossFieldRules(r: HeaderLike, ctx: z.RefinementCtx) {
  if (r.baseline && r.kind !== "baseline")
    ctx.addIssue({ code: "custom", path: ["baseline"], message: "only a report of kind baseline names a baseline" });
  if (r.kind === "baseline" && !r.baseline)
    ctx.addIssue({
      code: "custom",
      path: ["baseline"],
      message: "say which baseline: zero_rule, random, heuristic or human",
    });
  if (r.periodStart && r.periodEnd && r.periodStart > r.periodEnd)
    ctx.addIssue({ code: "custom", path: ["periodEnd"], message: "must not be before periodStart" });
}

function needsNumbers(r: { metrics: Record<string, number>; outcomes?: unknown[] | undefined }, ctx: z.RefinementCtx) {
  if (Object.keys(r.metrics).length === 0 && !r.outcomes) {
    ctx.addIssue({
      code: "custom",
      path: ["metrics"],
      message: "give at least one metric, or outcomes to compute them from",
    });
  }
}

/** The first line of an NDJSON report: everything but the outcomes, which follow one per line. */
export const reportHeaderInput = z
  .object({
    ...headerShape,
    outcomes: z.never({ error: "send the outcomes as the lines after the report, not inside it" }).optional(),
  })
  .superRefine(crossFieldRules);

const outcomesArray = (max: number, hint: string) =>
  z
    .array(outcomeRow)
    .min(1, "give at least one outcome, or leave outcomes out")
    .max(max, hint)
    .describe("Per-example outcomes; Ratchet computes the metrics and their confidence intervals from them");

export const reportInput = z
  .object({
    ...headerShape,
    outcomes: outcomesArray(
      MAX_OUTCOMES,
      `at most ${MAX_OUTCOMES.toLocaleString("en")} outcomes per report; split it by slice or period`,
    ).optional(),
  })
  .superRefine((r, ctx) => {
    crossFieldRules(r, ctx);
    needsNumbers(r, ctx);
  })
  .describe("An evaluation report: one model version on one dataset");
export type ReportInput = z.input<typeof reportInput>;
export type ParsedReport = z.output<typeof reportInput>;

export const uploadReportInput = z
  .object({
    ...headerShape,
    outcomes: outcomesArray(
      MAX_UPLOAD_OUTCOMES,
      `the web upload takes at most ${MAX_UPLOAD_OUTCOMES.toLocaleString("en")} outcomes; post bigger reports to /api/v1/reports as NDJSON`,
    ).optional(),
  })
  .superRefine((r, ctx) => {
    crossFieldRules(r, ctx);
    needsNumbers(r, ctx);
  });

export const listReportsInput = z.object({ model: modelName, version: positiveInt32() });
export const reportIdInput = z.object({ id: z.uuid() });
