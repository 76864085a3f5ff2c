import { randomUUID } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import { modelFeatures, predictionBatches } from "@/db/schema";
import type { Tx } from "@/db/client";
import { copyClientOf } from "@/db/copy-in";
import { authorize, type DomainContext } from "@/server/domain/context";
import { InvalidInputError } from "@/server/domain/errors";
import { markWindowsDirty } from "@/server/domain/monitoring/window-jobs";
import { windowsOfBatch } from "@/server/domain/monitoring/window-partials";
import type { RecordAnswer } from "@/server/http/idempotency";
import { queueIntake } from "../feedback/intake-job";
import { DataQualityCounter, uncheckedProblems, type FeatureSpec } from "./data-quality";
import type { ParsedBatch } from "./parse";
import { pgArray } from "./pg-array";
import { copyRows, insertRows, type PreparedRows } from "./store-rows";
import { dataQualityProblems, type IngestResult } from "./schemas";

interface VersionInfo {
  id: string;
  modelId: string;
  model: string;
  version: number;
  task: "binary_classification" | "multiclass_classification" | "regression";
}

/** The versions a batch names, in one query; an unknown model or version refuses the batch. */
async function resolveVersions(tx: Tx, batch: ParsedBatch): Promise<VersionInfo[]> {
  const pairs = new Map<string, number>();
  batch.rows.forEach((r, i) => {
    const key = `${r.model}\u0000${r.version}`;
    if (!pairs.has(key)) pairs.set(key, i);
  });
  const models = [...pairs.keys()].map((k) => k.split("\u0000")[0]!);
  const versions = [...pairs.keys()].map((k) => Number(k.split("\u0000")[1]));
  const found = await tx.execute<{
    id: string;
    model_id: string;
    model: string;
    version: number;
    task: VersionInfo["task"];
  }>(sql`
    select mv.id, m.id as model_id, m.name as model, mv.version, m.task
    from unnest(${pgArray(models)}::text[], ${pgArray(versions)}::int[]) as wanted(model, version)
    join models m on m.name = wanted.model
    join model_versions mv on mv.model_id = m.id and mv.version = wanted.version`);
  const byKey = new Map(
    found.rows.map((r) => [
      `${r.model}\u0000${r.version}`,
      { id: r.id, modelId: r.model_id, model: r.model, version: r.version, task: r.task },
    ]),
  );
  const missing = [...pairs].filter(([key]) => !byKey.has(key));
  if (missing.length > 0) {
    const [key, row] = missing[0]!;
    const [model, version] = key.split("\u0000") as [string, string];
    const knownModel = await tx.execute<{ n: number }>(
      sql`select count(*)::int as n from models where name = ${model}`,
    );
    if (Number(knownModel.rows[0]?.n) === 0)
      throw new InvalidInputError(`${batch.rowName(row)}.model`, `no model is named "${model}"`);
    throw new InvalidInputError(`${batch.rowName(row)}.version`, `${model} has no version ${version}`);
  }
  return [...byKey.values()];
}

async function declaredFeatures(tx: Tx, modelIds: string[]): Promise<Map<string, FeatureSpec[]>> {
  const rows = await tx
    .select({
      modelId: modelFeatures.modelId,
      name: modelFeatures.name,
      kind: modelFeatures.kind,
      categories: modelFeatures.categories,
    })
    .from(modelFeatures)
    .where(inArray(modelFeatures.modelId, modelIds));
  const byModel = new Map<string, FeatureSpec[]>();
  for (const r of rows) {
    const list = byModel.get(r.modelId) ?? [];
    list.push({ name: r.name, kind: r.kind, categories: r.categories });
    byModel.set(r.modelId, list);
  }
  return byModel;
}

// PostgreSQL text and jsonb cannot hold U+0000; refused here as input, rather than failing the INSERT.
const hasNul = (s: string) => s.includes("\u0000");

