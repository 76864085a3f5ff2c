"use client";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { DataTable, type DataColumn } from "../../_components/data-table";
import { ago } from "../../_components/format";
import { GateStatus } from "../../_components/gate-view";
import { Badge } from "../../_components/ui";

type RequestRow = inferRouterOutputs<AppRouter>["releases"]["inbox"]["releases"][number];

function columnsFor(canDecide: boolean): DataColumn<RequestRow>[] {
  return [
    {
      id: "model",
      header: "Model",
      cell: ({ row: { original: r } }) => (
        <a href={`/models/${r.model}`} className="font-medium">
          {r.model}
        </a>
      ),
    },
    {
      id: "version",
      header: "Version",
      cell: ({ row: { original: r } }) => (
        <>
          v{r.toVersion}
          {r.fromVersion && <span className="text-slate-500"> (replaces v{r.fromVersion})</span>}
        </>
      ),
    },
    {
      id: "strategy",
      header: "Strategy",
      cell: ({ row: { original: r } }) => (
        <Badge>
          {r.strategy}
          {r.share ? ` ${Math.round(r.share * 100)} %` : ""}
        </Badge>
      ),
    },
    {
      id: "gate",
      header: "Gate at request",
      cell: ({ row: { original: r } }) => r.gateAtRequest && <GateStatus status={r.gateAtRequest.status} />,
    },
    {
      id: "requested",
      header: "Requested",
      cell: ({ row: { original: r } }) => (
        <span suppressHydrationWarning>
          {ago(r.requestedAt)} by {r.requestedByLabel}
        </span>
      ),
    },
    {
      id: "rationale",
      header: "Rationale",
      cell: ({ row: { original: r } }) => (
        <span className="block max-w-sm truncate" title={r.rationale}>
          {r.rationale}
        </span>
      ),
    },
    {
      id: "actions",
      header: "",
      cell: ({ row: { original: r } }) => (
        <span className="whitespace-nowrap">
          <a href={`/releases/${r.id}`}>{canDecide ? "Review" : "Open"}</a>
          {r.fromVersion && (
            <>
              {" "}
              · <a href={`/models/${r.model}/compare?a=${r.fromVersion}&b=${r.toVersion}`}>Compare</a>
            </>
          )}
        </span>
      ),
    },
  ];
}

/** Pending release requests, oldest first, a page at a time (the page number is in the URL). */
export function ReleaseRequestsTable({
  rows,
  hasMore,
  pageSize,
  canDecide,
}: {
  rows: RequestRow[];
  hasMore: boolean;
  pageSize: number;
  canDecide: boolean;
}) {
  return (
    <DataTable
      label="Pending release requests"
      columns={columnsFor(canDecide)}
      data={rows}
      total={null}
      hasMore={hasMore}
      pageSize={pageSize}
      rowId={(r) => r.id}
      pageLabel="Release request pages"
      empty="Nothing waiting."
    />
  );
}
