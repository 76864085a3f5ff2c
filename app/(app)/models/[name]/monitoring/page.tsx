import type { Metadata } from "next";
import Link from "next/link";
import { createLoader, type SearchParams } from "nuqs/server";
import type { MonitoringPageData } from "@/server/domain/monitoring/page";
import { pageCaller } from "@/server/trpc/server-caller";
import { distributionBars } from "../../../../_components/chart-data/monitoring";
import { DistributionChart } from "../../../../_components/charts/distribution-chart";
import { OutputChart } from "../../../../_components/charts/output-chart";
import { formatMetric, when } from "../../../../_components/format";
import { Card, PageHeader } from "../../../../_components/ui";
import { FeatureSelect, GranularitySwitch, ScrollToFeature } from "./controls";
import { DriftHeatmap } from "./drift-heatmap";
import { ageLabel, windowLabel } from "./labels";
import { monitoringParams } from "./params";
import { CorrelationPanel, QualityTable } from "./quality";
import { TargetDriftPanel } from "./target-drift";

export const metadata: Metadata = { title: "Monitoring" };

const loadParams = createLoader(monitoringParams);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

function Tile({ label, children, testId }: { label: string; children: React.ReactNode; testId: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid={testId}>
      <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{label}</p>
      <div className="mt-1 text-sm text-slate-700">{children}</div>
    </div>
  );
}

function NotMeasured({ children, testId }: { children: React.ReactNode; testId?: string }) {
  return (
    <p className="text-sm text-slate-600" data-testid={testId}>
      <strong className="text-slate-800">Not measured.</strong> {children}
    </p>
  );
}

const HOW_TO_POST = (
  <>
    Production services post predictions to <code>POST /api/v1/predictions</code> (scope <code>predictions:write</code>
    ); the monitoring jobs then aggregate them into hour, day and week windows.
  </>
);

function referenceHint(version: number) {
  return (
    <>
      Drift needs reference data for v{version}: upload a training sample (CSV or JSON) as its reference, or choose a
      window of its production traffic as the reference. Windows computed after that measure drift against it.
    </>
  );
}

function Tiles({ data }: { data: MonitoringPageData }) {
  const { champion, traffic, latency, alerts } = data.tiles;
  return (
    <div className="mb-6 grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
      <Tile label="Champion's age" testId="tile-champion-age">
        {champion ? (
          <>
            <span className="text-2xl font-semibold text-slate-900">{ageLabel(champion.ageDays)}</span>
            <span className="block text-xs text-slate-500">
              v{champion.version} champion since {when(champion.since)}
            </span>
          </>
        ) : (
          "No champion yet."
        )}
      </Tile>
      <Tile label="Predictions per minute" testId="tile-traffic">
        {traffic ? (
          <>
            <span className="text-2xl font-semibold text-slate-900 tabular-nums">
              {traffic.perMinute.toLocaleString("en", { maximumFractionDigits: 1 })}
            </span>
            <span className="block text-xs text-slate-500">
              over the newest {traffic.window.granularity} window, from {when(traffic.window.start)}
            </span>
          </>
        ) : (
          <NotMeasured>No window yet.</NotMeasured>
        )}
      </Tile>
      <Tile label="Latency p50 / p95" testId="tile-latency">
        {latency ? (
          <>
            <span className="text-2xl font-semibold text-slate-900 tabular-nums">
              {latency.p50 === null ? "—" : formatMetric(latency.p50)} /{" "}
              {latency.p95 === null ? "—" : formatMetric(latency.p95)} ms
            </span>
            <span className="block text-xs text-slate-500">
              {latency.measured.toLocaleString("en")} predictions reported a latency in the newest{" "}
              {latency.window.granularity} window
            </span>
          </>
        ) : (
          <NotMeasured>No prediction in the newest window reported a latency (send latencyMs).</NotMeasured>
        )}
      </Tile>
      <Tile label="Open alerts" testId="tile-alerts">
        <Link href={`/models/${data.model.name}/alerts`} className="block">
          <span className="text-2xl font-semibold text-slate-900 tabular-nums">{alerts.unresolved}</span>{" "}
          <span className="text-sm">unresolved</span>
        </Link>
        <span className="block text-xs text-slate-500">
          {alerts.unresolved === 0 ? (
            "No alert is open."
          ) : (
            <>
              <span className={alerts.critical > 0 ? "font-semibold text-red-800" : undefined}>
                {alerts.critical} critical
              </span>
              {alerts.critical > 0 && " (blocking releases)"}
              {alerts.acknowledged > 0 && `, ${alerts.acknowledged} acknowledged`}
            </>
          )}
        </span>
      </Tile>
    </div>
  );
}

