"use client";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { DataTable, type DataColumn } from "../../../../_components/data-table";
import { ago } from "../../../../_components/format";
import { Badge } from "../../../../_components/ui";

type SetRow = inferRouterOutputs<AppRouter>["requirements"]["history"]["sets"][number];

const statusTone = (status: string) =>
  status === "active"
    ? "champion"
    : status === "pending"
      ? "challenger"
      : status === "rejected"
        ? "revoked"
        : "retired";

const columns: DataColumn<SetRow>[] = [
  { id: "set", header: "Set", cell: ({ row }) => `v${row.original.version}` },
  {
    id: "status",
    header: "Status",
    cell: ({ row }) => <Badge tone={statusTone(row.original.status)}>{row.original.status}</Badge>,
  },
  {
    id: "proposed",
    header: "Proposed",
    cell: ({ row }) => (
      <span suppressHydrationWarning>
        {ago(row.original.proposedAt)} by {row.original.proposedByLabel}
      </span>
    ),
  },
  {
    id: "rationale",
    header: "Rationale",
    cell: ({ row }) => (
      <span className="block max-w-xs truncate" title={row.original.rationale}>
        {row.original.rationale}
      </span>
    ),
  },
  { id: "loosens", header: "Loosens", cell: ({ row }) => row.original.loosens.join("; ") || "—" },
  { id: "decision", header: "Decision", cell: ({ row }) => row.original.decisionNote ?? "—" },
];

/** The requirement sets, newest first, a page at a time (the page number is in the URL). */
export function HistoryTable({ sets, total, pageSize }: { sets: SetRow[]; total: number; pageSize: number }) {
  return (
    <DataTable
      label="Requirement sets"
      columns={columns}
      data={sets}
      total={total}
      pageSize={pageSize}
      rowId={(s) => s.id}
      pageLabel="Requirement set pages"
      empty="No requirement sets yet."
    />
  );
}
