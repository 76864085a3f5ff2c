import Link from "next/link";
import { createLoader, parseAsString, type SearchParams } from "nuqs/server";
import type { LiveAccuracyResult } from "@/server/domain/feedback-accuracy/live-accuracy";
import type { WeightedAccuracy } from "@/server/stats/feedback";
import { pageCaller } from "@/server/trpc/server-caller";
import { LiveAccuracyChart, type LiveAccuracyChartData } from "../../../../_components/charts/live-accuracy-chart";
import { formatMetric } from "../../../../_components/format";
import { Button, Card, PageHeader, Select, Table } from "../../../../_components/ui";

const loadParams = createLoader({ slice: parseAsString });

const estimate = (a: WeightedAccuracy | null) => (a ? formatMetric(a.estimate) : "not measured");
const interval = (a: WeightedAccuracy | null) =>
  a ? `[${formatMetric(a.interval[0])}, ${formatMetric(a.interval[1])}]` : "—";

function chartData(r: LiveAccuracyResult): LiveAccuracyChartData {
  const versions = r.versions.filter((v) => v.overall);
  return {
    versions: versions.map((v) => v.version),
    floor: r.floor?.floor ?? null,
    points: r.weeks.map((week, i) => {
      const point: LiveAccuracyChartData["points"][number] = { week };
      for (const v of versions) {
        const a = v.weeks[i]?.accuracy ?? null;
        point[`v${v.version}`] = a ? a.estimate : null;
        point[`v${v.version}band`] = a ? [a.interval[0], a.interval[1]] : null;
      }
      return point;
    }),
  };
}

/**
 * Live accuracy from reviewers' labels: per version and ISO week, weighted by each item's inverse sampling
 * probability (the queue over-samples hard items), with the 95 % interval and the requirement's floor.
 */
