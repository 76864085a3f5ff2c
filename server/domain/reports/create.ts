import { inBackground } from "@/db/priority";
import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { datasets, evaluationReports, models, modelVersions } from "@/db/schema";
import { appendAudit } from "../audit";
import { authorize, type DomainContext } from "../context";
import { InvalidInputError } from "../errors";
import { findModelOrThrow } from "../registry/models";
import { ReportHasher } from "./content-hash";
import { runStats } from "../statistics/pool";
import { mergeMetrics } from "./compute";
import { ingestOffThread } from "./ingest-pool";
import type { NdjsonBody } from "./ndjson";
import { OutcomeBuilder, type ModelTask, type OutcomeColumns } from "./outcomes";
import { chunkCount, createUpload, discardUpload, stageOutcomes, writeChunks, type AfterChunkStaged } from "./staging";
import { reportHeaderInput, reportInput, type OutcomeRow, type ParsedReport, type ReportInput } from "./schemas";

/** Outcomes that arrive after the report itself: parsed lines, or the raw bytes of an NDJSON body. */
export type OutcomesSource = AsyncIterable<{ line: number; outcome: OutcomeRow }> | NdjsonBody;

const isNdjsonBody = (source: OutcomesSource): source is NdjsonBody => "chunks" in source;

type ReportRow = typeof evaluationReports.$inferSelect;

/** The model version a report is about, and the dataset it names; 404 for an unknown model. */
async function resolveTarget(
  ctx: DomainContext,
  input: { model: string; version: number; dataset?: { name: string; version: number } | undefined },
) {
  const model = await findModelOrThrow(ctx, input.model);
  const [version] = await ctx.db
    .select({ id: modelVersions.id })
    .from(modelVersions)
    .where(and(eq(modelVersions.modelId, model.id), eq(modelVersions.version, input.version)));
  if (!version)
    throw new InvalidInputError("version", `${model.name} has no version ${input.version}; register it first`);
  let datasetId: string | null = null;
  if (input.dataset) {
    const [ds] = await ctx.db
      .select({ id: datasets.id })
      .from(datasets)
      .where(and(eq(datasets.name, input.dataset.name), eq(datasets.version, input.dataset.version)));
    if (!ds)
      throw new InvalidInputError(
        "dataset",
        `dataset ${input.dataset.name} v${input.dataset.version} is not registered; register it first`,
      );
    datasetId = ds.id;
  }
  return {
    modelId: model.id,
    modelName: model.name,
    task: model.task as ModelTask,
    versionId: version.id,
    versionNumber: input.version,
    datasetId,
  };
}

async function findByHash(db: Db | Tx, versionId: string, contentHash: string): Promise<ReportRow | undefined> {
  const [row] = await db
    .select()
    .from(evaluationReports)
    .where(and(eq(evaluationReports.modelVersionId, versionId), eq(evaluationReports.contentHash, contentHash)));
  return row;
}

export interface CreateReportOptions {
  /** Runs after each staged outcome chunk, before the report exists (tests act on a half-written report). */
  afterChunkStaged?: AfterChunkStaged;
}

/**
 * Records an evaluation report. Order: authorize → validate → the version must belong to the model →
 * read and check the outcomes (before any write: a slow upload must not hold a transaction open) →
 * compute metrics while the outcome chunks are staged (staging.ts) → one short transaction with the
 * report (linking the staged outcomes), its last chunk and the audit entry. Anything refused stores
 * nothing visible, and its staged chunks are deleted. The same report posted again returns the stored
 * one (`created: false`).
 */
export function createReport(
  ctx: DomainContext,
  raw: ReportInput | z.input<typeof reportHeaderInput>,
  source?: OutcomesSource,
  options: CreateReportOptions = {},
) {
  // A report's statements (a million outcomes staged in chunks) yield embedded PGlite to page queries.
  return inBackground(() => createReportNow(ctx, raw, source, options));
}

