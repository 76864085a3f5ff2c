import Link from "next/link";
import type { Metadata } from "next";
import { pageCaller } from "@/server/trpc/server-caller";
import { auditEntityHref } from "../../_components/audit-links";
import { when } from "../../_components/format";
import { Button, Card, Input, PageHeader, Table } from "../../_components/ui";

export const metadata: Metadata = { title: "Audit log" };

type Search = { entityType?: string; action?: string; actor?: string; entityId?: string; before?: string };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const filters = await searchParams;
  const { api } = await pageCaller("audit:read");
  const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as Search;
  const { entries, nextBefore } = await api.audit.list({ ...clean, before: clean.before ? Number(clean.before) : undefined, limit: 50 });
  const older = nextBefore ? `/audit?${new URLSearchParams({ ...clean, before: String(nextBefore) })}` : null;
  return (
    <>
      <PageHeader title="Audit log" subtitle="Every change of state, append-only: nobody can edit or delete an entry." />
      <Card>
        <form className="mb-4 grid grid-cols-2 gap-2 md:grid-cols-5" aria-label="Filter audit entries">
          <Input name="action" defaultValue={filters.action} placeholder="action, e.g. version.created" aria-label="Action" />
          <Input name="entityType" defaultValue={filters.entityType} placeholder="entity type, e.g. model_version" aria-label="Entity type" />
          <Input name="entityId" defaultValue={filters.entityId} placeholder="entity, e.g. churn@5" aria-label="Entity" />
          <Input name="actor" defaultValue={filters.actor} placeholder="actor, e.g. key:pipeline" aria-label="Actor" />
          <Button type="submit" variant="secondary">Filter</Button>
        </form>
        <Table label="Audit entries">
          <thead><tr><th>Time</th><th>Actor</th><th>Action</th><th>Entity</th><th>Change</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id}>
                <td className="whitespace-nowrap">{when(e.at)}</td>
                <td>{e.actorLabel}</td>
                <td className="font-mono text-xs">{e.action}</td>
                <td className="font-mono text-xs">
                  <EntityLink type={e.entityType} id={e.entityId} />
                </td>
                <td>
                  <details>
                    <summary className="cursor-pointer text-xs text-indigo-700">before / after</summary>
                    <pre className="mt-1 max-w-xl overflow-auto text-xs">{JSON.stringify({ before: e.before, after: e.after }, null, 2)}</pre>
                  </details>
                </td>
              </tr>
            ))}
            {entries.length === 0 && <tr><td colSpan={5} className="text-center text-slate-500">No entries match.</td></tr>}
          </tbody>
        </Table>
        {older && <p className="mt-3 text-sm"><Link href={older}>Older entries →</Link></p>}
      </Card>
    </>
  );
}

function EntityLink({ type, id }: { type: string; id: string }) {
  const href = auditEntityHref(type, id);
  const text = `${type}:${id}`;
  return href ? <Link href={href}>{text}</Link> : <>{text}</>;
}
