import { and, desc, eq } from "drizzle-orm";
import { evaluationReports, modelVersions } from "@/db/schema";
import { authorize, type DomainContext } from "../context";
import { ConflictError, InvalidInputError } from "../errors";
import { findModelOrThrow } from "../registry/models";
import { createReport } from "../reports/create";
import { humanEvidence } from "./quality";
import { humanBaselineInput, type HumanBaselineInput } from "./schemas";

/**
 * Records human accuracy as a `baseline` report (baseline `human`) of one model version, through the
 * reports domain verb: audited as `report.created`, and the gate's "beats the baselines" compares the
 * version's reports on the primary metric with it (a human baseline names no dataset, so it applies to
 * every report on its slice; see `baselineApplies`).
 *
 * The evidence is the first label of every item two or more reviewers labeled, against the label that
 * counts (their agreement, or the adjudication of their conflict): one outcome per item, so outcomes are
 * independent, and the first reviewer labeled without knowing the second's answer. Not gold items: the
 * demo and most teams have few, and the gold accuracy is shown per reviewer beside it. Known bias: a first
 * label the second reviewer repeated counts as right even when both were wrong (about e² for an error
 * rate e), and an adjudicator who saw both labels decides what "right" is.
 *
 * Outcomes are the model's class indices (label = the label that counts, prediction = the reviewer's), so
 * Ratchet computes accuracy (and precision, recall, F1 for a binary model) with its seeded bootstrap
 * interval like any report, and the same evidence posted twice is the same report (`created: false`).
 */
export async function recordHumanBaseline(ctx: DomainContext, raw: HumanBaselineInput) {
  authorize(ctx, "reports:write");
  const input = humanBaselineInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  if (model.task === "regression")
    throw new InvalidInputError("model", "a regression model has no class accuracy to compare people with");
  const [version] = await ctx.db
    .select({ id: modelVersions.id })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, input.version)));
  if (!version) throw new InvalidInputError("version", `${model.name} has no version ${input.version}`);

  const evidence = (await humanEvidence(ctx, model.id)).filter((e) => e.first);
  if (evidence.length === 0)
    throw new ConflictError(
      `No item of ${model.name} has been labeled by two reviewers and settled yet: there is no human accuracy to record.`,
    );
  // Class indices in the model's label set (binary: 0 and 1, 1 the positive class).
  const classes =
    model.labels.length > 0 ? model.labels : [...new Set(evidence.flatMap((e) => [e.resolved, e.label]))].sort();
  const index = (label: string) => {
    const i = classes.indexOf(label);
    if (i < 0)
      throw new ConflictError(`The label "${label}" is not one of ${model.name}'s classes (${classes.join(", ")}).`);
    return i;
  };
  if (model.task === "binary_classification" && classes.length !== 2)
    throw new ConflictError(
      `${model.name} is a binary model but has ${classes.length} classes: set its two labels first.`,
    );
  const outcomes = evidence.map((e) => ({
    id: `label-${e.label_id}`,
    label: index(e.resolved),
    prediction: index(e.label),
  }));
  const { report, created } = await createReport(ctx, {
    model: model.name,
    version: input.version,
    kind: "baseline",
    baseline: "human",
    sampleSize: outcomes.length,
    metrics: {},
    outcomes,
  });
  return {
    created,
    report: {
      id: report.id,
      version: input.version,
      sampleSize: report.sampleSize,
      accuracy: report.metrics.accuracy ?? null,
      createdAt: report.createdAt,
    },
    adjudicatedItems: evidence.filter((e) => e.adjudicated).length,
  };
}

/** The human baselines stored for a model's versions, newest first: what the page lists beside the form. */
export async function humanBaselines(ctx: DomainContext, raw: { model: string }) {
  authorize(ctx, "registry:read");
  const model = await findModelOrThrow(ctx, raw.model);
  const stored = await ctx.db
    .select({
      id: evaluationReports.id,
      version: modelVersions.version,
      sampleSize: evaluationReports.sampleSize,
      metrics: evaluationReports.metrics,
      createdAt: evaluationReports.createdAt,
    })
    .from(evaluationReports)
    .innerJoin(modelVersions, eq(modelVersions.id, evaluationReports.modelVersionId))
    .where(
      and(
        eq(modelVersions.modelId, model.id),
        eq(evaluationReports.kind, "baseline"),
        eq(evaluationReports.baseline, "human"),
      ),
    )
    .orderBy(desc(evaluationReports.createdAt), desc(evaluationReports.id));
  return stored.map((r) => ({ ...r, accuracy: r.metrics.accuracy ?? null }));
}