function FeaturePanel({ data }: { data: MonitoringPageData }) {
  const f = data.feature;
  if (!f) return <NotMeasured>No feature was counted in the newest window.</NotMeasured>;
  if (!f.known)
    return (
      <p className="text-sm text-slate-600" data-testid="feature-unknown">
        &ldquo;{f.name}&rdquo; is not among the features of the newest {data.granularity} window.
      </p>
    );
  if (!f.current) return <NotMeasured>The newest window holds no values of {f.name}.</NotMeasured>;
  const bars = distributionBars(f.current, f.reference);
  return (
    <div className="space-y-3">
      {f.olderWindow && f.window && (
        <p className="text-sm text-slate-600" data-testid="feature-window">
          The newest {data.granularity} window measured no value of {f.name}; shown: the newest window that did (
          {windowLabel(data.granularity, f.window.start)}).
        </p>
      )}
      <p className="text-sm text-slate-700" data-testid="feature-verdict">
        {f.drift && f.drift.drifted !== null ? (
          <>
            <strong className={f.drift.drifted ? "text-red-800" : "text-emerald-800"}>
              {f.drift.drifted ? "Drift" : "No drift"}
            </strong>{" "}
            in {f.name}: {f.drift.method}{" "}
            {f.drift.pValue !== null
              ? `p = ${f.drift.pValue.toPrecision(3)} (drift when ≤ ${f.drift.threshold})`
              : `${formatMetric(f.drift.statistic ?? 0)} (drift when ≥ ${f.drift.threshold})`}{" "}
            on {f.drift.sampleSize.reference.toLocaleString("en")} reference and{" "}
            {f.drift.sampleSize.current.toLocaleString("en")} current values.
          </>
        ) : f.reference ? (
          <>
            <strong>Not measured</strong> for {f.name} in this window (a side had no usable value).
          </>
        ) : (
          <>
            <strong>Drift not measured</strong> for {f.name}: the window has no reference to compare with.
          </>
        )}
      </p>
      <DistributionChart bars={bars} feature={f.name} />
      <p className="text-xs text-slate-500">
        Shares of non-missing values; missing: reference {f.reference ? f.reference.missing.toLocaleString("en") : "—"},
        current {f.current.missing.toLocaleString("en")}.
        {f.current.kind === "numerical" && " Bins are the reference's (Sturges); values outside them are left out."}
        {f.drift && f.drift.newCategories.length > 0 && ` New categories: ${f.drift.newCategories.join(", ")}.`}
      </p>
    </div>
  );
}

function OutputPanel({ data }: { data: MonitoringPageData }) {
  const { series, points, drift } = data.output;
  if (series.length === 0) return <NotMeasured>No output counted in these windows.</NotMeasured>;
  const share = series.every((s) => s.measure.kind === "share");
  const labeled = points.map((p) => ({ ...p, label: windowLabel(data.granularity, new Date(String(p.start))) }));
  return (
    <div className="space-y-2">
      <OutputChart points={labeled} series={series.map((s) => s.key)} share={share} />
      <p className="text-xs text-slate-500">
        {share
          ? data.model.labels.length === 2
            ? `Share of predictions of class ${data.model.labels[1]} per arm and version.`
            : "Share of predictions of each class per arm and version."
          : "Mean prediction per arm and version (from each window's histogram bins)."}{" "}
        Output drift of the champion against the reference in the newest window:{" "}
        {drift && drift.drifted !== null ? (
          <strong>{drift.drifted ? "drift" : "no drift"}</strong>
        ) : (
          <strong>not measured</strong>
        )}
        {drift && drift.drifted !== null && ` (${drift.method} ${formatMetric(drift.statistic ?? 0)})`}.
      </p>
    </div>
  );
}

