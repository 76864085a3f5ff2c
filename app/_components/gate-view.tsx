import type { CheckResult, GateResult } from "@/server/domain/gate/gate";
import { boundPhrase, type Direction } from "@/server/domain/requirements/wording";
import { Badge } from "./ui";

const tone = { pass: "champion", fail: "revoked", insufficient: "challenger" } as const;
const label = { pass: "pass", fail: "fail", insufficient: "not enough evidence" } as const;

export function GateStatus({ status }: { status: GateResult["status"] }) {
  return <Badge tone={tone[status]}>{label[status]}</Badge>;
}

const fmt = (x: unknown) => (typeof x === "number" ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(4).replace(/0+$/, "").replace(/\.$/, "")) : x === null || x === undefined ? "—" : String(x));

function Details({ check }: { check: CheckResult }) {
  if (check.details.length === 0) return null;
  const columns = [...new Set(check.details.flatMap((d) => Object.keys(d)))].filter((c) => !["reportId", "status"].includes(c));
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-xs text-indigo-700">the numbers behind it ({check.details.length})</summary>
      <table className="mt-1 w-full text-xs [&_td]:px-2 [&_td]:py-0.5 [&_th]:px-2 [&_th]:text-left [&_th]:font-medium [&_th]:text-slate-500">
        <thead><tr>{check.details.some((d) => "status" in d) && <th>status</th>}{columns.map((c) => <th key={c}>{c === "floor" ? "required" : c}</th>)}</tr></thead>
        <tbody>
          {check.details.map((d, i) => (
            <tr key={i}>
              {"status" in d && <td><GateStatus status={d.status as GateResult["status"]} /></td>}
              {columns.map((c) => (
                <td key={c} className="font-mono">
                  {/* A lower-is-better bound is a ceiling: "at most", never a floor. */}
                  {c === "floor" && typeof d.floor === "number" ? boundPhrase(d.direction as Direction, fmt(d.floor)) : fmt(d[c])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

/** The evidence a check used, as the gate names it (report, kind, dataset, n, computed or posted). */
function EvidenceUsed({ check }: { check: CheckResult }) {
  const used = [...new Set(check.details.map((d) => d.evidence).filter((e): e is string => typeof e === "string"))];
  if (used.length === 0) return null;
  return (
    <div className="mt-1 text-xs text-slate-500" data-testid={`evidence-${check.id}`}>
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
        Gate: <span data-testid={`${testId}-status`}><GateStatus status={gate.status} /></span>
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
