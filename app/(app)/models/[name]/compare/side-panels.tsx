import Link from "next/link";
import type { CompareVersionsResult } from "@/server/domain/compare/compare-versions";
import { ConfigDiffTable } from "../../../../_components/config-diff";
import { formatMetric, when } from "../../../../_components/format";
import { GateStatus } from "../../../../_components/gate-view";
import { Badge, Button, Card, Input, Table } from "../../../../_components/ui";

/** The cards beside the metric tables: requirement status, latency and size, config diff, online evidence, margins. */
type R = CompareVersionsResult;

export function RequirementsPanel({
  model,
  a,
  b,
  set,
}: {
  model: string;
  a: R["a"];
  b: R["b"];
  set: R["requirementSet"];
}) {
  return (
    <Card title={set ? `Requirements (set v${set.version})` : "Requirements"}>
      <ul className="space-y-2 text-sm" data-testid="requirement-status">
        {[a, b].map((v) => (
          <li key={v.version} className="flex items-start gap-2">
            <GateStatus status={v.requirements.status} />
            <span>
              <Link href={`/models/${model}/versions/${v.version}/reports`} className="font-medium">
                v{v.version}
              </Link>{" "}
              <Badge>{v.stage}</Badge> <span className="text-slate-600">{v.requirements.summary}</span>
            </span>
          </li>
        ))}
      </ul>
    </Card>
  );
}

