"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { SetShape } from "@/server/domain/requirements/compare";
import type { TighteningSuggestion } from "@/server/domain/requirements/suggestions";
import { fieldErrors, FormError, useTRPC } from "../../../../_components/trpc";
import { Button, Field, Input, Select, Textarea } from "../../../../_components/ui";

const KINDS = ["regression", "backtest", "nowtest", "holdout", "online"] as const;
const MARGIN_METRICS = ["accuracy", "f1", "auc", "rmse", "mae"] as const;
type Kind = (typeof KINDS)[number];
type Row = SetShape["requirements"][number];

function useRefreshMutation() {
  const trpc = useTRPC();
  const router = useRouter();
  return useMutation(trpc.requirements.propose.mutationOptions({ onSuccess: () => router.refresh() }));
}

export function ProposeSetForm({ model, current }: { model: string; current: SetShape | null }) {
  const propose = useRefreshMutation();
  const [rows, setRows] = useState<Row[]>(current?.requirements ?? [{ metric: "auc", direction: "higher", floor: 0.7, target: null, reportKinds: [], slice: "" }]);
  const [kinds, setKinds] = useState<string[]>(current?.requiredReportKinds ?? []);
  const [margins, setMargins] = useState<Record<string, string>>(
    Object.fromEntries(Object.entries(current?.comparisonMargins ?? {}).map(([k, v]) => [k, String(v)])),
  );
  const update = (i: number, patch: Partial<Row>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const errors = fieldErrors(propose.error);
  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        propose.mutate({
          model,
          primaryMetric: String(f.get("primaryMetric")),
          requiredReportKinds: kinds as Kind[],
          requirements: rows.map((r) => ({ ...r, reportKinds: r.reportKinds as Kind[] })),
          comparisonMargins: Object.fromEntries(Object.entries(margins).filter(([, v]) => v.trim() !== "").map(([k, v]) => [k, Number(v)])),
          minOutcomes: Number(f.get("minOutcomes")),
          minAucClassCount: Number(f.get("minAucClassCount")),
          rationale: String(f.get("rationale")),
        });
      }}
    >
      <FormError error={propose.error} fields={["primaryMetric", "rationale", "requirements", "minOutcomes", "minAucClassCount"]} />
      {propose.data && <p role="status" data-testid="propose-result" className="text-sm text-emerald-800">{propose.data.status === "active" ? `Set v${propose.data.version} is active.` : `Set v${propose.data.version} loosens requirements and waits for a manager.`}</p>}
      <table className="w-full text-sm" aria-label="Requirements to propose">
        <thead><tr className="text-left text-xs text-slate-500"><th>Metric</th><th>Better when</th><th>Floor</th><th>Target</th><th>Report kinds (comma)</th><th>Slice</th><th /></tr></thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td><Input aria-label={`metric ${i + 1}`} value={r.metric} onChange={(e) => update(i, { metric: e.target.value })} /></td>
              <td><Select aria-label={`direction ${i + 1}`} value={r.direction} onChange={(e) => update(i, { direction: e.target.value as Row["direction"] })}><option value="higher">higher</option><option value="lower">lower</option></Select></td>
              <td><Input aria-label={`floor ${r.metric || i + 1}`} type="number" step="any" value={r.floor} onChange={(e) => update(i, { floor: Number(e.target.value) })} /></td>
              <td><Input aria-label={`target ${i + 1}`} type="number" step="any" value={r.target ?? ""} onChange={(e) => update(i, { target: e.target.value === "" ? null : Number(e.target.value) })} /></td>
              <td><Input aria-label={`kinds ${i + 1}`} value={r.reportKinds.join(",")} onChange={(e) => update(i, { reportKinds: e.target.value.split(",").map((s) => s.trim()).filter(Boolean) })} /></td>
              <td><Input aria-label={`slice ${i + 1}`} value={r.slice} onChange={(e) => update(i, { slice: e.target.value })} /></td>
              <td><Button type="button" variant="secondary" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>Remove</Button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {Object.entries(errors).filter(([k]) => k.startsWith("requirements")).map(([k, v]) => <p key={k} className="text-xs text-red-700">{k.replace(/^requirements\.(\d+)\./, (_, i: string) => `requirement ${Number(i) + 1} `)}: {v.join(" ")}</p>)}
      <Button type="button" variant="secondary" onClick={() => setRows((rs) => [...rs, { metric: "", direction: "higher", floor: 0, target: null, reportKinds: [], slice: "" }])}>Add requirement</Button>
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Primary metric (for beating champion and baselines)" htmlFor="primaryMetric" error={errors.primaryMetric}>
          <Input id="primaryMetric" name="primaryMetric" defaultValue={current?.primaryMetric ?? "auc"} required />
        </Field>
        <fieldset>
          <legend className="text-sm font-medium text-slate-700">Required report kinds</legend>
          <div className="mt-1 flex flex-wrap gap-3">
            {KINDS.map((k) => (
              <label key={k} className="flex items-center gap-1 text-xs">
                <input type="checkbox" checked={kinds.includes(k)} onChange={(e) => setKinds((ks) => (e.target.checked ? [...ks, k] : ks.filter((x) => x !== k)))} />{k}
              </label>
            ))}
          </div>
        </fieldset>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <Field label="Minimum outcomes per report (fewer: not enough evidence)" htmlFor="minOutcomes" error={errors.minOutcomes}>
          <Input id="minOutcomes" name="minOutcomes" type="number" min={1} step={1} defaultValue={current?.minOutcomes ?? 200} required />
        </Field>
        <Field label="Minimum examples of each class for AUC" htmlFor="minAucClassCount" error={errors.minAucClassCount}>
          <Input id="minAucClassCount" name="minAucClassCount" type="number" min={1} step={1} defaultValue={current?.minAucClassCount ?? 20} required />
        </Field>
      </div>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Non-inferiority margins against the champion (empty: default)</legend>
        <div className="mt-1 flex flex-wrap gap-3">
          {MARGIN_METRICS.map((m) => (
            <label key={m} className="flex items-center gap-1 text-xs">
              {m}
              <Input aria-label={`margin ${m}`} className="w-24" type="number" step="any" min={0} value={margins[m] ?? ""} onChange={(e) => setMargins((ms) => ({ ...ms, [m]: e.target.value }))} />
            </label>
          ))}
        </div>
        {Object.entries(errors).filter(([k]) => k.startsWith("comparisonMargins")).map(([k, v]) => <p key={k} className="text-xs text-red-700">{k.split(".")[1]}: {v.join(" ")}</p>)}
      </fieldset>
      <Field label="Rationale" htmlFor="req-rationale" error={errors.rationale}>
        <Textarea id="req-rationale" name="rationale" rows={2} className="font-sans text-sm" required />
      </Field>
      <Button type="submit" disabled={propose.isPending}>Propose set</Button>
    </form>
  );
}

