/**
 * Reads a model's labels for export, page by page: one query of at most `pageSize` labels at a time, keyed
 * on the label id (`id > last`), so an export of millions holds one page in memory and no transaction or
 * cursor stays open between pages (the embedded database has one connection that other requests share).
 * A label given while the export runs may or may not be in it; a page never repeats or skips a label.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { modelVersions } from "@/db/schema";
import { authorize, type DomainContext } from "../context";
import { NotFoundError } from "../errors";
import { findModelOrThrow } from "../registry/models";
import { configuredReviewerLabeler } from "./pseudonym";
import { exportRows, type ExportRow, type LabeledRecord, type ReviewerLabeler } from "./rows";

const when = z.iso.datetime({ offset: true });

/** The export's query parameters, as the HTTP route reads them (strings in). */
export const exportQuery = z
  .object({
    format: z.enum(["csv", "jsonl"], { error: "send csv or jsonl" }).describe("csv (RFC 4180) or jsonl (JSON Lines)"),
    version: z.coerce
      .number({ error: "a version number" })
      .int("a version number")
      .min(1, "a version number")
      .max(2_147_483_647, "a version number")
      .optional()
      .describe("Only items the given model version predicted"),
    since: when.optional().describe("Only labels given at or after this time (ISO 8601 with offset)"),
    until: when.optional().describe("Only labels given before this time (ISO 8601 with offset)"),
    resolved: z
      .enum(["true", "false"], { error: "true or false" })
      .optional()
      .describe("true: only items whose label that counts is settled (agreed or adjudicated)"),
  })
  .superRefine((q, issue) => {
    if (q.since && q.until && Date.parse(q.since) >= Date.parse(q.until))
      issue.addIssue({ code: "custom", path: ["until"], message: "must be after since" });
  });
export type ExportQuery = z.output<typeof exportQuery>;

export interface LabelExportFilter {
  model: string;
  version?: number;
  since?: string;
  until?: string;
  resolved?: boolean;
}

type Row = {
  label_id: string | number;
  item_id: string | number;
  model_version: number;
  external_id: string;
  predicted_at: Date | string;
  features: Record<string, unknown> | string;
  prediction_label: string | null;
  prediction_number: number | string | null;
  confidence: number | string | null;
  reason: string;
  sampling_probability: number | string;
  status: string;
  resolved_label: string | null;
  label: string | null;
  label_number: number | string | null;
  labeled_at: Date | string;
  reviewer_id: string;
  reviewer_email: string;
  guideline_version: number | null;
  saw_model_answer: boolean;
  note: string;
  flags: string[];
  adjudicated_by: string | null;
  adjudicated_by_label: string | null;
};

const num = (v: number | string | null) => (v === null ? null : Number(v));
const date = (v: Date | string) => (v instanceof Date ? v : new Date(v));

/**
 * Checks the caller may export and the model (and version) exist, then returns the labels as a lazy
 * sequence of records: nothing is read until the first record is asked for. Errors a client can fix
 * (unknown model or version) are thrown here, before any byte of the answer is sent.
 */
export async function labelRecords(
  ctx: DomainContext,
  filter: LabelExportFilter,
  pageSize = 1000,
): Promise<AsyncGenerator<LabeledRecord>> {
  authorize(ctx, "feedback:read");
  const model = await findModelOrThrow(ctx, filter.model);
  const name = model.name;
  let versionId: string | null = null;
  if (filter.version !== undefined) {
    const [v] = await ctx.db
      .select({ id: modelVersions.id })
      .from(modelVersions)
      .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, filter.version)));
    if (!v) throw new NotFoundError(`Version ${filter.version} of model "${name}"`);
    versionId = v.id;
  }
  const regression = model.task === "regression";
  const where = sql.join(
    [
      sql`i.model_id = ${model.id}`,
      // Gold items are copies of resolved items served to test reviewers: the original is exported.
      sql`i.reason <> 'gold'`,
      versionId ? sql`i.model_version_id = ${versionId}` : null,
      filter.since ? sql`l.created_at >= ${filter.since}::timestamptz` : null,
      filter.until ? sql`l.created_at < ${filter.until}::timestamptz` : null,
      filter.resolved ? sql`i.status = 'resolved'` : null,
    ].filter((s) => s !== null),
    sql` and `,
  );

  async function* records(): AsyncGenerator<LabeledRecord> {
    let after = 0;
    for (;;) {
      const page = await ctx.db.execute<Row>(sql`
        select l.id as label_id, i.id as item_id, v.version as model_version, i.external_id, i.predicted_at,
          i.features, i.prediction_label, i.prediction_number, i.confidence, i.reason, i.sampling_probability,
          i.status, i.resolved_label, l.label, l.label_number, l.created_at as labeled_at,
          l.reviewer_id, u.email as reviewer_email, l.guideline_version, l.saw_model_answer, l.note, l.flags,
          a.decided_by as adjudicated_by, a.decided_by_label as adjudicated_by_label
        from feedback_labels l
        join feedback_items i on i.id = l.item_id
        join model_versions v on v.id = i.model_version_id
        join users u on u.id = l.reviewer_id
        left join feedback_adjudications a on a.item_id = i.id
        where ${where} and l.id > ${after}
        order by l.id
        limit ${pageSize}`);
      for (const r of page.rows) {
        const final = r.status === "resolved" ? r.resolved_label : null;
        yield {
          itemId: String(r.item_id),
          model: name,
          modelVersion: Number(r.model_version),
          externalId: r.external_id,
          predictedAt: date(r.predicted_at),
          features: typeof r.features === "string" ? (JSON.parse(r.features) as Record<string, unknown>) : r.features,
          prediction: r.prediction_label ?? num(r.prediction_number),
          confidence: num(r.confidence),
          samplingReason: r.reason,
          inclusionProbability: Number(r.sampling_probability),
          finalLabel: final === null ? null : regression ? Number(final) : final,
          label: r.label ?? Number(r.label_number),
          labeledAt: date(r.labeled_at),
          reviewerId: r.reviewer_id,
          reviewerEmail: r.reviewer_email,
          guidelineVersion: r.guideline_version === null ? null : Number(r.guideline_version),
          sawModelAnswer: r.saw_model_answer,
          adjudicated: r.adjudicated_by_label !== null,
          adjudicatorId: r.adjudicated_by,
          adjudicatorEmail: r.adjudicated_by_label,
          note: r.note === "" ? null : r.note,
          flags: r.flags,
        };
      }
      if (page.rows.length < pageSize) return;
      after = Number(page.rows[page.rows.length - 1]!.label_id);
    }
  }
  return records();
}

/** The export rows of a model's labels, reviewers named as this server is configured to name them. */
export async function exportLabels(
  ctx: DomainContext,
  filter: LabelExportFilter,
  options: { pageSize?: number; reviewerLabel?: ReviewerLabeler } = {},
): Promise<AsyncGenerator<ExportRow>> {
  const records = await labelRecords(ctx, filter, options.pageSize);
  return exportRows(records, options.reviewerLabel ?? configuredReviewerLabeler());
}