export function OperationalPanel({ rows, a, b }: { rows: R["operational"]; a: number; b: number }) {
  return (
    <Card title="Latency and size">
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">Neither version reports latency or size.</p>
      ) : (
        <Table label="Latency and size">
          <thead>
            <tr>
              <th>Metric</th>
              <th>v{a}</th>
              <th>v{b}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.metric}>
                <td className="font-medium">{r.metric}</td>
                {[r.a, r.b].map((x, i) => (
                  <td key={i} className="font-mono text-xs">
                    {x ? (
                      <>
                        {formatMetric(x.value)} <span className="text-slate-500">({x.kind})</span>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </Card>
  );
}

export function ConfigDiffPanel({ config }: { config: R["config"] }) {
  return (
    <Card title={`Config and coefficients: v${config.from} → v${config.to}`}>
      <ConfigDiffTable title="config" changes={config.config} from={config.from} to={config.to} />
      {config.hyperparameters.length > 0 && (
        <ConfigDiffTable title="hyper-parameters" changes={config.hyperparameters} from={config.from} to={config.to} />
      )}
    </Card>
  );
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const ms = (x: number | null) => (x === null ? "not measured" : `${formatMetric(x)} ms`);

/** Each arm's output: class shares, or the mean and percentiles of a regression's numbers. */
function OutputCell({
  output,
}: {
  output: NonNullable<NonNullable<R["online"]>["traffic"]>["arms"][number]["output"];
}) {
  if (output.kind === "classes")
    return (
      <>
        {Object.entries(output.shares)
          .map(([label, share]) => `${label}: ${pct(share)}`)
          .join(", ") || "—"}
      </>
    );
  return (
    <>
      mean {output.mean === null ? "—" : formatMetric(output.mean)}, p50{" "}
      {output.p50 === null ? "—" : formatMetric(output.p50)}, p95 {output.p95 === null ? "—" : formatMetric(output.p95)}
    </>
  );
}

const interval = (ci: readonly [number, number]) => `[${formatMetric(ci[0])}, ${formatMetric(ci[1])}]`;
const signed = (x: number) => `${x > 0 ? "+" : x < 0 ? "−" : "±"}${formatMetric(Math.abs(x))}`;

/** Both versions' labeled accuracy on the requests both answered, with the paired difference. */
function SharedAccuracy({ shared }: { shared: NonNullable<R["online"]>["shared"] }) {
  if (!shared || !shared.difference || !shared.a || !shared.b)
    return (
      <p className="text-sm text-slate-600" data-testid="online-accuracy">
        Labeled accuracy on shared traffic: <strong>not measured</strong>.{" "}
        {shared === null
          ? "Accuracy is not defined for a regression model."
          : "It appears once reviewers label requests that both versions answered (the human feedback queue)."}
        {shared && shared.unmatched > 0
          ? ` ${shared.unmatched} labeled requests were answered by one version only.`
          : ""}
        {shared && shared.conflicts > 0 ? ` ${shared.conflicts} items wait for adjudication.` : ""}
      </p>
    );
  const d = shared.difference;
  return (
    <div className="space-y-2" data-testid="online-accuracy">
      <Table label="Labeled accuracy on shared traffic">
        <thead>
          <tr>
            <th>Version</th>
            <th>Labeled requests</th>
            <th>Accuracy (weighted)</th>
            <th>95 % interval</th>
          </tr>
        </thead>
        <tbody>
          {[shared.a, shared.b].map((s) => (
            <tr key={s.version}>
              <td>v{s.version}</td>
              <td className="tabular-nums">{s.accuracy.n}</td>
              <td className="tabular-nums">{formatMetric(s.accuracy.estimate)}</td>
              <td className="text-xs tabular-nums">{interval(s.accuracy.interval)}</td>
            </tr>
          ))}
        </tbody>
      </Table>
      <p className="text-sm" data-testid="online-accuracy-difference">
        v{shared.b.version} − v{shared.a.version}: <strong>{signed(d.estimate)}</strong> accuracy, 95 % interval{" "}
        {interval(d.interval)}
        {d.interval[0] > 0 ? " (better)" : d.interval[1] < 0 ? " (worse)" : " (no detectable difference)"}.
      </p>
      <p className="text-xs text-slate-500">
        On {shared.labeled} labeled requests both versions answered, each weighted by the inverse of its sampling
        probability; the interval is a {d.method}.
        {shared.unmatched > 0 ? ` ${shared.unmatched} labeled requests answered by one version only are left out.` : ""}
        {shared.conflicts > 0 ? ` ${shared.conflicts} items in unresolved conflict are left out.` : ""}
      </p>
    </div>
  );
}

export function OnlineEvidencePanel({ online }: { online: R["online"] }) {
  const traffic = online?.traffic ?? null;
  return (
    <Card title="Online evidence">
      <div data-testid="online-evidence" className="space-y-3">
        {!traffic ? (
          <p className="text-sm text-slate-600">
            No shadow or canary traffic logged for the challenger yet. Once production services post its shadow or
            canary predictions (POST /api/v1/predictions with <code>arm</code> set), this panel shows each arm&apos;s
            outputs, latency and how often it disagrees with the champion on the same requests.
          </p>
        ) : (
          <>
            <p className="text-xs text-slate-500">
              Production traffic from {when(traffic.window.from)} to {when(traffic.window.to)} (the last{" "}
              {Math.round((traffic.window.to.getTime() - traffic.window.from.getTime()) / 3_600_000)} hours up to the
              challenger&apos;s newest prediction).
            </p>
            <Table label="Traffic per arm">
              <thead>
                <tr>
                  <th>Arm</th>
                  <th>Version</th>
                  <th>Predictions</th>
                  <th>Output</th>
                  <th>Latency p50 / p95</th>
                </tr>
              </thead>
              <tbody>
                {traffic.arms.map((arm) => (
                  <tr key={`${arm.arm}-${arm.version}`} data-testid={`online-arm-${arm.arm}`}>
                    <td>{arm.arm}</td>
                    <td>v{arm.version}</td>
                    <td className="tabular-nums">{arm.rows.toLocaleString("en")}</td>
                    <td className="text-xs">
                      <OutputCell output={arm.output} />
                    </td>
                    <td className="text-xs tabular-nums">
                      {ms(arm.latency.p50)} / {ms(arm.latency.p95)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
            <Table label="Agreement with the champion on the same requests">
              <thead>
                <tr>
                  <th>Arm</th>
                  <th>Same requests</th>
                  <th>Disagreement</th>
                </tr>
              </thead>
              <tbody>
                {traffic.agreement.map((g) => (
                  <tr key={g.arm} data-testid={`online-agreement-${g.arm}`}>
                    <td>{g.arm}</td>
                    <td className="tabular-nums">{g.matched.toLocaleString("en")}</td>
                    <td className="text-xs">
                      {g.matched === 0
                        ? "not measured: no request answered by both versions"
                        : g.disagreementRate !== null
                          ? `${pct(g.disagreementRate)} (${g.disagreements} of ${g.matched}) [95 % Wilson ${pct(g.ci![0])}, ${pct(g.ci![1])}]`
                          : `mean |difference| ${g.meanAbsDifference === null ? "—" : formatMetric(g.meanAbsDifference)}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </>
        )}
        <SharedAccuracy shared={online?.shared ?? null} />
      </div>
    </Card>
  );
}

/** A plain GET form: margins travel in the query string (?margin.auc=0.01), so a comparison can be shared. */
export function MarginsForm({ settings, keep }: { settings: R["settings"]; keep: Record<string, string> }) {
  return (
    <Card title="Non-inferiority margins">
      <form className="space-y-3" aria-label="Non-inferiority margins">
        {Object.entries(keep).map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <div className="grid grid-cols-5 gap-2">
          {Object.entries(settings.margins).map(([metric, value]) => (
            <label key={metric} className="text-xs text-slate-600">
              {metric}
              <Input
                name={`margin.${metric}`}
                type="number"
                min={0}
                step="any"
                defaultValue={value}
                aria-label={`margin ${metric}`}
              />
            </label>
          ))}
        </div>
        <p className="text-xs text-slate-500">
          How much worse, in the metric&apos;s units, the challenger may be before it is called worse. Defaults: 0.005
          for accuracy, F1 and AUC; 0 otherwise. Not yet stored per model.
        </p>
        <Button type="submit" worksWithoutScript variant="secondary">
          Apply margins
        </Button>
      </form>
    </Card>
  );
}
