import Link from "next/link";
import type { getReferenceView } from "@/server/domain/references/queries";
import { ago, when } from "../../../../../_components/format";
import { Badge, Card, Table } from "../../../../../_components/ui";
import { DeclareFeaturesButton, UploadReferenceForm, WindowReferenceForm } from "./reference-forms";

type View = Awaited<ReturnType<typeof getReferenceView>>;

const percent = (x: number) => `${(x * 100).toFixed(x > 0 && x < 0.01 ? 2 : 1)} %`;

function categoriesLabel(categories: string[] | null, distinct: number | null) {
  if (categories === null)
    return distinct === null ? "—" : `${distinct.toLocaleString("en")} values (too many to list)`;
  const shown = categories.slice(0, 6).join(", ");
  return categories.length > 6 ? `${shown} … (${categories.length})` : shown;
}

function sourceLabel(r: NonNullable<View["current"]>) {
  return r.source === "upload"
    ? `uploaded ${r.fileName ? `“${r.fileName}”` : "sample"}`
    : `production traffic ${when(r.windowFrom)} → ${when(r.windowTo)}`;
}

/**
 * The version's reference data (what drift is measured against), the features proposed from it, and for
 * a data scientist the ways to set it: a file, or a window of the version's own traffic.
 */
export function ReferenceCard({
  model,
  version,
  view,
  canSet,
  canDeclare,
}: {
  model: string;
  version: number;
  view: View;
  canSet: boolean;
  canDeclare: boolean;
}) {
  const current = view.current;
  const proposal = view.proposal;
  const toDeclare = proposal?.features.filter((f) => f.status !== "unchanged").length ?? 0;
  return (
    <Card title="Reference data" className="mt-6">
      <div className="space-y-4" data-testid="reference-data">
        {current ? (
          <p className="text-sm" data-testid="reference-summary">
            <strong>{current.rowCount.toLocaleString("en")} rows</strong>, {sourceLabel(current)}, set{" "}
            <span title={when(current.createdAt)}>{ago(current.createdAt)}</span>
            {current.createdBy && <> by {current.createdBy}</>}.{" "}
            {current.profile?.hasPrediction ? "With the model's outputs" : "Without outputs"}
            {current.profile?.hasTarget ? " and true targets." : "."}
          </p>
        ) : (
          <p className="text-sm text-slate-500" data-testid="reference-summary">
            No reference data yet: drift cannot be measured for this version until a training sample or a window of its
            traffic is set.
          </p>
        )}
        {proposal && (
          <div className="space-y-2">
            <h3 className="text-sm font-semibold text-slate-800">
              Proposed features{" "}
              <span className="font-normal text-slate-500">
                — from this reference, against the {view.declaredCount} the model declares (
                <Link href={`/models/${model}/features`}>features</Link>)
              </span>
            </h3>
            <Table label="Proposed features">
              <thead>
                <tr>
                  <th>Feature</th>
                  <th>Kind</th>
                  <th>Categories</th>
                  <th>Missing</th>
                  <th>Declared</th>
                </tr>
              </thead>
              <tbody>
                {proposal.features.map((f) => (
                  <tr key={f.name} data-testid={`proposed-${f.name}`}>
                    <td className="font-mono text-xs">{f.name}</td>
                    <td>{f.kind}</td>
                    <td className="text-xs">{categoriesLabel(f.categories, f.distinct)}</td>
                    <td>{percent(f.missingShare)}</td>
                    <td>
                      {f.status === "new" ? (
                        <Badge tone="pending">not declared</Badge>
                      ) : f.status === "changed" ? (
                        <span className="text-xs">{f.changes.join("; ")}</span>
                      ) : (
                        <span className="text-xs text-slate-500">as declared</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
            {proposal.undetermined.length > 0 && (
              <p className="text-xs text-slate-500">
                Not proposed (every value missing, so the kind cannot be told): {proposal.undetermined.join(", ")}.
              </p>
            )}
            {proposal.notInReference.length > 0 && (
              <p className="text-xs text-slate-500">
                Declared but not in this reference (they stay declared): {proposal.notInReference.join(", ")}.
              </p>
            )}
            {canDeclare && toDeclare > 0 && <DeclareFeaturesButton model={model} version={version} count={toDeclare} />}
          </div>
        )}
        {view.previous.length > 0 && (
          <details className="text-sm">
            <summary className="cursor-pointer text-slate-600">Replaced references ({view.previous.length})</summary>
            <ul className="mt-2 list-disc pl-5 text-xs">
              {view.previous.map((p) => (
                <li key={p.id}>
                  {p.rowCount.toLocaleString("en")} rows,{" "}
                  {p.source === "upload" ? (p.fileName ?? "uploaded") : "window"}, set {when(p.createdAt)}, replaced{" "}
                  {when(p.replacedAt)}
                </li>
              ))}
            </ul>
          </details>
        )}
        {canSet && (
          <div className="grid gap-6 border-t border-slate-100 pt-4 lg:grid-cols-2">
            <UploadReferenceForm model={model} version={version} />
            <WindowReferenceForm model={model} version={version} />
          </div>
        )}
      </div>
    </Card>
  );
}
