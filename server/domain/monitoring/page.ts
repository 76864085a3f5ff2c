/**
 * Everything the monitoring page of one model draws, from stored monitoring windows and small indexed
 * reads: the tiles (champion's age, predictions per minute, latency), the features × windows drift heat
 * map, one feature's reference and current distributions, the output per arm over time, the
 * data-quality table and the correlation change. Nothing here scans the prediction log. Where nothing
 * was measured the result says so (`notMeasured`) instead of inventing a verdict.
 */
import { and, desc, eq, isNotNull, or } from "drizzle-orm";
import { modelVersions, predictionReferences, releases } from "@/db/schema";
import type { ColumnDrift, ColumnQuality, CorrelationChange } from "@/server/stats/drift";
import { authorize, type DomainContext } from "../context";
import { NotFoundError } from "../errors";
import { modelAlertCounts } from "../alerts/queries";
import { findModelOrThrow } from "../registry/models";
import { referenceDistribution } from "./reference-distribution";
import { freshnessToken, PageCache } from "./page-cache";
import { monitoringPageInput, WINDOWS_SHOWN, type MonitoringPageInput } from "./schemas";
import { targetDrift } from "./target-drift";
import { latestWindow, outputsOverTime, windowDetail, windowHeaders } from "./window-reads";
import type { Distribution, TrafficArm, WindowGranularity } from "./window-summary";

const DAY_MS = 86_400_000;

export interface HeatCell {
  method: ColumnDrift["method"];
  statistic: number | null;
  pValue: number | null;
  threshold: number | null;
  drifted: boolean | null;
}

export interface OutputSeries {
  /** "champion v3", "shadow v4: churned", … */
  key: string;
  arm: TrafficArm;
  version: number;
  /** What is plotted: the share of one class, or the mean output (from the histogram's bin midpoints). */
  measure: { kind: "share"; label: string } | { kind: "mean" };
}

/** Mean of a histogram from its bin midpoints (the stored windows keep counts, not raw outputs). */
function histogramMean(d: Extract<Distribution, { kind: "numerical" }>): number | null {
  let n = 0,
    s = 0;
  d.counts.forEach((c, i) => {
    n += c;
    s += c * ((d.edges[i]! + d.edges[i + 1]!) / 2);
  });
  return n > 0 ? s / n : null;
}

function total(d: Distribution): number {
  return d.kind === "categorical"
    ? Object.values(d.counts).reduce((a, b) => a + b, 0)
    : d.counts.reduce((a, b) => a + b, 0);
}

/** When the champion became champion: its last approved full promotion or rollback, else its registration. */
async function championSince(ctx: DomainContext, versionId: string, registeredAt: Date): Promise<Date> {
  const [release] = await ctx.db
    .select({ at: releases.effectiveAt })
    .from(releases)
    .where(
      and(
        eq(releases.toVersionId, versionId),
        eq(releases.status, "approved"),
        isNotNull(releases.effectiveAt),
        or(eq(releases.kind, "rollback"), eq(releases.strategy, "full")),
      ),
    )
    .orderBy(desc(releases.effectiveAt))
    .limit(1);
  return release?.at ?? registeredAt;
}

const cache = new PageCache<Awaited<ReturnType<typeof computePage>>>();

/**
 * The page's data, from the in-memory cache when nothing it depends on changed (see page-cache.ts). The
 * champion's age, the open alerts and the target drift from labels are worked out per request: the age
 * grows while the data stands still, and alerts and labels change without any window changing.
 */
export async function monitoringPage(ctx: DomainContext, raw: MonitoringPageInput) {
  authorize(ctx, "registry:read");
  const input = monitoringPageInput.parse(raw);
  const token = await freshnessToken(ctx.db, input.model);
  const data = token
    ? await cache.get(JSON.stringify(input), token, () => computePage(ctx, input))
    : await computePage(ctx, input);
  return withLive(ctx, data);
}

/** The same data computed afresh, bypassing the cache (bench:monitoring's cold figures). */
export async function monitoringPageUncached(ctx: DomainContext, raw: MonitoringPageInput) {
  authorize(ctx, "registry:read");
  return withLive(ctx, await computePage(ctx, monitoringPageInput.parse(raw)));
}

async function withLive(ctx: DomainContext, data: Awaited<ReturnType<typeof computePage>>) {
  const champion = data.tiles.champion;
  const model = await findModelOrThrow(ctx, data.model.name);
  const [alerts, target] = await Promise.all([
    modelAlertCounts(ctx.db, model.id),
    targetDrift(ctx.db, model, data.reference?.id ?? null),
  ]);
  return {
    ...data,
    tiles: {
      ...data.tiles,
      champion: champion
        ? { ...champion, ageDays: Math.max(0, (Date.now() - champion.since.getTime()) / DAY_MS) }
        : null,
      alerts,
    },
    target,
  };
}

