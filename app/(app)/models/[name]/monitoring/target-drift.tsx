import type { TargetDrift, TargetWeek } from "@/server/domain/monitoring/target-drift";
import { formatMetric } from "../../../../_components/format";
import { Table } from "../../../../_components/ui";

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const day = (d: Date) => d.toISOString().slice(0, 10);

function shares(counts: Record<string, number> | null, mean: number | null, labels: number): string {
  if (counts)
    return Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([label, n]) => `${label} ${pct(n / Math.max(labels, 1))}`)
      .join(", ");
  return mean === null ? "—" : `mean ${formatMetric(mean)}`;
}

function verdict(w: TargetWeek, minLabels: number, hasReference: boolean) {
  if (w.isReference) return <span className="text-slate-600">reference</span>;
  if (!w.drift || w.drift.drifted === null)
    return (
      <span className="text-slate-600">
        {!hasReference ? "no reference" : w.labels < minLabels ? "not enough labels" : "not measured"}
      </span>
    );
  const d = w.drift;
  const figure =
    d.pValue !== null
      ? `${d.method} p = ${d.pValue.toPrecision(3)} (drift when ≤ ${d.threshold})`
      : `${d.method} ${formatMetric(d.statistic ?? 0)} (drift when ≥ ${d.threshold})`;
  return (
    <span>
      <strong className={d.drifted ? "text-red-800" : "text-emerald-800"}>{d.drifted ? "Drift" : "No drift"}</strong>:{" "}
      {figure}
    </span>
  );
}

/**
 * The distribution of reviewers' resolved labels per week against a reference target distribution, judged by
 * the drift engine. Says plainly when there are no labels yet, or too few to judge.
 */
export function TargetDriftPanel({ target, version }: { target: TargetDrift; version: number | null }) {
  if (target.status === "no_labels")
    return (
      <p className="text-sm text-slate-600" data-testid="target-no-labels">
        <strong className="text-slate-800">No labels yet.</strong> Target drift compares the labels reviewers give in
        the review queue, week by week, with the reference&apos;s target; it is measured once labels arrive.
      </p>
    );
  const ref = target.reference;
  const newest = [...target.weeks].reverse().find((w) => w.drift !== null) ?? null;
  return (
    <div className="space-y-3" data-testid="target-drift" data-status={target.status}>
      <p className="text-sm text-slate-700" data-testid="target-reference">
        {ref?.source === "reference_data" ? (
          <>
            Reference: the <code>target</code> column of v{version}&apos;s reference data
            {ref.fileName ? ` (${ref.fileName})` : ""}, {ref.labels.toLocaleString("en")} labels
            {ref.counts ? `: ${shares(ref.counts, null, ref.labels)}` : ""}.
          </>
        ) : ref ? (
          <>
            Reference: the earliest labeled week with at least {target.minLabels} labels (week of {day(ref.start)},{" "}
            {ref.labels.toLocaleString("en")} labels), because {version ? `v${version}'s` : "the"} reference data
            declares no <code>target</code> column.
          </>
        ) : (
          <>
            No reference yet: {version ? `v${version}'s` : "the"} reference data declares no <code>target</code> column
            and no week has {target.minLabels} labels to serve as one.
          </>
        )}
      </p>
      {target.status === "not_enough" ? (
        <p className="text-sm text-slate-600" data-testid="target-not-enough">
          <strong className="text-slate-800">Not enough labels.</strong> {target.totalLabels.toLocaleString("en")}{" "}
          resolved {target.totalLabels === 1 ? "label" : "labels"} so far; a week is judged once it has at least{" "}
          {target.minLabels}
          {ref ? "" : ", and a reference is needed"}.
        </p>
      ) : (
        newest?.drift && (
          <p className="text-sm text-slate-700" data-testid="target-verdict">
            Newest judged week ({day(newest.start)}): {verdict(newest, target.minLabels, ref !== null)}.
          </p>
        )
      )}
      <Table label="Target drift per week">
        <thead>
          <tr>
            <th>Week of</th>
            <th>Labels</th>
            <th>{target.type === "categorical" ? "Label shares" : "Labels"}</th>
            <th>Against the reference</th>
          </tr>
        </thead>
        <tbody>
          {target.weeks.map((w) => (
            <tr key={w.start.toISOString()} data-testid={`target-week-${day(w.start)}`}>
              <td className="tabular-nums">{day(w.start)}</td>
              <td className="tabular-nums">{w.labels.toLocaleString("en")}</td>
              <td className="text-xs">{shares(w.counts, w.mean, w.labels)}</td>
              <td className="text-xs">{verdict(w, target.minLabels, ref !== null)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <p className="text-xs text-slate-500">
        Resolved labels (the adjudicated one where reviewers disagreed; gold items left out), by the week of the
        prediction they judge. They come from the review queue, which favours the predictions its policy selects (low
        confidence, disagreements) besides its random share, so a shift can also mean the queue changed.
      </p>
    </div>
  );
}
