import type { Metadata } from "next";
import { pageCaller } from "@/server/trpc/server-caller";
import { ago } from "../../_components/format";
import { Badge, Button, Card, Input, PageHeader, Table } from "../../_components/ui";
import { RegisterDatasetForm } from "./register-dataset-form";

export const metadata: Metadata = { title: "Datasets" };

export default async function DatasetsPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const { q = "" } = await searchParams;
  const { api, can } = await pageCaller("registry:read");
  const datasets = await api.datasets.list({ search: q });
  return (
    <>
      <PageHeader title="Datasets" subtitle="Every version is kept, so any model can be re-evaluated on earlier data." />
      {can("datasets:write") && (
        <details className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
          <summary className="cursor-pointer text-sm font-medium">Record a dataset</summary>
          <div className="mt-4"><RegisterDatasetForm /></div>
        </details>
      )}
      <Card>
        <form className="mb-4 flex gap-2" role="search">
          <Input name="q" defaultValue={q} placeholder="Search by name" aria-label="Search datasets" className="max-w-sm" />
          <Button type="submit" variant="secondary">Search</Button>
        </form>
        <Table label="Datasets">
          <thead><tr><th>Name</th><th>Version</th><th>Role</th><th>Period</th><th>Rows</th><th>Hash</th><th>URI</th><th>Recorded</th></tr></thead>
          <tbody>
            {datasets.map((d) => (
              <tr key={d.id}>
                <td className="font-medium">{d.name}</td>
                <td>v{d.version}</td>
                <td><Badge>{d.role}</Badge></td>
                <td>{d.periodStart ? `${d.periodStart} → ${d.periodEnd ?? "…"}` : "—"}</td>
                <td>{d.rowCount.toLocaleString()}</td>
                <td className="max-w-40 truncate font-mono text-xs" title={d.hash}>{d.hash}</td>
                <td className="max-w-56 truncate font-mono text-xs" title={d.uri}>{d.uri}</td>
                <td>{ago(d.createdAt)}</td>
              </tr>
            ))}
            {datasets.length === 0 && <tr><td colSpan={8} className="text-center text-slate-500">No datasets recorded.</td></tr>}
          </tbody>
        </Table>
      </Card>
    </>
  );
}