async function computePage(ctx: DomainContext, input: MonitoringPageInputParsed) {
  const model = await findModelOrThrow(ctx, input.model);
  const versions = await ctx.db
    .select({
      id: modelVersions.id,
      version: modelVersions.version,
      stage: modelVersions.stage,
      createdAt: modelVersions.createdAt,
    })
    .from(modelVersions)
    .where(eq(modelVersions.modelId, model.id))
    .orderBy(desc(modelVersions.version));
  const champion = versions.find((v) => v.stage === "champion") ?? null;
  const monitored =
    input.version !== undefined ? versions.find((v) => v.version === input.version) : (champion ?? versions[0]);
  if (input.version !== undefined && !monitored) throw new NotFoundError(`Version ${input.version} of ${model.name}`);
  const granularity: WindowGranularity = input.granularity;

  const [since, headers, latest, reference] = await Promise.all([
    champion ? championSince(ctx, champion.id, champion.createdAt) : Promise.resolve(null),
    monitored ? windowHeaders(ctx.db, monitored.id, granularity, WINDOWS_SHOWN[granularity]) : Promise.resolve([]),
    monitored ? latestWindow(ctx.db, monitored.id) : Promise.resolve(null),
    monitored
      ? ctx.db
          .select({
            id: predictionReferences.id,
            source: predictionReferences.source,
            fileName: predictionReferences.fileName,
            rowCount: predictionReferences.rowCount,
            createdAt: predictionReferences.createdAt,
          })
          .from(predictionReferences)
          .where(eq(predictionReferences.modelVersionId, monitored.id))
          .orderBy(desc(predictionReferences.createdAt))
          .limit(1)
          .then((r) => r[0] ?? null)
      : Promise.resolve(null),
  ]);

  // The heat map: one row per feature the windows measured, one column per window.
  const featureSet = new Set<string>();
  for (const h of headers) for (const c of h.dataset?.columns ?? []) featureSet.add(c.column);
  const newest = headers.at(-1) ?? null;

  // The feature to draw: the one asked for, else the most drifted one of the newest window, else the first.
  // How far past its threshold a column is: p-values on a log scale, distances as a ratio.
  const driftRank = (c: ColumnDrift) => {
    if (c.drifted === null || c.threshold === null || c.statistic === null) return -2;
    const past =
      c.pValue !== null
        ? Math.log10(Math.max(c.pValue, 1e-300)) / Math.log10(Math.min(c.threshold, 0.999))
        : c.statistic / Math.max(c.threshold, 1e-12);
    return c.drifted ? 1 + past : Math.min(past, 1) - 1;
  };
  const newestColumns = [...(newest?.dataset?.columns ?? [])].sort((a, b) => driftRank(b) - driftRank(a));
  const requested = input.feature ?? null;
  let selected = requested ?? newestColumns[0]?.column ?? null;
  const detail = newest ? await windowDetail(ctx.db, monitored!.id, granularity, newest.start, selected) : null;
  let selectedCurrent = detail?.feature ?? null;
  if (detail && selected === null && detail.featureNames.length > 0) {
    // Nothing measured drift: draw the first feature the window counted.
    selected = detail.featureNames[0]!;
    selectedCurrent =
      (await windowDetail(ctx.db, monitored!.id, granularity, newest!.start, selected))?.feature ?? null;
  }
  for (const name of detail?.featureNames ?? []) featureSet.add(name);
  const features = [...featureSet].sort();
  // A feature the newest window did not measure (no value of it came in: e.g. a service that stopped
  // sending it, or traffic of another shape) is drawn from the newest window that did, and the page says
  // so: an alert's link must land on the distributions that raised it, not on an empty chart.
  const measures = (h: (typeof headers)[number]) =>
    h.dataset?.columns.some((c) => c.column === selected && c.drifted !== null) ?? false;
  const featureWindow =
    selected && newest && !measures(newest) ? ([...headers].reverse().find(measures) ?? newest) : newest;
  let featureDetail = detail;
  if (featureWindow && featureWindow !== newest) {
    featureDetail = await windowDetail(ctx.db, monitored!.id, granularity, featureWindow.start, selected);
    selectedCurrent = featureDetail?.feature ?? null;
  }
  const referenceId = featureDetail?.referenceId ?? null;
  const selectedReference =
    selected && selectedCurrent && referenceId
      ? await referenceDistribution(ctx.db, referenceId, selected, selectedCurrent)
      : null;

  // Output per arm over the same period, across all versions (shadow and canary traffic is the challenger's).
  const outputs = newest
    ? await outputsOverTime(
        ctx.db,
        versions.map((v) => v.id),
        granularity,
        headers[0]!.start,
        newest.start,
      )
    : [];
  const series = new Map<string, OutputSeries>();
  const byStart = new Map<number, Record<string, number | string>>();
  const labels = model.labels;
  for (const point of outputs) {
    const row = byStart.get(point.start.getTime()) ?? { start: point.start.toISOString() };
    byStart.set(point.start.getTime(), row);
    for (const [arm, dist] of Object.entries(point.output) as [TrafficArm, Distribution][]) {
      const n = total(dist);
      if (n === 0) continue;
      if (dist.kind === "numerical") {
        const key = `${arm} v${point.version}`;
        const mean = histogramMean(dist);
        if (mean === null) continue;
        series.set(key, { key, arm, version: point.version, measure: { kind: "mean" } });
        row[key] = mean;
      } else {
        // A binary model: the positive class's share says it all; otherwise one line per class.
        const shown = labels.length === 2 ? [labels[1]!] : Object.keys(dist.counts).sort();
        for (const label of shown) {
          const key = `${arm} v${point.version}: ${label}`;
          series.set(key, { key, arm, version: point.version, measure: { kind: "share", label } });
          row[key] = (dist.counts[label] ?? 0) / n;
        }
      }
    }
  }

  const measuredWindows = headers.filter((h) => h.dataset !== null).length;
  const selectedDrift = featureWindow?.dataset?.columns.find((c) => c.column === selected) ?? null;
  const quality: ColumnQuality[] | null = detail?.quality ?? null;
  const correlation: CorrelationChange | null = detail?.correlation ?? null;

  return {
    model: { name: model.name, task: model.task, labels },
    versions: versions.map((v) => ({ version: v.version, stage: v.stage })),
    monitored: monitored ? { version: monitored.version, stage: monitored.stage } : null,
    granularity,
    reference,
    tiles: {
      champion: champion && since ? { version: champion.version, since } : null,
      /** From the newest window of any granularity: its rows over its minutes. */
      traffic: latest
        ? {
            perMinute: latest.rowCount / ((latest.end.getTime() - latest.start.getTime()) / 60_000),
            window: { granularity: latest.granularity, start: latest.start, end: latest.end },
          }
        : null,
      latency:
        latest && latest.latency && latest.latency.measured > 0
          ? {
              p50: latest.latency.p50,
              p95: latest.latency.p95,
              measured: latest.latency.measured,
              window: { granularity: latest.granularity, start: latest.start, end: latest.end },
            }
          : null,
    },
    windows: headers.map((h) => ({
      start: h.start,
      end: h.end,
      rowCount: h.rowCount,
      rowsPerArm: h.rowsPerArm,
      latency: h.latency,
      drift: h.dataset ? { driftedShare: h.dataset.driftedShare, datasetDrifted: h.dataset.datasetDrifted } : null,
    })),
    heatmap: {
      features,
      /** cells[feature][i] for windows[i]; null: not measured in that window. */
      cells: Object.fromEntries(
        features.map((f) => [
          f,
          headers.map((h): HeatCell | null => {
            const c = h.dataset?.columns.find((col) => col.column === f);
            return c
              ? {
                  method: c.method,
                  statistic: c.statistic,
                  pValue: c.pValue,
                  threshold: c.threshold,
                  drifted: c.drifted,
                }
              : null;
          }),
        ]),
      ) as Record<string, (HeatCell | null)[]>,
    },
    feature: selected
      ? {
          name: selected,
          known: features.includes(selected),
          window: featureWindow ? { start: featureWindow.start, end: featureWindow.end } : null,
          /** The newest window did not measure this feature: drawn from `window`, the newest one that did. */
          olderWindow: featureWindow !== newest,
          current: selectedCurrent,
          reference: selectedReference,
          drift: selectedDrift,
          quality: quality?.find((q) => q.column === selected) ?? null,
        }
      : null,
    output: {
      series: [...series.values()],
      points: [...byStart.values()],
      drift: detail?.output ?? null,
    },
    quality,
    correlation,
    sampling: detail && detail.exactUpTo !== null ? { exactUpTo: detail.exactUpTo, sampled: !!detail.sampled } : null,
    notMeasured: {
      /** No window at this granularity: nothing was posted (or the jobs have not run yet). */
      windows: headers.length === 0,
      /** Windows exist but none measured drift: the version has no reference data. */
      drift: headers.length > 0 && measuredWindows === 0,
      /** The newest window measured no drift although older ones did (e.g. the reference was removed). */
      newestDrift: newest !== null && newest.dataset === null,
    },
  };
}

export type MonitoringPageData = Awaited<ReturnType<typeof monitoringPage>>;
type MonitoringPageInputParsed = ReturnType<typeof monitoringPageInput.parse>;
