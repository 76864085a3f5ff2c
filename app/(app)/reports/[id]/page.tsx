import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { pageCaller } from "@/server/trpc/server-caller";
import { formatMetric, periodLabel } from "../../../_components/format";
import { ago, when } from "../../../_components/format";
import { MetricName } from "../../../_components/metric-name";
import { Badge, Card, PageHeader, Table } from "../../../_components/ui";

const statusVariant = { pass: "met", fail: "missed", insufficient: "notMeasured" } as const;
const statusText = { pass: "met", fail: "missed", insufficient: "not measured" } as const;

export default async function ReportPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const { api } = await pageCaller("registry:read");
  const { report: r, checks, requirementSet } = await api.reports.byId({ id });
  const entries = Object.entries(r.metrics).sort(([a], [b]) => a.localeCompare(b));
  const own = entries.filter(([m]) => !m.startsWith("baseline_"));
  const derived = entries.filter(([m]) => m.startsWith("baseline_"));
  const versionHref = `/models/${r.modelName}/versions/${r.version}`;
  return (
    <>
      <p className="mb-2 text-sm text-slate-500">
        <Link href="/models">Models</Link> / <Link href={`/models/${r.modelName}`}>{r.modelName}</Link> /{" "}
        <Link href={versionHref}>v{r.version}</Link> / <Link href={`${versionHref}/reports`}>reports</Link>
      </p>
      <PageHeader
        title={
          <>
            {r.kind}
            {r.baseline ? ` (${r.baseline.replace("_", "-")} baseline)` : ""} report{" "}
            <span className="text-slate-500">
              of {r.modelName} v{r.version}
            </span>
          </>
        }
        subtitle={
          <>
            {r.datasetName ? `${r.datasetName} v${r.datasetVersion}` : "no dataset named"} · period{" "}
            {periodLabel(r.periodStart, r.periodEnd)} · slice {r.slice || "all"} · n ={" "}
            {r.sampleSize.toLocaleString("en")}
            {r.outcomeCount > 0 ? ` (${r.outcomeCount.toLocaleString("en")} outcomes)` : ""} · posted{" "}
            <span title={when(r.createdAt)}>{ago(r.createdAt)}</span> by {r.author}
          </>
        }
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Metrics" className="lg:col-span-2">
          <Table label="Metrics">
            <thead>
              <tr>
                <th>Metric</th>
                <th>Value</th>
                <th>95% interval</th>
                <th>Source</th>
                <th>Posted value</th>
              </tr>
            </thead>
            <tbody>
              {own.map(([name, m]) => (
                <tr key={name} data-testid={`metric-${name}`}>
                  <td>
                    <MetricName name={name} />
                  </td>
                  <td className="font-mono">{formatMetric(m.value)}</td>
                  <td className="font-mono text-xs">
                    {m.ci ? `[${formatMetric(m.ci[0])}, ${formatMetric(m.ci[1])}]` : "—"}
                  </td>
                  <td>
                    <Badge tone={m.source === "computed" ? "champion" : "candidate"}>{m.source}</Badge>
                  </td>
                  <td className="font-mono text-xs">
                    {m.posted !== undefined ? (
                      <span className="text-red-700">{formatMetric(m.posted)} (disagrees)</span>
                    ) : (
                      ""
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          {r.outcomeCount > 0 && (
            <p className="mt-2 text-xs text-slate-500">
              Computed metrics come from the {r.outcomeCount.toLocaleString("en")} outcomes, with seeded percentile
              bootstrap intervals (2,000 resamples); they replace posted values of the same name.
            </p>
          )}
        </Card>
        {r.disagreements.length > 0 && (
          <Card title="Posted metrics that disagree with the outcomes">
            <Table label="Disagreements">
              <thead>
                <tr>
                  <th>Metric</th>
                  <th>Posted</th>
                  <th>Computed</th>
                  <th>Difference</th>
                </tr>
              </thead>
              <tbody>
                {r.disagreements.map((d) => (
                  <tr key={d.metric}>
                    <td className="font-mono text-xs">{d.metric}</td>
                    <td className="font-mono">{formatMetric(d.posted)}</td>
                    <td className="font-mono">{formatMetric(d.computed)}</td>
                    <td className="font-mono text-red-700">{formatMetric(d.posted - d.computed)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </Card>
        )}
        <Card title={requirementSet ? `Requirements (set v${requirementSet.version})` : "Requirements"}>
          {!requirementSet ? (
            <p className="text-sm text-slate-500">No requirements agreed for {r.modelName} yet.</p>
          ) : checks.length === 0 ? (
            <p className="text-sm text-slate-500">
              No requirement of the active set applies to a {r.kind} report on slice “{r.slice || "all"}”.
            </p>
          ) : (
            <Table label="Requirements">
              <thead>
                <tr>
                  <th>Metric</th>
                  <th>Needs</th>
                  <th>Value</th>
                  <th>Judged</th>
                  <th>Result</th>
                </tr>
              </thead>
              <tbody>
                {checks.map(({ requirement: q, result: c }) => (
                  <tr key={`${q.metric}|${q.slice}`} data-testid={`requirement-${q.metric}`}>
                    <td>
                      <MetricName name={q.metric} />
                    </td>
                    <td className="whitespace-nowrap">
                      {q.direction === "higher" ? "≥" : "≤"} {formatMetric(q.floor)}
                    </td>
                    <td className="font-mono">{c.value === null ? "—" : formatMetric(c.value)}</td>
                    <td
                      className="font-mono text-xs"
                      title={c.usedInterval ? "the interval's pessimistic bound" : "the value (no interval)"}
                    >
                      {c.judged === null
                        ? "—"
                        : `${formatMetric(c.judged)}${c.usedInterval ? (q.direction === "higher" ? " (CI low)" : " (CI high)") : ""}`}
                    </td>
                    <td>
                      <Badge variant={statusVariant[c.status]}>{statusText[c.status]}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
        {r.confusion && <ConfusionMatrix c={r.confusion} labels={r.classLabels} />}
        {derived.length > 0 && (
          <Card title="Baselines on the same examples">
            <Table label="Baselines">
              <thead>
                <tr>
                  <th>Baseline</th>
                  <th>Metric</th>
                  <th>Value</th>
                </tr>
              </thead>
              <tbody>
                {derived.map(([name, m]) => {
                  const [, which = "", metric = name] = /^baseline_(zero_rule|random)_(.+)$/.exec(name) ?? [];
                  return (
                    <tr key={name}>
                      <td>{which.replace("_", "-")}</td>
                      <td className="font-mono text-xs">{metric}</td>
                      <td className="font-mono">{formatMetric(m.value)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </Table>
          </Card>
        )}
      </div>
      <p className="mt-6 font-mono text-xs break-all text-slate-500">content sha256 {r.contentHash}</p>
    </>
  );
}

/** Class i as the model names it ("default (1)"), or the bare number when the model declares no labels. */
const className = (labels: string[], i: 0 | 1) => (labels[i] ? `${labels[i]} (${i})` : String(i));

function ConfusionMatrix({ c, labels }: { c: { tn: number; fp: number; fn: number; tp: number }; labels: string[] }) {
  const cell = (n: number, good: boolean) => (
    <td className={`text-center font-mono ${good ? "bg-emerald-50" : "bg-red-50"}`}>{n.toLocaleString("en")}</td>
  );
  return (
    <Card title="Confusion matrix">
      <Table label="Confusion matrix">
        <thead>
          <tr>
            <td />
            <th scope="col" className="text-center">
              predicted {className(labels, 0)}
            </th>
            <th scope="col" className="text-center">
              predicted {className(labels, 1)}
            </th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="confusion-row-0">
            <th scope="row">actual {className(labels, 0)}</th>
            {cell(c.tn, true)}
            {cell(c.fp, false)}
          </tr>
          <tr data-testid="confusion-row-1">
            <th scope="row">actual {className(labels, 1)}</th>
            {cell(c.fn, false)}
            {cell(c.tp, true)}
          </tr>
        </tbody>
      </Table>
    </Card>
  );
}
