import Link from "next/link";
import type { Metadata } from "next";
import { pageCaller } from "@/server/trpc/server-caller";
import { ago, taskLabel } from "../../_components/format";
import { Badge, Button, Card, Input, LinkButton, PageHeader, Table } from "../../_components/ui";

export const metadata: Metadata = { title: "Models" };

export default async function ModelsPage({ searchParams }: { searchParams: Promise<{ q?: string; page?: string }> }) {
  const { q = "", page = "1" } = await searchParams;
  const { api, can } = await pageCaller("registry:read");
  const result = await api.models.list({ search: q, page: Math.max(1, Number(page) || 1), pageSize: 20 });
  const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
  const link = (p: number) => `/models?${new URLSearchParams({ q, page: String(p) })}`;
  return (
    <>
      <PageHeader
        title="Models"
        subtitle="Every registered model, its champion and its latest activity."
        actions={can("models:write") && <LinkButton href="/models/new">Register model</LinkButton>}
      />
      <Card>
        <form className="mb-4 flex gap-2" role="search">
          <Input name="q" defaultValue={q} placeholder="Search by name, owner or description" aria-label="Search models" className="max-w-sm" />
          <Button type="submit" variant="secondary">Search</Button>
        </form>
        <Table label="Models">
          <thead>
            <tr><th>Name</th><th>Task</th><th>Champion</th><th>Versions</th><th>Owner</th><th>Last activity</th></tr>
          </thead>
          <tbody>
            {result.models.map((m) => (
              <tr key={m.id}>
                <td><Link href={`/models/${m.name}`} className="font-medium">{m.name}</Link></td>
                <td>{taskLabel(m.task)}</td>
                <td>{m.championVersion ? <Badge tone="champion">v{m.championVersion}</Badge> : <span className="text-slate-500">none</span>}</td>
                <td>{m.versionCount}</td>
                <td>{m.owner}</td>
                <td>{ago(m.lastActivityAt)}</td>
              </tr>
            ))}
            {result.models.length === 0 && (
              <tr><td colSpan={6} className="text-center text-slate-500">{q ? `No model matches “${q}”.` : "No models yet."}</td></tr>
            )}
          </tbody>
        </Table>
        <nav aria-label="Pagination" className="mt-3 flex items-center justify-between text-sm text-slate-600">
          <span>{result.total} model{result.total === 1 ? "" : "s"} · page {result.page} of {pages}</span>
          <span className="flex gap-3">
            {result.page > 1 && <Link href={link(result.page - 1)}>← Previous</Link>}
            {result.page < pages && <Link href={link(result.page + 1)}>Next →</Link>}
          </span>
        </nav>
      </Card>
    </>
  );
}
