"use client";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { DataTable, type DataColumn } from "../../_components/data-table";
import { ago } from "../../_components/format";
import { FilterBar, SearchFilter, SelectFilter } from "../../_components/list-filters";
import { Badge } from "../../_components/ui";

type DatasetRow = inferRouterOutputs<AppRouter>["datasets"]["list"]["datasets"][number];

// Ids of sortable columns are the sort keys the server accepts (DATASET_SORTS); a column sorts only with an accessor.
const columns: DataColumn<DatasetRow>[] = [
  {
    id: "name",
    header: "Name",
    enableSorting: true,
    accessorFn: (d) => d.name,
    cell: ({ row }) => <span className="font-medium">{row.original.name}</span>,
  },
  { id: "version", header: "Version", cell: ({ row }) => `v${row.original.version}` },
  { id: "role", header: "Role", cell: ({ row }) => <Badge>{row.original.role}</Badge> },
  {
    id: "period",
    header: "Period",
    cell: ({ row: { original: d } }) => (d.periodStart ? `${d.periodStart} → ${d.periodEnd ?? "…"}` : "—"),
  },
  {
    id: "rowCount",
    header: "Rows",
    enableSorting: true,
    accessorFn: (d) => d.rowCount,
    cell: ({ row }) => row.original.rowCount.toLocaleString("en"),
  },
  {
    id: "hash",
    header: "Hash",
    cell: ({ row }) => (
      <span className="block max-w-40 truncate font-mono text-xs" title={row.original.hash}>
        {row.original.hash}
      </span>
    ),
  },
  {
    id: "uri",
    header: "URI",
    cell: ({ row }) => (
      <span className="block max-w-56 truncate font-mono text-xs" title={row.original.uri}>
        {row.original.uri}
      </span>
    ),
  },
  {
    id: "createdAt",
    header: "Recorded",
    enableSorting: true,
    accessorFn: (d) => d.createdAt,
    cell: ({ row }) => <span suppressHydrationWarning>{ago(row.original.createdAt)}</span>,
  },
];

const ROLES = ["train", "test", "backtest", "live"].map((r) => ({ value: r, label: r }));

export function DatasetsTable({
  rows,
  total,
  pageSize,
  filtered,
}: {
  rows: DatasetRow[];
  total: number;
  pageSize: number;
  filtered: boolean;
}) {
  return (
    <>
      <FilterBar label="Filter datasets">
        <SearchFilter param="q" label="Search datasets" placeholder="Search by name" />
        <SelectFilter param="role" label="Role" options={ROLES} />
      </FilterBar>
      <DataTable
        label="Datasets"
        columns={columns}
        data={rows}
        total={total}
        pageSize={pageSize}
        rowId={(d) => d.id}
        pageLabel="Dataset pages"
        empty={filtered ? "No dataset matches these filters." : "No datasets recorded."}
      />
    </>
  );
}
