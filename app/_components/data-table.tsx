"use client";
import {
  functionalUpdate,
  rowPaginationFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type PaginationState,
  type RowData,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import { useQueryStates } from "nuqs";
import type { ReactNode } from "react";
import { tableParams } from "./list-params";
import { Table } from "./ui";

/** The features every list uses: sorting and pagination, both done by the server (manual). */
export const dataTableFeatures = tableFeatures({ rowSortingFeature, rowPaginationFeature });
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each column has its own value type
export type DataColumn<T extends RowData> = ColumnDef<typeof dataTableFeatures, T, any>;

/**
 * One table for the registry's lists. The rows arrive sorted, filtered and paged by the server; the
 * table's sort and page live in the URL (`?sort=&dir=&page=`), so a view can be shared and survives a
 * reload. Changing them updates the URL and re-renders the page on the server (`shallow: false`).
 * A column sorts when it has an accessor (tanstack's rule) and says `enableSorting: true`; its id must be
 * a sort key the server accepts. The first click sorts ascending (`sortDescFirst: false`).
 */
export function DataTable<T extends RowData>({
  label,
  columns,
  data,
  total,
  hasMore = false,
  pageSize,
  empty,
  rowId,
  pageLabel = "Pages",
}: {
  label: string;
  columns: DataColumn<T>[];
  data: T[];
  /**
   * Rows matching the filters, over every page; null for a list too long to count on every view (the
   * audit log), which then says only whether a next page exists (`hasMore`).
   */
  total: number | null;
  hasMore?: boolean;
  pageSize: number;
  empty: ReactNode;
  rowId: (row: T) => string;
  pageLabel?: string;
}) {
  const [params, setParams] = useQueryStates(tableParams, { shallow: false });
  const sorting: SortingState = params.sort ? [{ id: params.sort, desc: params.dir === "desc" }] : [];
  const pagination: PaginationState = { pageIndex: Math.max(0, params.page - 1), pageSize };
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data,
    getRowId: rowId,
    ...(total === null
      ? { pageCount: hasMore ? pagination.pageIndex + 2 : pagination.pageIndex + 1 }
      : { rowCount: total }),
    manualSorting: true,
    manualPagination: true,
    enableSortingRemoval: false,
    sortDescFirst: false,
    state: { sorting, pagination },
    onSortingChange: (updater: Updater<SortingState>) => {
      const [next] = functionalUpdate(updater, sorting);
      void setParams({ sort: next?.id ?? null, dir: next ? (next.desc ? "desc" : "asc") : null, page: null });
    },
    onPaginationChange: (updater: Updater<PaginationState>) => {
      const next = functionalUpdate(updater, pagination);
      void setParams({ page: next.pageIndex > 0 ? next.pageIndex + 1 : null });
    },
  });
  const pages = total === null ? null : Math.max(1, Math.ceil(total / pageSize));
  const first = data.length === 0 ? 0 : pagination.pageIndex * pageSize + 1;
  return (
    <>
      <Table label={label}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const sorted = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : undefined}
                  >
                    {header.isPlaceholder ? null : header.column.getCanSort() ? (
                      <button
                        type="button"
                        onClick={header.column.getToggleSortingHandler()}
                        className="inline-flex items-center gap-1 uppercase hover:text-slate-800"
                        data-testid={`sort-${header.column.id}`}
                      >
                        <table.FlexRender header={header} />
                        <span aria-hidden="true">{sorted === "asc" ? "▲" : sorted === "desc" ? "▼" : "↕"}</span>
                      </button>
                    ) : (
                      <table.FlexRender header={header} />
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getAllCells().map((cell) => (
                <td key={cell.id}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
          {data.length === 0 && (
            <tr>
              <td colSpan={columns.length} className="text-center text-slate-500">
                {empty}
              </td>
            </tr>
          )}
        </tbody>
      </Table>
      <nav aria-label={pageLabel} className="mt-3 flex items-center justify-between text-sm text-slate-600">
        <span data-testid="page-status">
          {first}–{first === 0 ? 0 : first + data.length - 1}
          {total === null
            ? ` · page ${pagination.pageIndex + 1}${hasMore ? "" : " (last page)"}`
            : ` of ${total} · page ${pagination.pageIndex + 1} of ${pages}`}
        </span>
        <span className="flex gap-3">
          {table.getCanPreviousPage() && (
            <button type="button" className="text-indigo-700 hover:underline" onClick={() => table.previousPage()}>
              ← Previous
            </button>
          )}
          {table.getCanNextPage() && (
            <button type="button" className="text-indigo-700 hover:underline" onClick={() => table.nextPage()}>
              Next →
            </button>
          )}
        </span>
      </nav>
    </>
  );
}