export default async function LiveAccuracyPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { name } = await params;
  const { slice: requested } = loadParams(await searchParams);
  const { api } = await pageCaller("registry:read");
  // A slice the model does not declare as categorical (an old link) shows the page without slices.
  const { features } = await api.features.list({ model: name });
  const slice = requested && features.some((f) => f.name === requested && f.kind === "categorical") ? requested : null;
  const r = await api.feedback.liveAccuracy({ model: name, slice });
  const floorText = r.floor
    ? `the active requirement set (v${r.floor.requirementSetVersion}) asks for accuracy of at least ${formatMetric(r.floor.floor)}`
    : "the active requirement set has no accuracy floor";
  return (
    <>
      <PageHeader
        title={`${name}: live accuracy`}
        subtitle="From reviewers' labels on production predictions. Each label is weighted by the inverse of the probability with which its item was sampled into the review queue (hard items are over-sampled), so the estimate speaks for all traffic; the interval is Wilson's at the design's effective sample size. The adjudicated label counts where labels conflicted."
      />
      {!r.measured ? (
        <Card>
          <p className="text-sm text-slate-600" data-testid="live-accuracy-empty">
            Accuracy: <strong>not measured</strong>. {name} is a regression model: accuracy is not defined for numeric
            predictions.
          </p>
        </Card>
      ) : r.totals.labeled === 0 ? (
        <Card>
          <p className="text-sm text-slate-600" data-testid="live-accuracy-empty">
            No labels yet. Live accuracy appears once reviewers label {name}&apos;s production predictions on the{" "}
            <Link href={`/review?model=${name}`}>review page</Link>
            {r.totals.conflicts > 0 ? ` (${r.totals.conflicts} items wait for adjudication)` : ""}; {floorText}.
          </p>
        </Card>
      ) : (
        <>
          <Card title="Per version">
            <p className="mb-2 text-sm text-slate-600" data-testid="live-accuracy-summary">
              {r.totals.labeled} labeled items count; {r.totals.conflicts} in unresolved conflict are left out until
              adjudicated
              {r.totals.awaiting > 0 ? `, ${r.totals.awaiting} await more labels` : ""}. Floor: {floorText}.
            </p>
            <Table label="Live accuracy per version">
              <thead>
                <tr>
                  <th>Version</th>
                  <th>Stage</th>
                  <th>Labels</th>
                  <th>Accuracy (weighted)</th>
                  <th>95 % interval</th>
                  <th>Floor</th>
                  <th>In conflict</th>
                </tr>
              </thead>
              <tbody>
                {r.versions.map((v) => (
                  <tr key={v.version} data-testid={`live-accuracy-v${v.version}`}>
                    <td>v{v.version}</td>
                    <td>{v.stage}</td>
                    <td className="tabular-nums" data-testid="labels">
                      {v.overall?.n ?? 0}
                    </td>
                    <td className="tabular-nums" data-testid="estimate">
                      {estimate(v.overall)}
                    </td>
                    <td className="text-xs tabular-nums">{interval(v.overall)}</td>
                    <td className="text-xs">
                      {!r.floor || !v.overall
                        ? "—"
                        : v.overall.interval[1] < r.floor.floor
                          ? "below (whole interval)"
                          : v.overall.interval[0] >= r.floor.floor
                            ? "met"
                            : "interval spans the floor"}
                    </td>
                    <td className="tabular-nums">{v.conflicts}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </Card>
          <Card title="Per week" className="mt-6">
            <LiveAccuracyChart data={chartData(r)} />
            <Table label="Live accuracy per version per week">
              <thead>
                <tr>
                  <th>Week</th>
                  {r.versions
                    .filter((v) => v.overall)
                    .map((v) => (
                      <th key={v.version}>v{v.version}: n, accuracy, 95 % interval</th>
                    ))}
                </tr>
              </thead>
              <tbody>
                {r.weeks.map((week, i) => (
                  <tr key={week}>
                    <td>{week}</td>
                    {r.versions
                      .filter((v) => v.overall)
                      .map((v) => {
                        const a = v.weeks[i]?.accuracy ?? null;
                        return (
                          <td key={v.version} className="text-xs tabular-nums">
                            {a ? `${a.n}, ${estimate(a)} ${interval(a)}` : "not measured"}
                          </td>
                        );
                      })}
                  </tr>
                ))}
              </tbody>
            </Table>
          </Card>
          <Card title="Per slice" className="mt-6">
            {r.categoricalFeatures.length === 0 ? (
              <p className="text-sm text-slate-500">
                {name} declares no categorical feature to slice by (see its{" "}
                <Link href={`/models/${name}/features`}>features</Link>).
              </p>
            ) : (
              <>
                <form className="mb-3 flex items-end gap-2" aria-label="Slice by feature">
                  <label className="text-sm">
                    <span className="mr-2">Feature</span>
                    <Select name="slice" defaultValue={slice ?? ""} aria-label="Slice feature">
                      <option value="">choose a categorical feature</option>
                      {r.categoricalFeatures.map((f) => (
                        <option key={f} value={f}>
                          {f}
                        </option>
                      ))}
                    </Select>
                  </label>
                  <Button type="submit" worksWithoutScript>
                    Show
                  </Button>
                </form>
                {r.slices && (
                  <Table label={`Live accuracy per ${r.slices.feature}`}>
                    <thead>
                      <tr>
                        <th>{r.slices.feature}</th>
                        {r.versions.map((v) => (
                          <th key={v.version}>v{v.version}: n, accuracy, 95 % interval</th>
                        ))}
                      </tr>
                    </thead>
                    <tbody>
                      {r.slices.values.map((s) => (
                        <tr key={s.value}>
                          <td>{s.value}</td>
                          {s.versions.map((v) => (
                            <td key={v.version} className="text-xs tabular-nums">
                              {v.accuracy
                                ? `${v.accuracy.n}, ${estimate(v.accuracy)} ${interval(v.accuracy)}`
                                : "not measured"}
                            </td>
                          ))}
                        </tr>
                      ))}
                    </tbody>
                  </Table>
                )}
              </>
            )}
          </Card>
        </>
      )}
    </>
  );
}
