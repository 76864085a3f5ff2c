import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { engineMetric } from "@/server/domain/compare/margins";
import { compareBacktestChartData, historyChartData } from "../../../../_components/chart-data/compare";
import { formatMetric } from "../../../../_components/format";
import { boundName, boundPhrase } from "@/server/domain/requirements/wording";
import { pageCaller } from "@/server/trpc/server-caller";
import { CompareBacktestChart } from "../../../../_components/charts/compare-backtest-chart";
import { VersionHistoryChart } from "../../../../_components/charts/version-history-chart";
import { Button, Card, PageHeader, Select } from "../../../../_components/ui";
import { DifferencesSwitch } from "./differences-switch";
import { PairCard } from "./pair-table";
import { ConfigDiffPanel, MarginsForm, OnlineEvidencePanel, OperationalPanel, RequirementsPanel } from "./side-panels";

export const metadata: Metadata = { title: "Compare versions" };

type Search = Record<string, string | string[] | undefined>;
const one = (s: Search, k: string) => {
  const v = s[k];
  return Array.isArray(v) ? v[0] : v;
};
const positiveInt = (x: string | undefined) => (x && /^[1-9]\d{0,8}$/.test(x) ? Number(x) : undefined);
const METRIC = /^[a-z][a-z0-9_]{0,62}$/;

/** Margins from the query string (?margin.auc=0.01); anything that is not a non-negative number is ignored. */
function marginsFrom(s: Search): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(s)) {
    const metric = key.startsWith("margin.") ? key.slice("margin.".length) : "";
    const raw = one(s, key);
    const value = raw === undefined || raw.trim() === "" ? Number.NaN : Number(raw);
    if (METRIC.test(metric) && Number.isFinite(value) && value >= 0) out[metric] = value;
  }
  return out;
}

/** Every setting of this page lives in the URL, so a manager can send exactly what they saw. */
function hrefFor(name: string, state: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) if (v !== undefined && v !== "") q.set(k, v);
  return `/models/${name}/compare?${q.toString()}`;
}

