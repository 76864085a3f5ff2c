import Link from "next/link";
import type { CheckResult, GateResult } from "@/server/domain/gate/gate";
import { detailTable, type Cell } from "./gate-details";
import { MetricName } from "./metric-name";
import { Badge, type BadgeVariant } from "./ui";

const variant: Record<GateResult["status"], BadgeVariant> = { pass: "met", fail: "missed", insufficient: "warning" };
const label = { pass: "pass", fail: "fail", insufficient: "not enough evidence" } as const;

export function GateStatus({ status }: { status: GateResult["status"] }) {
  return <Badge variant={variant[status]}>{label[status]}</Badge>;
}

function DetailCell({ cell }: { cell: Cell }) {
  switch (cell.kind) {
    case "verdict":
      return <Badge variant={cell.verdict}>{cell.text}</Badge>;
    case "metric":
      return <MetricName name={cell.metric} />;
    case "link":
      return <Link href={cell.href}>{cell.text}</Link>;
    case "text":
      return <span className={cell.mono ? "font-mono whitespace-nowrap" : undefined}>{cell.text}</span>;
  }
}

/** The numbers behind a check, as a table with headers in words (see gate-details.ts). */
function Details({ check }: { check: CheckResult }) {
  if (check.details.length === 0) return null;
  const table = detailTable(check);
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-xs text-indigo-700">
        the numbers behind it ({check.details.length})
      </summary>
      <div className="mt-1 overflow-x-auto">
        <table
          aria-label={`${check.name}: details`}
          className="w-full text-xs [&_td]:border-t [&_td]:border-slate-100 [&_td]:px-2 [&_td]:py-1 [&_td]:align-top [&_th]:px-2 [&_th]:py-1 [&_th]:text-left [&_th]:font-medium [&_th]:whitespace-nowrap [&_th]:text-slate-600"
        >
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c.key} scope="col">
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) => (
                  <td key={table.columns[j]!.key}>
                    <DetailCell cell={cell} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** The evidence a check used, as the gate names it (report, kind, dataset, n, computed or posted). */
function EvidenceUsed({ check }: { check: CheckResult }) {
  const used = [...new Set(check.details.map((d) => d.evidence).filter((e): e is string => typeof e === "string"))];
  if (used.length === 0) return null;
  return (
    <div className="mt-1 text-xs text-slate-600" data-testid={`evidence-${check.id}`}>
      Evidence: {used.slice(0, 3).join("; ")}
      {used.length > 3 && ` and ${used.length - 3} more`}
    </div>
  );
}

/** The gate as a list of named checks, each with its verdict, a one-line summary and the numbers. */
export function GateView({ gate, testId = "gate" }: { gate: GateResult; testId?: string }) {
  return (
    <div data-testid={testId}>
      <p className="mb-3 text-sm">
        Gate:{" "}
        <span data-testid={`${testId}-status`}>
          <GateStatus status={gate.status} />
        </span>
      </p>
      <ul className="space-y-2">
        {gate.checks.map((c) => (
          <li key={c.id} className="rounded-md border border-slate-100 p-2" data-testid={`check-${c.id}`}>
            <div className="flex items-start gap-2 text-sm">
              <GateStatus status={c.status} />
              <div>
                <div className="font-medium">{c.name}</div>
                <div className="text-slate-600">{c.summary}</div>
                <EvidenceUsed check={c} />
              </div>
            </div>
            <Details check={c} />
          </li>
        ))}
      </ul>
    </div>
  );
}
