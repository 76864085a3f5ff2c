"use client";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { DataTable, type DataColumn } from "../../_components/data-table";
import { auditEntityHref } from "../../_components/audit-links";
import { when } from "../../_components/format";
import Link from "next/link";

type AuditRow = inferRouterOutputs<AppRouter>["audit"]["list"]["entries"][number];

const columns: DataColumn<AuditRow>[] = [
  {
    id: "at",
    header: "Time",
    cell: ({ row }) => (
      <span className="whitespace-nowrap" suppressHydrationWarning>
        {when(row.original.at)}
      </span>
    ),
  },
  { id: "actor", header: "Actor", cell: ({ row }) => row.original.actorLabel },
  {
    id: "action",
    header: "Action",
    cell: ({ row }) => <span className="font-mono text-xs">{row.original.action}</span>,
  },
  {
    id: "entity",
    header: "Entity",
    cell: ({ row }) => <EntityLink type={row.original.entityType} id={row.original.entityId} />,
  },
  {
    id: "change",
    header: "Change",
    cell: ({ row }) => (
      <details>
        <summary className="cursor-pointer text-xs text-indigo-700">before / after</summary>
        <pre className="mt-1 max-w-xl overflow-auto text-xs">
          {JSON.stringify({ before: row.original.before, after: row.original.after }, null, 2)}
        </pre>
      </details>
    ),
  },
];

/**
 * The audit log, newest first, a page at a time. It is not counted on every view (it only grows): the
 * pager says whether older entries exist.
 */
export function AuditTable({
  entries,
  hasMore,
  pageSize,
}: {
  entries: AuditRow[];
  hasMore: boolean;
  pageSize: number;
}) {
  return (
    <DataTable
      label="Audit entries"
      columns={columns}
      data={entries}
      total={null}
      hasMore={hasMore}
      pageSize={pageSize}
      rowId={(e) => String(e.id)}
      pageLabel="Audit pages"
      empty="No entries match."
    />
  );
}

/** Links an entry to what it is about (model, version, release, requirement set, report) where that has a page. */
function EntityLink({ type, id }: { type: string; id: string }) {
  const href = auditEntityHref(type, id);
  const text = `${type}:${id}`;
  return <span className="font-mono text-xs">{href ? <Link href={href}>{text}</Link> : text}</span>;
}