export default async function ComparePage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Search>;
}) {
  const { name } = await params;
  const search = await searchParams;
  const { api } = await pageCaller("registry:read");
  const margins = marginsFrom(search);
  const differencesOnly = one(search, "diff") === "1";
  const bt = one(search, "bt"),
    bslice = one(search, "bslice") ?? "";
  let result;
  try {
    result = await api.compare.versions({
      model: name,
      a: positiveInt(one(search, "a")),
      b: positiveInt(one(search, "b")),
      differencesOnly,
      margins,
    });
  } catch (e) {
    if (e instanceof TRPCError && e.code === "NOT_FOUND") notFound();
    if (e instanceof TRPCError && e.code === "BAD_REQUEST") {
      return (
        <>
          <PageHeader title={`${name}: compare versions`} />
          <Card>
            <p className="text-sm text-slate-600" data-testid="compare-refused">
              {e.message}
            </p>
          </Card>
        </>
      );
    }
    throw e;
  }
  const { a, b, summary, settings } = result;
  const label = (v: typeof a) => `v${v.version} (${v.stage})`;
  const backtests = compareBacktestChartData(
    result.backtestReports.a,
    result.backtestReports.b,
    result.requirementSet,
    { metric: bt && METRIC.test(bt) ? bt : undefined, slice: bslice },
    { a: label(a), b: label(b) },
  );
  const primary = result.requirementSet?.primaryMetric ?? null;
  const historyMetricRaw = one(search, "hm");
  const historyMetric =
    historyMetricRaw && METRIC.test(historyMetricRaw)
      ? historyMetricRaw
      : (primary ?? (result.model.task === "regression" ? "rmse" : "accuracy"));
  const history = await api.compare.metricHistory({ model: name, metric: historyMetric, kind: "holdout" });
  const historyChart = historyChartData(history.metric, history.points, history.floor, [a.version, b.version]);

  const marginParams = Object.fromEntries(Object.entries(margins).map(([k, v]) => [`margin.${k}`, String(v)]));
  const state = {
    a: String(a.version),
    b: String(b.version),
    diff: differencesOnly ? "1" : undefined,
    bt,
    bslice: bslice || undefined,
    hm: historyMetricRaw,
    ...marginParams,
  };
  const keep = (...drop: string[]) =>
    Object.fromEntries(Object.entries(state).filter(([k, v]) => v !== undefined && !drop.includes(k))) as Record<
      string,
      string
    >;
  const metricChoices = [
    ...new Set([
      ...(primary ? [primary] : []),
      ...result.pairs.flatMap((p) => p.rows.map((r) => r.metric)),
      ...result.backtestOptions.metrics,
    ]),
  ];
  const total = summary.better + summary.worse + summary.same + summary.notTested;
  const cliMetric =
    (primary ? engineMetric(primary) : null) ?? (result.model.task === "regression" ? "rmse" : "accuracy");

  return (
    <>
      <PageHeader
        title={
          <>
            {name}: v{b.version} <span className="text-slate-500">against</span> v{a.version}
          </>
        }
        subtitle="Every dataset both versions were evaluated on, side by side with 95 % intervals; paired tests wherever both reports have outcomes on the same examples."
      />
      <Card className="mb-6">
        <form className="flex flex-wrap items-end gap-3 text-sm" aria-label="Versions to compare">
          {Object.entries(keep("a", "b")).map(([k, v]) => (
            <input key={k} type="hidden" name={k} value={v} />
          ))}
          <label className="space-y-1">
            <span className="block text-xs text-slate-500">Reference (a)</span>
            <Select name="a" defaultValue={String(a.version)} aria-label="Reference version">
              {result.versions.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version} ({v.stage})
                </option>
              ))}
            </Select>
          </label>
          <label className="space-y-1">
            <span className="block text-xs text-slate-500">Challenger (b)</span>
            <Select name="b" defaultValue={String(b.version)} aria-label="Challenger version">
              {result.versions.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version} ({v.stage})
                </option>
              ))}
            </Select>
          </label>
          <Button type="submit" worksWithoutScript variant="secondary">
            Compare
          </Button>
          <a className="text-sm" href={`/models/${name}/compare/table?v=${a.version}&v=${b.version}`}>
            Compare up to four versions
          </a>
          <span className="ml-auto">
            <DifferencesSwitch
              on={differencesOnly}
              onHref={hrefFor(name, { ...state, diff: "1" })}
              offHref={hrefFor(name, { ...state, diff: undefined })}
            />
          </span>
        </form>
        <div className="mt-4 text-sm" data-testid="verdict-summary">
          <p>
            v{b.version} against v{a.version}, over {summary.pairs} dataset{summary.pairs === 1 ? "" : "s"} both were
            evaluated on: <strong className="text-emerald-800">better on {summary.better}</strong>,{" "}
            <strong className="text-red-800">worse on {summary.worse}</strong>, no detectable difference on{" "}
            {summary.same} of {total} metric comparisons (95 %)
            {summary.notTested > 0 && (
              <>
                ; <strong>not tested</strong> on {summary.notTested} (no shared outcomes and no interval to compare)
              </>
            )}
            .
          </p>
          {primary && (
            <p className="mt-1" data-testid="primary-verdict">
              Primary metric <strong>{primary}</strong>: better on {summary.primary.better}, worse on{" "}
              {summary.primary.worse}, no detectable difference on {summary.primary.same}
              {summary.primary.notTested > 0 && <>, not tested on {summary.primary.notTested}</>}.
            </p>
          )}
          <p className="mt-1 text-xs text-slate-500">
            {summary.tests} p-values (McNemar exact for accuracy, DeLong for AUC), adjusted together with
            Benjamini–Hochberg; precision, recall, F1, log loss, Brier, RMSE and MAE are judged on the paired bootstrap
            interval of the difference. Paired intervals: bootstrap, {settings.resamples} resamples, seed{" "}
            {settings.seed} —{" "}
            <code>
              npx ratchet compare --outcomes FILE.csv --metric {cliMetric} --seed {settings.seed} --margin{" "}
              {settings.margins[cliMetric]} --json
            </code>{" "}
            on the same matched outcomes gives the same numbers.
            {(summary.unpairedA > 0 || summary.unpairedB > 0) && (
              <>
                {" "}
                Reports without a counterpart: {summary.unpairedA} of v{a.version}, {summary.unpairedB} of v{b.version}.
              </>
            )}
          </p>
        </div>
      </Card>

      {result.pairs.length === 0 && (
        <Card className="mb-4">
          <p className="text-sm text-slate-500" data-testid="no-pairs">
            {differencesOnly
              ? "No detectable difference on any dataset."
              : "The two versions have no report on the same dataset, period and slice."}
          </p>
        </Card>
      )}
      {result.pairs.map((p) => (
        <PairCard key={p.key} pair={p} a={a.version} b={b.version} />
      ))}

      <div className="mt-6 grid gap-6 lg:grid-cols-2">
        <Card
          title={
            backtests
              ? `Back-tests: ${backtests.metric} per period${backtests.slice ? ` (${backtests.slice})` : ""}`
              : "Back-tests"
          }
        >
          {backtests ? (
            <CompareBacktestChart data={backtests} />
          ) : (
            <p className="text-sm text-slate-500">Neither version has back-tests.</p>
          )}
          {backtests?.floor != null && (
            <p className="mt-1 text-xs text-slate-500">
              Red line: the requirement&apos;s {boundName(backtests.direction)} (
              {boundPhrase(backtests.direction, formatMetric(backtests.floor))}).
            </p>
          )}
          {result.backtestOptions.metrics.length > 1 && (
            <form className="mt-2 flex items-center gap-2 text-sm" aria-label="Back-test metric">
              {Object.entries(keep("bt")).map(([k, v]) => (
                <input key={k} type="hidden" name={k} value={v} />
              ))}
              <Select name="bt" defaultValue={backtests?.metric} aria-label="Back-test metric">
                {result.backtestOptions.metrics.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </Select>
              <Button type="submit" worksWithoutScript variant="secondary">
                Show
              </Button>
            </form>
          )}
        </Card>
        <Card
          title={`${history.metric} across versions (${history.kind}${history.dataset ? `, ${history.dataset.name} v${history.dataset.version}` : ""})`}
        >
          <VersionHistoryChart data={historyChart} />
          <form className="mt-2 flex items-center gap-2 text-sm" aria-label="Metric across versions">
            {Object.entries(keep("hm")).map(([k, v]) => (
              <input key={k} type="hidden" name={k} value={v} />
            ))}
            <Select name="hm" defaultValue={history.metric} aria-label="Metric across versions">
              {metricChoices.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </Select>
            <Button type="submit" worksWithoutScript variant="secondary">
              Show
            </Button>
          </form>
        </Card>
        <RequirementsPanel model={name} a={a} b={b} set={result.requirementSet} />
        <OperationalPanel rows={result.operational} a={a.version} b={b.version} />
        <ConfigDiffPanel config={result.config} />
        <OnlineEvidencePanel online={result.online} />
        <MarginsForm settings={settings} keep={keep(...Object.keys(marginParams))} />
      </div>
    </>
  );
}