async function createReportNow(
  ctx: DomainContext,
  raw: ReportInput | z.input<typeof reportHeaderInput>,
  source: OutcomesSource | undefined,
  options: CreateReportOptions,
) {
  const actor = authorize(ctx, "reports:write");
  // With a separate source, the report may come without metrics: they will be computed from the lines.
  const input: ParsedReport = source ? reportHeaderInput.parse(raw) : reportInput.parse(raw);
  const target = await resolveTarget(ctx, input);

  const { outcomes: rows, ...header } = input;
  let cols: OutcomeColumns | null = null;
  let contentHash: string;
  if (source && isNdjsonBody(source)) {
    // A streamed body's lines are parsed, checked and hashed on a worker thread (ingest-pool.ts).
    ({ cols, contentHash } = await ingestOffThread(source, {
      task: target.task,
      sampleSize: input.sampleSize,
      header,
      linesBefore: source.linesBefore,
    }));
  } else {
    const hasher = new ReportHasher(header);
    if (rows || source) {
      const builder = new OutcomeBuilder(target.task, input.sampleSize, hasher);
      if (rows) for (const row of rows) builder.push(row);
      else if (source) {
        let sinceYield = 0;
        for await (const { line, outcome } of source) {
          builder.push(outcome, line);
          // A body that is already buffered is parsed in microtasks alone, which never let the event loop
          // run: hand it a turn every few thousand rows so other requests are answered meanwhile.
          if (++sinceYield === 5000) {
            sinceYield = 0;
            await new Promise((resolve) => setImmediate(resolve));
          }
        }
      }
      if (builder.count > 0) cols = builder.finish();
    }
    contentHash = hasher.digest();
  }
  if (!cols && Object.keys(input.metrics).length === 0) {
    throw new InvalidInputError("metrics", "give at least one metric, or outcomes to compute them from");
  }
  // Which upload holds the outcomes is storage detail, not part of the report a client sees.
  const present = ({ outcomeUploadId: _, ...row }: ReportRow) => ({
    ...row,
    model: target.modelName,
    version: target.versionNumber,
  });

  // A retry of a big report should not pay for the bootstrap again.
  const known = await findByHash(ctx.db, target.versionId, contentHash);
  if (known) return { report: present(known), created: false };

  // Intervals for a million outcomes take seconds on the worker pool; meanwhile the outcome chunks are
  // staged in short statements of their own, invisible until the report's transaction links them.
  const [stats, staging] = await Promise.allSettled([
    cols ? runStats({ kind: "report", task: target.task, cols: { ...cols, idChunks: [] } }) : Promise.resolve(null),
    cols ? stageOutcomes(ctx.db, cols, options.afterChunkStaged) : Promise.resolve(null),
  ]);
  const staged = staging.status === "fulfilled" ? staging.value : null;
  if (stats.status === "rejected" || staging.status === "rejected") {
    if (staged) await discardUpload(ctx.db, staged.uploadId);
    throw stats.status === "rejected" ? stats.reason : (staging as PromiseRejectedResult).reason;
  }
  const fromOutcomes = stats.value;
  const { metrics, disagreements } = mergeMetrics(input.metrics, fromOutcomes?.metrics ?? {});

  let result: { report: ReturnType<typeof present>; created: boolean };
  try {
    result = await ctx.db.transaction(async (tx) => {
      // Two identical posts at once: the second waits here, then finds the first.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`report:${target.versionId}:${contentHash}`}))`);
      const raced = await findByHash(tx, target.versionId, contentHash);
      if (raced) return { report: present(raced), created: false };
      let outcomeUploadId: string | null = null;
      if (cols) {
        // The chunks not staged (all of a one-chunk report, the last of a bigger one) go in with the report.
        outcomeUploadId = staged?.uploadId ?? (await createUpload(tx));
        await writeChunks(tx, outcomeUploadId, cols, staged?.staged ?? 0, chunkCount(cols));
      }
      const [created] = await tx
        .insert(evaluationReports)
        .values({
          modelVersionId: target.versionId,
          kind: input.kind,
          datasetId: target.datasetId,
          periodStart: input.periodStart ?? null,
          periodEnd: input.periodEnd ?? null,
          slice: input.slice,
          baseline: input.baseline ?? null,
          sampleSize: input.sampleSize,
          metrics,
          disagreements,
          confusion: fromOutcomes?.confusion ?? null,
          outcomeCount: cols?.n ?? 0,
          contentHash,
          outcomeUploadId,
          createdByUserId: actor.kind === "user" ? actor.id : null,
          createdByApiKeyId: actor.kind === "apiKey" ? actor.id : null,
        })
        .returning();
      if (!created) throw new Error("insert returned no row");
      await tx.update(models).set({ lastActivityAt: new Date() }).where(eq(models.id, target.modelId));
      // The outcomes themselves stay out of the audit log: the content hash identifies them.
      await appendAudit(tx, actor, {
        action: "report.created",
        entityType: "evaluation_report",
        entityId: created.id,
        after: present(created),
      });
      return { report: present(created), created: true };
    });
  } catch (error) {
    if (staged) await discardUpload(ctx.db, staged.uploadId);
    throw error;
  }
  // A concurrent duplicate won: its outcomes are the stored ones, this upload's are surplus.
  if (!result.created && staged) await discardUpload(ctx.db, staged.uploadId);
  return result;
}
