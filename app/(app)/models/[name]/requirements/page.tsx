import { createLoader, parseAsInteger, type SearchParams } from "nuqs/server";
import { pageCaller } from "@/server/trpc/server-caller";
import { boundName, boundPhrase } from "@/server/domain/requirements/wording";
import type { SetDiffRow } from "@/server/domain/requirements/compare";
import { shapeOf } from "@/server/domain/requirements/sets";
import { pageNumber, tableParams } from "../../../../_components/list-params";
import { HistoryTable } from "./history-table";
import { ago } from "../../../../_components/format";
import { Badge, Button, Card, PageHeader, Select, Table } from "../../../../_components/ui";
import { AcceptSuggestion } from "./accept-suggestion";
import { DecideLoosening } from "./decide-loosening";
import { ProposeSetForm } from "./propose-set-form";

const loadParams = createLoader({ page: tableParams.page, a: parseAsInteger, b: parseAsInteger });
const HISTORY_PAGE_SIZE = 10;
const setNumber = (n: number | null) => (n !== null && n >= 1 && n <= 2_147_483_647 ? n : undefined);

export default async function RequirementsPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { name } = await params;
  const { page, a, b } = loadParams(await searchParams);
  const { api, can, principal } = await pageCaller("registry:read");
  const [history, suggestions, reviews] = await Promise.all([
    // The table shows one page; the active set and the diff are read whatever page that is.
    api.requirements.history({
      model: name,
      offset: (pageNumber(page) - 1) * HISTORY_PAGE_SIZE,
      limit: HISTORY_PAGE_SIZE,
      a: setNumber(a),
      b: setNumber(b),
    }),
    api.requirements.suggestions({ model: name }),
    api.requirements.pending(),
  ]);
  const { sets, active, diff, versions } = history;
  // The pending loosening as a manager must judge it: against the set active now, flagged when stale.
  const pending = reviews.find((s) => s.model === name) ?? null;
  const activeShape = active ? shapeOf(active) : null;
  return (
    <>
      <PageHeader
        title={`${name}: performance requirements`}
        subtitle="Agreed before release and used as the gate. Tightening takes effect at once; loosening waits for a manager."
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title={active ? `Active set v${active.version}` : "No requirements yet"}>
          {active ? (
            <>
              <p className="mb-2 text-sm text-slate-600">
                Primary metric <strong>{active.primaryMetric}</strong> · required reports:{" "}
                {active.requiredReportKinds.join(", ") || "none"}
                {" · "}evidence: at least <span data-testid="min-outcomes">{active.minOutcomes}</span> outcomes per
                report, {active.minAucClassCount} of each class for AUC
                {" · "}margins vs champion:{" "}
                <span data-testid="margins">
                  {Object.entries(active.comparisonMargins)
                    .map(([m, v]) => `${m} ${v}`)
                    .join(", ") || "defaults"}
                </span>
              </p>
              <Table label="Active requirements">
                <thead>
                  <tr>
                    <th>Metric</th>
                    <th>Required</th>
                    <th>Target</th>
                    <th>Applies to</th>
                    <th>Slice</th>
                  </tr>
                </thead>
                <tbody>
                  {active.requirements.map((r) => (
                    <tr key={r.id}>
                      <td className="font-mono text-xs">
                        {r.metric} {r.direction === "higher" ? "≥" : "≤"}
                      </td>
                      <td>
                        {boundPhrase(r.direction, "")}
                        <span data-testid={`floor-${r.metric}`}>{r.floor}</span>{" "}
                        <span className="text-xs text-slate-500">({boundName(r.direction)})</span>
                      </td>
                      <td>{r.target ?? "—"}</td>
                      <td>{r.reportKinds.join(", ") || "all reports"}</td>
                      <td>{r.slice || "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
              <p className="mt-2 text-xs text-slate-500">
                {active.rationale} — {active.proposedByLabel}, {ago(active.proposedAt)}
              </p>
            </>
          ) : (
            <p className="text-sm text-slate-600">
              Releases of {name} cannot pass the gate until requirements are agreed.
            </p>
          )}
        </Card>
        <div className="space-y-6">
          {pending && (
            <Card title={`Loosening waiting for a manager: set v${pending.version}`}>
              {pending.stale && (
                <p
                  className="mb-2 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900"
                  data-testid="stale-loosening"
                >
                  Stale: the active requirements changed since this was proposed (now set v
                  {pending.activeVersion ?? "—"}). It cannot be approved; reject it and ask for a fresh proposal against
                  the active set.
                </p>
              )}
              <p className="text-xs font-medium text-slate-500">
                Against the active set{pending.activeVersion ? ` v${pending.activeVersion}` : ""}, it:
              </p>
              <ul className="mb-2 list-disc pl-5 text-sm" data-testid="pending-loosens">
                {pending.loosensNow.map((l) => (
                  <li key={l}>{l}</li>
                ))}
              </ul>
              {pending.diffNow.some((d) => d.change !== "same") && (
                <SetDiffTable
                  label="Pending set against the active set"
                  rows={pending.diffNow.filter((d) => d.change !== "same")}
                  before={`active v${pending.activeVersion ?? ""}`}
                  after={`proposed v${pending.version}`}
                />
              )}
              <p className="mt-2 mb-3 text-xs text-slate-500">
                “{pending.rationale}” — {pending.proposedByLabel}
              </p>
              {can("requirements:decide") && (principal.kind !== "user" || principal.id !== pending.proposedBy) ? (
                <DecideLoosening setId={pending.id} stale={pending.stale} />
              ) : (
                <p className="text-sm text-slate-600" data-testid="awaiting-manager">
                  Awaiting a manager other than the proposer.
                </p>
              )}
            </Card>
          )}
          {suggestions.length > 0 && activeShape && (
            <Card title="Ratchet suggests tightening">
              <ul className="space-y-2 text-sm">
                {suggestions.map((s) => (
                  <li key={`${s.metric}|${s.slice}`} className="flex items-center justify-between gap-3">
                    <span>
                      {s.metric}
                      {s.slice && ` [${s.slice}]`}: {boundName(s.direction)} {s.currentFloor} →{" "}
                      <strong>{s.suggestedFloor}</strong> <span className="text-slate-500">({s.evidence})</span>
                    </span>
                    {can("requirements:propose") && (
                      <AcceptSuggestion model={name} current={activeShape} suggestion={s} />
                    )}
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </div>
      </div>
      {can("requirements:propose") && (
        <Card title="Propose a new set" className="mt-6">
          <ProposeSetForm model={name} current={activeShape} />
        </Card>
      )}
      <Card title="History" className="mt-6">
        <HistoryTable sets={sets} total={history.total} pageSize={HISTORY_PAGE_SIZE} />
        {versions.length > 1 && (
          <form className="mt-4 flex items-center gap-2 text-sm" aria-label="Compare requirement sets">
            <input type="hidden" name="page" value={pageNumber(page) > 1 ? pageNumber(page) : undefined} />
            Compare{" "}
            <Select name="a" defaultValue={diff?.from} aria-label="From set">
              {versions.map((v) => (
                <option key={v} value={v}>
                  v{v}
                </option>
              ))}
            </Select>
            with{" "}
            <Select name="b" defaultValue={diff?.to} aria-label="To set">
              {versions.map((v) => (
                <option key={v} value={v}>
                  v{v}
                </option>
              ))}
            </Select>
            <Button type="submit" worksWithoutScript variant="secondary">
              Show diff
            </Button>
          </form>
        )}
        {diff && (
          <SetDiffTable label="Requirement set diff" rows={diff.rows} before={`v${diff.from}`} after={`v${diff.to}`} />
        )}
      </Card>
    </>
  );
}

const changeTone = (change: SetDiffRow["change"]) =>
  change === "loosened" || change === "removed"
    ? "revoked"
    : change === "tightened" || change === "added"
      ? "champion"
      : "retired";
const bound = (r: SetDiffRow["before"]) => (r ? boundPhrase(r.direction, r.floor) : "—");

/** Two requirement sets side by side, one row per requirement: the history diff and a pending loosening. */
function SetDiffTable({
  label,
  rows,
  before,
  after,
}: {
  label: string;
  rows: SetDiffRow[];
  before: string;
  after: string;
}) {
  return (
    <Table label={label}>
      <thead>
        <tr>
          <th>Requirement</th>
          <th>Change</th>
          <th>{before}</th>
          <th>{after}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.requirement}>
            <td className="font-mono text-xs">{d.requirement}</td>
            <td>
              <Badge tone={changeTone(d.change)}>{d.change}</Badge>
            </td>
            <td>{bound(d.before)}</td>
            <td>{bound(d.after)}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
