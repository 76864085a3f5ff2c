import Link from "next/link";
import type { CompareVersionsResult } from "@/server/domain/compare/compare-versions";
import { ConfigDiffTable } from "../../../../_components/config-diff";
import { formatMetric } from "../../../../_components/format";
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

export function OnlineEvidencePanel({ online }: { online: R["online"] }) {
  return (
    <Card title="Online evidence">
      <div data-testid="online-evidence">
        {!online || online.arms.length === 0 ? (
          <p className="text-sm text-slate-600">
            No labeled shadow or canary traffic for these versions yet. Once reviewers label predictions served in
            shadow or canary, this panel shows each arm&apos;s accuracy on live traffic with a 95 % Wilson interval.
          </p>
        ) : (
          <Table label="Accuracy per traffic arm">
            <thead>
              <tr>
                <th>Arm</th>
                <th>Version</th>
                <th>Labeled</th>
                <th>Accuracy [95 % Wilson]</th>
              </tr>
            </thead>
            <tbody>
              {online.arms.map((arm) => (
                <tr key={arm.arm}>
                  <td>{arm.arm}</td>
                  <td>v{arm.version}</td>
                  <td className="tabular-nums">{arm.labeled.toLocaleString("en")}</td>
                  <td className="font-mono text-xs">
                    {formatMetric(arm.accuracy)} [{formatMetric(arm.ci[0])}, {formatMetric(arm.ci[1])}]
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
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
        <Button type="submit" variant="secondary">
          Apply margins
        </Button>
      </form>
    </Card>
  );
}