/**
 * Stores a validated batch of predictions: its rows, the batch's data-quality counts per model version,
 * its share of the monitoring windows, the review queue's intake job and the idempotency record, in one
 * transaction. A structural problem (unknown model or version, a prediction of the wrong kind for the
 * model's task) refuses the batch and nothing is stored. Feature-level problems are counted, never refused.
 *
 * The rows go in with one bulk statement. On a PostgreSQL server that is a COPY, fed in chunks while the
 * next chunk is being checked and encoded, so the server's work and Node's overlap; on the embedded
 * database (no COPY from a client there) one INSERT of all rows from arrays (`unnest`, one per column);
 * both in store-rows.ts.
 *
 * No audit entry per batch: the log is production traffic, not a change of governed state, and at
 * thousands of rows a second it would drown the audit log; `prediction_batches` records which key sent what.
 */
export async function ingestPredictions(
  ctx: DomainContext,
  batch: ParsedBatch,
  opts: { record?: RecordAnswer } = {},
): Promise<IngestResult> {
  const principal = authorize(ctx, "predictions:write");
  return ctx.db.transaction(async (tx) => {
    const versions = await resolveVersions(tx, batch);
    const versionOf = new Map(versions.map((v) => [`${v.model}\u0000${v.version}`, v]));
    const features = await declaredFeatures(tx, [...new Set(versions.map((v) => v.modelId))]);
    const counters = new Map(versions.map((v) => [v.id, new DataQualityCounter(features.get(v.modelId) ?? null)]));
    const spans = new Map<string, { first: string; last: string; firstMs: number; lastMs: number }>();

    const n = batch.rows.length;
    const versionIds = new Array<string>(n);
    // On the unnest path rows name their version by its 1-based place in `versions`: parsing 10,000 copies
    // of one uuid cost a twentieth of the statement.
    const versionIndexes = new Array<number>(n);
    const versionIndex = new Map(versions.map((v, i) => [v.id, i + 1]));
    const externalIds = new Array<string>(n);
    const times = new Array<string>(n);
    const storedFeatures = new Array<Record<string, unknown>>(n);
    const numbers = new Array<number | null>(n);
    const labels = new Array<string | null>(n);
    const confidences = new Array<number | null>(n);
    const probabilities = new Array<string | null>(n);
    const latencies = new Array<number | null>(n);
    const arms = new Array<string>(n);

    /** Checks row i (throwing on a structural problem), counts its data quality and fills its place in the arrays. */
    const prepareRow = (i: number) => {
      const row = batch.rows[i]!;
      const v = versionOf.get(`${row.model}\u0000${row.version}`)!;
      if (v.task === "regression" && typeof row.prediction !== "number") {
        throw new InvalidInputError(
          `${batch.rowName(i)}.prediction`,
          `${v.model} is a regression model: send a number`,
        );
      }
      if (v.task !== "regression" && typeof row.prediction === "number" && !Number.isInteger(row.prediction)) {
        throw new InvalidInputError(
          `${batch.rowName(i)}.prediction`,
          `${v.model} is a classifier: send the class (a label or an integer), and its probability as confidence`,
        );
      }
      if (hasNul(row.id))
        throw new InvalidInputError(
          `${batch.rowName(i)}.id`,
          "contains a NUL character (U+0000), which cannot be stored",
        );
      storedFeatures[i] = counters.get(v.id)!.check(row.features);
      versionIds[i] = v.id;
      versionIndexes[i] = versionIndex.get(v.id)!;
      externalIds[i] = row.id;
      times[i] = row.time;
      numbers[i] = v.task === "regression" ? (row.prediction as number) : null;
      labels[i] = v.task === "regression" ? null : String(row.prediction);
      if (labels[i] !== null && hasNul(labels[i]!))
        throw new InvalidInputError(`${batch.rowName(i)}.prediction`, "contains a NUL character (U+0000)");
      // Without an explicit confidence, the largest class probability is the model's confidence.
      confidences[i] = row.confidence ?? (row.probabilities ? Math.max(...Object.values(row.probabilities)) : null);
      probabilities[i] = row.probabilities ? JSON.stringify(row.probabilities) : null;
      latencies[i] = row.latencyMs ?? null;
      arms[i] = row.arm;
      const ms = Date.parse(row.time);
      const span = spans.get(v.id);
      if (!span) spans.set(v.id, { first: row.time, last: row.time, firstMs: ms, lastMs: ms });
      else {
        if (ms < span.firstMs) Object.assign(span, { first: row.time, firstMs: ms });
        if (ms > span.lastMs) Object.assign(span, { last: row.time, lastMs: ms });
      }
    };
    const nulInFeatures = (i: number) =>
      new InvalidInputError(
        `${batch.rowName(i)}.features`,
        "contains a NUL character (U+0000), which cannot be stored",
      );

    const declared = new Map(versions.map((v) => [v.id, features.get(v.modelId) ?? []]));
    const firstTimes = new Map<string, string>();
    for (const row of batch.rows) {
      const id = versionOf.get(`${row.model}\u0000${row.version}`)!.id;
      if (!firstTimes.has(id)) firstTimes.set(id, row.time);
    }
    const windows = await windowsOfBatch(tx, firstTimes, declared);
    const rows: PreparedRows = {
      count: n,
      prepare: prepareRow,
      nulInFeatures,
      columns: {
        versionIds,
        versionIndexes,
        externalIds,
        times,
        storedFeatures,
        numbers,
        labels,
        confidences,
        probabilities,
        latencies,
        arms,
      },
      batchVersionIds: versions.map((v) => v.id),
    };
    const client = copyClientOf(tx);
    const { stored, partials } = client
      ? await copyRows(tx, client, rows, windows)
      : await insertRows(tx, rows, windows);
    await tx.execute(partials.statement);
    const { firstId, lastId, receivedAt } = stored;

    // The rows that need a human are queued by a job right after this commits (see queueIntake).
    await queueIntake(
      tx,
      [...new Set(versions.map((v) => v.modelId))].map((modelId) => {
        const own = versions.filter((v) => v.modelId === modelId);
        const firstMs = Math.min(...own.map((v) => spans.get(v.id)!.firstMs));
        const lastMs = Math.max(...own.map((v) => spans.get(v.id)!.lastMs));
        return {
          modelId,
          versionIds: own.map((v) => v.id),
          firstId,
          lastId,
          receivedAt,
          // A millisecond either side: the clients' times may carry microseconds that Date.parse drops.
          firstTime: new Date(firstMs - 1).toISOString(),
          lastTime: new Date(lastMs + 1).toISOString(),
        };
      }),
    );

    // The windows these rows fall in are recomputed shortly, by a job (never here, on the request).
    await markWindowsDirty(tx, partials.hours);

    const batchId = randomUUID();
    await tx.insert(predictionBatches).values(
      versions.map((v) => {
        const c = counters.get(v.id)!;
        const span = spans.get(v.id)!;
        return {
          batchId,
          modelVersionId: v.id,
          apiKeyId: principal.kind === "apiKey" ? principal.id : null,
          rows: c.rows,
          firstTime: new Date(span.firstMs),
          lastTime: new Date(span.lastMs),
          rowsWithProblems: c.rowsWithProblems,
          counts: c.counts,
        };
      }),
    );

    const result = summarize(versions, counters, features, n);
    await opts.record?.(tx, { status: 201, body: result });
    return result;
  });
}

function summarize(
  versions: VersionInfo[],
  counters: Map<string, DataQualityCounter>,
  features: Map<string, FeatureSpec[]>,
  accepted: number,
): IngestResult {
  const totals = Object.fromEntries(dataQualityProblems.map((p) => [p, 0])) as Record<
    (typeof dataQualityProblems)[number],
    number
  >;
  const byFeature: Record<string, Record<string, number>> = {};
  let rowsWithProblems = 0;
  for (const c of counters.values()) {
    rowsWithProblems += c.rowsWithProblems;
    for (const p of dataQualityProblems) {
      totals[p] += c.counts[p].total;
      for (const [name, count] of Object.entries(c.counts[p].byFeature)) {
        const f = (byFeature[name] ??= {});
        f[p] = (f[p] ?? 0) + count;
      }
    }
  }
  const notChecked: IngestResult["dataQuality"]["notChecked"] = {};
  for (const v of versions) {
    const unchecked = uncheckedProblems(features.get(v.modelId) ?? null);
    if (unchecked.length > 0) notChecked[v.model] = unchecked;
  }
  return { accepted, dataQuality: { ...totals, rowsWithProblems, byFeature, notChecked } };
}