export default async function MonitoringPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { name } = await params;
  const query = loadParams(await searchParams);
  const { api } = await pageCaller("registry:read");
  const data = await api.monitoring.page({
    model: name,
    granularity: query.granularity,
    feature: query.feature ?? undefined,
    version: query.version ?? undefined,
  });
  const version = data.monitored?.version ?? null;
  const hrefFor = (feature: string) => {
    const q = new URLSearchParams({ granularity: data.granularity, feature });
    if (query.version) q.set("version", String(query.version));
    return `/models/${name}/monitoring?${q.toString()}`;
  };
  const newest = data.windows.at(-1) ?? null;
  return (
    <>
      <ScrollToFeature feature={query.feature} />
      <PageHeader
        title={`${name}: monitoring`}
        subtitle={
          version
            ? `v${version} (${data.monitored!.stage}) in production: drift against its reference, data quality, outputs and latency per ${data.granularity}.`
            : "No version registered yet."
        }
        actions={<GranularitySwitch />}
      />
      {data.versions.length > 1 && (
        <nav aria-label="Monitored version" className="mb-4 flex flex-wrap gap-2 text-sm">
          {data.versions.map((v) => (
            <Link
              key={v.version}
              href={`/models/${name}/monitoring?granularity=${data.granularity}&version=${v.version}`}
              aria-current={v.version === version ? "page" : undefined}
              className={v.version === version ? "font-semibold text-slate-900" : "text-slate-600"}
            >
              v{v.version} ({v.stage})
            </Link>
          ))}
        </nav>
      )}
      <Tiles data={data} />

      {data.notMeasured.windows ? (
        <Card className="mb-6">
          <NotMeasured testId="no-windows">
            {version ? `v${version} has no ${data.granularity} window yet. ` : ""}
            {HOW_TO_POST}
          </NotMeasured>
        </Card>
      ) : (
        <>
          {(data.notMeasured.drift || data.notMeasured.newestDrift) && version && (
            <Card className="mb-6">
              <NotMeasured testId="drift-not-measured">
                {data.notMeasured.drift
                  ? `No ${data.granularity} window of v${version} measured drift. `
                  : "The newest window measured no drift. "}
                {referenceHint(version)}
              </NotMeasured>
            </Card>
          )}
          <div className="grid grid-cols-1 gap-6 [&>*]:min-w-0">
            <Card
              title={`Drift per feature and ${data.granularity} (${data.windows.length} windows, newest ${newest ? windowLabel(data.granularity, newest.start) : "—"})`}
            >
              {data.heatmap.features.length > 0 ? (
                <DriftHeatmap data={data} hrefFor={hrefFor} />
              ) : (
                <NotMeasured>No feature was counted in these windows.</NotMeasured>
              )}
              {data.windows.some((w) => w.drift) && (
                <p className="mt-2 text-xs text-slate-500" data-testid="dataset-drift">
                  Dataset drift (at least half of the features drift) in{" "}
                  {data.windows.filter((w) => w.drift?.datasetDrifted).length} of{" "}
                  {data.windows.filter((w) => w.drift).length} measured windows; newest:{" "}
                  {newest?.drift ? `${pct(newest.drift.driftedShare)} of features drift` : "not measured"}.
                  {data.sampling &&
                    (data.sampling.sampled
                      ? ` KS and Wasserstein ran on a seeded uniform sample of ${data.sampling.exactUpTo.toLocaleString("en")} rows per side (exact up to that many).`
                      : ` KS and Wasserstein are exact (up to ${data.sampling.exactUpTo.toLocaleString("en")} rows per side).`)}
                </p>
              )}
            </Card>
            <section id="feature-distribution" className="scroll-mt-4">
              <Card
                title={data.feature ? `${data.feature.name}: reference and current` : "Distribution per feature"}
                actions={
                  data.heatmap.features.length > 0 ? (
                    <FeatureSelect features={data.heatmap.features} selected={data.feature?.name ?? null} />
                  ) : undefined
                }
              >
                <div data-testid="feature-panel" data-feature={data.feature?.name ?? ""}>
                  <FeaturePanel data={data} />
                </div>
              </Card>
            </section>
            <Card title="Output per arm over time">
              <OutputPanel data={data} />
            </Card>
            <div className="grid grid-cols-1 gap-6 xl:grid-cols-[3fr_2fr] [&>*]:min-w-0">
              <Card title="Data quality (newest window)">
                {data.quality ? (
                  <QualityTable rows={data.quality} hrefFor={hrefFor} />
                ) : (
                  <NotMeasured testId="quality-not-measured">
                    Missing shares, new categories and range checks compare the window with the reference.{" "}
                    {version && referenceHint(version)}
                  </NotMeasured>
                )}
              </Card>
              <Card title="Correlation change (newest window)">
                {data.correlation ? (
                  <CorrelationPanel change={data.correlation} />
                ) : (
                  <NotMeasured>
                    {data.quality
                      ? "Fewer than two numerical features, so there is no correlation to compare."
                      : "Correlations are compared with the reference's."}
                  </NotMeasured>
                )}
              </Card>
            </div>
          </div>
        </>
      )}
      <section id="target-drift" className="mt-6 scroll-mt-4">
        <Card title="Target drift (from labels)">
          <TargetDriftPanel target={data.target} version={version} />
        </Card>
      </section>
    </>
  );
}