export function AcceptSuggestion({ model, current, suggestion }: { model: string; current: SetShape; suggestion: TighteningSuggestion }) {
  const propose = useRefreshMutation();
  return (
    <span>
      <Button
        type="button"
        variant="secondary"
        disabled={propose.isPending}
        onClick={() =>
          propose.mutate({
            model,
            primaryMetric: current.primaryMetric,
            requiredReportKinds: current.requiredReportKinds as Kind[],
            comparisonMargins: current.comparisonMargins,
            minOutcomes: current.minOutcomes,
            minAucClassCount: current.minAucClassCount,
            requirements: current.requirements.map((r) => ({
              ...r,
              reportKinds: r.reportKinds as Kind[],
              floor: r.metric === suggestion.metric && r.slice === suggestion.slice ? suggestion.suggestedFloor : r.floor,
            })),
            rationale: `Tightened ${suggestion.metric} to the champion's pessimistic bound ${suggestion.suggestedFloor} (suggested by Ratchet).`,
          })
        }
      >
        Tighten
      </Button>
      <FormError error={propose.error} />
    </span>
  );
}

export function DecideLoosening({ setId, stale = false }: { setId: string; stale?: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const decide = useMutation(trpc.requirements.decide.mutationOptions({ onSuccess: () => router.refresh() }));
  const errors = fieldErrors(decide.error);
  const submit = (approve: boolean, form: HTMLFormElement) => decide.mutate({ setId, approve, note: String(new FormData(form).get("note")) });
  return (
    <form className="space-y-3" onSubmit={(e) => e.preventDefault()}>
      <FormError error={decide.error} fields={["note"]} />
      <Field label="Note" htmlFor="loosen-note" error={errors.note}><Input id="loosen-note" name="note" /></Field>
      <div className="flex gap-2">
        {/* A stale proposal cannot be approved (the server refuses it too): only rejected. */}
        {!stale && <Button type="button" onClick={(e) => submit(true, e.currentTarget.form!)}>Approve loosening</Button>}
        <Button type="button" variant="danger" onClick={(e) => submit(false, e.currentTarget.form!)}>Reject</Button>
      </div>
    </form>
  );
}
