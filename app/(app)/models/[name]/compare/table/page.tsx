import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import type { CompareManyResult, ManyCell } from "@/server/domain/compare/compare-many";
import { pageCaller } from "@/server/trpc/server-caller";
import { formatMetric, periodLabel } from "../../../../../_components/format";
import { Button, Card, PageHeader, Select, Table } from "../../../../../_components/ui";
import { fmtP, VerdictBadge } from "../pair-table";

export const metadata: Metadata = { title: "Compare up to four versions" };

type Search = Record<string, string | string[] | undefined>;
const all = (s: Search, k: string) => {
  const v = s[k];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};
const positiveInt = (x: string | undefined) => (x && /^[1-9]\d{0,8}$/.test(x) ? Number(x) : undefined);
const fmtCi = (ci: [number, number] | null) => (ci ? `[${formatMetric(ci[0])}, ${formatMetric(ci[1])}]` : "");

function datasetLabel(d: CompareManyResult["datasets"][number]): string {
  const parts = [d.kind, d.dataset ? `${d.dataset.name} v${d.dataset.version}` : "unregistered dataset"];
  if (d.periodStart || d.periodEnd) parts.push(periodLabel(d.periodStart, d.periodEnd));
  parts.push(d.slice || "all examples");
  return parts.join(" · ");
}

function Cell({ cell, reference }: { cell: ManyCell; reference: boolean }) {
  if (!cell.value) return <td className="text-xs text-slate-500">no report on this dataset</td>;
  return (
    <td className="font-mono text-xs">
      {formatMetric(cell.value.value)} <span className="text-slate-500">{fmtCi(cell.value.ci)}</span>
      {!reference && cell.verdict && (
        <span className="mt-1 flex flex-wrap items-center gap-1 font-sans">
          <VerdictBadge verdict={cell.verdict} />
          <span className="text-slate-500">
            {cell.method === "paired"
              ? `paired ${cell.test}${cell.pValue !== null ? `, p ${fmtP(cell.pValue)}` : ""}`
              : cell.method}
          </span>
        </span>
      )}
    </td>
  );
}

/**
 * Up to four versions on one metric table: the reference (the champion by default) and each other
 * version's value, interval and paired verdict against it, on one dataset at a time.
 */
export default async function CompareTablePage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Search>;
}) {
  const { name } = await params;
  const search = await searchParams;
  const { api } = await pageCaller("registry:read");
  const picked = all(search, "v")
    .map(positiveInt)
    .filter((v): v is number => v !== undefined);
  const reference = positiveInt(all(search, "ref")[0]);
  const dataset = all(search, "ds")[0];
  let result;
  try {
    result = await api.compare.many({
      model: name,
      versions: picked.length > 0 ? picked : undefined,
      reference,
      dataset: dataset || undefined,
    });
  } catch (e) {
    if (e instanceof TRPCError && e.code === "NOT_FOUND") notFound();
    if (e instanceof TRPCError && e.code === "BAD_REQUEST") {
      return (
        <>
          <PageHeader title={`${name}: compare up to four versions`} />
          <Card>
            <p className="text-sm text-slate-600" data-testid="compare-refused">
              {e.message}
            </p>
            <p className="mt-2 text-sm">
              <a href={`/models/${name}/compare/table`}>Start again with the defaults</a>
            </p>
          </Card>
        </>
      );
    }
    throw e;
  }
  const compared = new Set(result.compared.map((v) => v.version));
  const others = result.compared.filter((v) => v.version !== result.reference.version);
  return (
    <>
      <PageHeader
        title={
          <>
            {name}: {result.compared.map((v) => `v${v.version}`).join(", ")}{" "}
            <span className="text-slate-500">against</span> v{result.reference.version}
          </>
        }
        subtitle="Each version against the reference on the same dataset: its value with the 95 % interval and the paired verdict, or “not tested” where there is nothing to test with."
        actions={
          <a className="text-sm" href={`/models/${name}/compare`}>
            Two versions in detail
          </a>
        }
      />
      <Card className="mb-6">
        <form className="flex flex-wrap items-end gap-4 text-sm" aria-label="Versions on the table">
          <fieldset className="space-y-1">
            <legend className="text-xs text-slate-500">Versions (at most four)</legend>
            <div className="flex flex-wrap gap-3">
              {result.versions.map((v) => (
                <label key={v.version} className="flex items-center gap-1">
                  <input type="checkbox" name="v" value={v.version} defaultChecked={compared.has(v.version)} /> v
                  {v.version} <span className="text-xs text-slate-500">({v.stage})</span>
                </label>
              ))}
            </div>
          </fieldset>
          <label className="space-y-1">
            <span className="block text-xs text-slate-500">Reference</span>
            <Select name="ref" defaultValue={String(result.reference.version)} aria-label="Reference version">
              {result.compared.map((v) => (
                <option key={v.version} value={v.version}>
                  v{v.version} ({v.stage})
                </option>
              ))}
            </Select>
          </label>
          {result.datasets.length > 0 && (
            <label className="space-y-1">
              <span className="block text-xs text-slate-500">Dataset</span>
              <Select name="ds" defaultValue={result.dataset ?? undefined} aria-label="Dataset">
                {result.datasets.map((d) => (
                  <option key={d.key} value={d.key}>
                    {datasetLabel(d)}
                  </option>
                ))}
              </Select>
            </label>
          )}
          <Button type="submit" worksWithoutScript variant="secondary">
            Compare
          </Button>
        </form>
      </Card>
      {result.rows.length === 0 ? (
        <Card>
          <p className="text-sm text-slate-500" data-testid="no-shared-dataset">
            The reference shares no dataset with the other versions.
          </p>
        </Card>
      ) : (
        <Card title={datasetLabel(result.datasets.find((d) => d.key === result.dataset)!)}>
          <p className="mb-2 text-xs text-slate-500">
            {others
              .map((v) =>
                result.matched[v.version] !== null
                  ? `v${v.version}: ${result.matched[v.version]!.toLocaleString("en")} examples matched by id`
                  : `v${v.version}: no shared outcomes`,
              )
              .join(" · ")}
          </p>
          <Table label="Versions against the reference">
            <thead>
              <tr>
                <th>Metric</th>
                {result.compared.map((v) => (
                  <th key={v.version}>
                    v{v.version}
                    {v.version === result.reference.version ? " (reference)" : ""}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.metric}>
                  <td className="font-medium">
                    {r.metric}
                    <span className="block text-xs font-normal text-slate-500">{r.direction} is better</span>
                  </td>
                  {r.cells.map((c) => (
                    <Cell key={c.version} cell={c} reference={c.version === result.reference.version} />
                  ))}
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      )}
    </>
  );
}
