"use client";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { DataTable, type DataColumn } from "../../_components/data-table";
import { ago, taskLabel } from "../../_components/format";
import { FilterBar, SearchFilter, SelectFilter, TagBadges } from "../../_components/list-filters";
import { Badge } from "../../_components/ui";

type ModelRow = inferRouterOutputs<AppRouter>["models"]["list"]["models"][number];

// Ids of sortable columns are the sort keys the server accepts (MODEL_SORTS); a column sorts only with an accessor.
const columns: DataColumn<ModelRow>[] = [
  {
    id: "name",
    header: "Name",
    enableSorting: true,
    accessorFn: (m) => m.name,
    cell: ({ row }) => (
      <a href={`/models/${row.original.name}`} className="font-medium">
        {row.original.name}
      </a>
    ),
  },
  { id: "tags", header: "Tags", cell: ({ row }) => <TagBadges tags={row.original.tags} /> },
  { id: "task", header: "Task", cell: ({ row }) => taskLabel(row.original.task) },
  {
    id: "champion",
    header: "Champion",
    cell: ({ row }) =>
      row.original.championVersion ? (
        <Badge tone="champion">v{row.original.championVersion}</Badge>
      ) : (
        <span className="text-slate-400">none</span>
      ),
  },
  {
    id: "versions",
    header: "Versions",
    enableSorting: true,
    accessorFn: (m) => m.versionCount,
    cell: ({ row }) => row.original.versionCount,
  },
  { id: "owner", header: "Owner", cell: ({ row }) => row.original.owner },
  {
    id: "lastActivity",
    header: "Last activity",
    enableSorting: true,
    accessorFn: (m) => m.lastActivityAt,
    cell: ({ row }) => <span suppressHydrationWarning>{ago(row.original.lastActivityAt)}</span>,
  },
];

export function ModelsTable({
  rows,
  total,
  pageSize,
  tagsInUse,
  filtered,
}: {
  rows: ModelRow[];
  total: number;
  pageSize: number;
  tagsInUse: string[];
  filtered: boolean;
}) {
  return (
    <>
      <FilterBar label="Filter models">
        <SearchFilter param="q" label="Search models" placeholder="Search by name, owner or description" />
        <SelectFilter param="tag" label="Tag" options={tagsInUse.map((t) => ({ value: t, label: t }))} />
      </FilterBar>
      <DataTable
        label="Models"
        columns={columns}
        data={rows}
        total={total}
        pageSize={pageSize}
        rowId={(m) => m.id}
        pageLabel="Model pages"
        empty={filtered ? "No model matches these filters." : "No models yet."}
      />
    </>
  );
}
