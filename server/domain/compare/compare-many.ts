import { gateRequirementSet } from "../gate/gate";
import { desc, eq } from "drizzle-orm";
import { modelVersions } from "@/db/schema";
import { metricDirection } from "@/server/stats";
import { authorize, type DomainContext } from "../context";
import { InvalidInputError, NotFoundError } from "../errors";
import { directionOf } from "../gate/gate";
import { findModelOrThrow } from "../registry/models";
import { keyMetricNames } from "../reports/metric-names";
import { activeRequirementSet } from "../requirements/sets";
import { comparePair, reportsOf, type PairView } from "./compare-versions";
import { engineMetric } from "./margins";
import { pairKey, pairReports, type CompareReport } from "./pairing";
import type { MetricRow, RowVerdict, ValueCi } from "./rows";
import { compareManyInput, type CompareManyInput } from "./schemas";

/**
 * Up to four versions on one metric table: one dataset (kind, dataset, period, slice), every metric of
 * the reference's report on it, each other version's value with its interval and its verdict against the
 * reference — the same paired test (cached in stat_results) as the two-version comparison, or "not
 * tested" where there is nothing to test with, or no cell when that version has no report on the dataset.
 */
export interface ManyCell {
  version: number;
  value: ValueCi | null;
  /** Against the reference; null for the reference itself and where the version has no report here. */
  verdict: RowVerdict | null;
  difference: ValueCi | null;
  method: MetricRow["method"] | null;
  test: MetricRow["test"];
  pValue: number | null;
}

export interface ManyRow {
  metric: string;
  direction: "higher" | "lower";
  cells: ManyCell[];
}

const pickDefault = <V extends { version: number; stage: string }>(all: V[]) => {
  const champion = all.find((v) => v.stage === "champion");
  const others = all.filter((v) => v !== champion && v.stage !== "retired").slice(0, champion ? 3 : 4);
  return [...(champion ? [champion] : []), ...others];
};

export async function compareMany(ctx: DomainContext, raw: CompareManyInput) {
  authorize(ctx, "registry:read");
  const input = compareManyInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  const all = await ctx.db
    .select({ id: modelVersions.id, version: modelVersions.version, stage: modelVersions.stage })
    .from(modelVersions)
    .where(eq(modelVersions.modelId, model.id))
    .orderBy(desc(modelVersions.version));
  if (all.length < 2)
    throw new InvalidInputError("versions", "this model has only one version: there is nothing to compare it with");
  const chosen = input.versions
    ? input.versions.map(
        (n) =>
          all.find((v) => v.version === n) ??
          (() => {
            throw new NotFoundError(`Version ${n}`);
          })(),
      )
    : pickDefault(all);
  if (chosen.length < 2) throw new InvalidInputError("versions", "pick at least two versions");
  const reference =
    input.reference !== undefined
      ? (chosen.find((v) => v.version === input.reference) ??
        (() => {
          throw new InvalidInputError("reference", `v${input.reference} is not among the versions compared`);
        })())
      : (chosen.find((v) => v.stage === "champion") ?? chosen[0]!);
  const others = chosen.filter((v) => v !== reference);

  const activeSet = await activeRequirementSet(ctx.db, model.id);
  const primary = activeSet?.primaryMetric ?? null;
  const margins = activeSet?.comparisonMargins ?? {};
  const set = gateRequirementSet(activeSet);

  const referenceReports = await reportsOf(ctx.db, reference.id);
  const otherReports = new Map<number, CompareReport[]>();
  for (const v of others) otherReports.set(v.version, await reportsOf(ctx.db, v.id));
  // Datasets the reference and at least one other version were evaluated on, in the page's usual order.
  const datasets = new Map<string, ReturnType<typeof pairReports>["pairs"][number]>();
  for (const v of others)
    for (const p of pairReports(referenceReports, otherReports.get(v.version)!).pairs)
      if (!datasets.has(p.key)) datasets.set(p.key, p);
  const options = [...datasets.values()].map((p) => ({
    key: p.key,
    kind: p.kind,
    dataset: p.dataset,
    periodStart: p.periodStart,
    periodEnd: p.periodEnd,
    slice: p.slice,
  }));
  const selected = input.dataset ?? options[0]?.key ?? null;
  if (input.dataset && !datasets.has(input.dataset))
    throw new InvalidInputError("dataset", "no report of the reference on this dataset is shared with another version");

  // One paired comparison per other version on the selected dataset (the worker pool; cached by content hashes).
  const views = new Map<number, PairView>();
  if (selected) {
    for (const v of others) {
      const pair = pairReports(referenceReports, otherReports.get(v.version)!).pairs.find((p) => p.key === selected);
      if (pair) views.set(v.version, await comparePair(ctx.db, pair, primary, set, margins));
    }
  }
  const refReport = selected
    ? referenceReports.filter((r) => pairKey(r) === selected).sort((x, y) => +y.createdAt - +x.createdAt)[0]
    : undefined;
  const metrics = refReport ? keyMetricNames(refReport.metrics, primary, Number.POSITIVE_INFINITY) : [];
  const rows: ManyRow[] = metrics.map((metric) => {
    const engine = engineMetric(metric);
    const direction = engine ? metricDirection(engine) : directionOf(metric, set?.requirements);
    const m = refReport!.metrics[metric]!;
    const cells: ManyCell[] = [
      {
        version: reference.version,
        value: { value: m.value, ci: m.ci ?? null },
        verdict: null,
        difference: null,
        method: null,
        test: null,
        pValue: null,
      },
    ];
    for (const v of others) {
      const row = views.get(v.version)?.rows.find((r) => r.metric === metric);
      cells.push(
        row
          ? {
              version: v.version,
              value: row.b,
              verdict: row.verdict,
              difference: row.difference,
              method: row.method,
              test: row.test,
              pValue: row.pValue,
            }
          : {
              version: v.version,
              value: null,
              verdict: null,
              difference: null,
              method: null,
              test: null,
              pValue: null,
            },
      );
    }
    return { metric, direction, cells };
  });

  return {
    model: { name: model.name, task: model.task },
    versions: all.map((v) => ({ version: v.version, stage: v.stage })),
    reference: { version: reference.version, stage: reference.stage },
    /** The reference first, then the others in the order asked: the table's columns. */
    compared: [reference, ...others].map((v) => ({ version: v.version, stage: v.stage })),
    datasets: options,
    dataset: selected,
    /** Matched examples per other version on this dataset, when paired. */
    matched: Object.fromEntries(others.map((v) => [v.version, views.get(v.version)?.outcomes?.matched ?? null])),
    rows,
  };
}

export type CompareManyResult = Awaited<ReturnType<typeof compareMany>>;
