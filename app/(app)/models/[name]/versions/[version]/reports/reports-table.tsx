"use client";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";
import { DataTable, type DataColumn } from "../../../../../../_components/data-table";
import { ago, when } from "../../../../../../_components/format";
import { Badge } from "../../../../../../_components/ui";

type ReportRow = inferRouterOutputs<AppRouter>["reports"]["list"]["reports"][number] & {
  period: string;
  keyMetrics: { name: string; value: string }[];
};

const columns: DataColumn<ReportRow>[] = [
  {
    id: "kind",
    header: "Kind",
    cell: ({ row: { original: r } }) => (
      <>
        <a href={`/reports/${r.id}`} className="font-medium">
          {r.kind}
          {r.baseline ? ` (${r.baseline.replace("_", "-")})` : ""}
        </a>
        {r.disagreements.length > 0 && (
          <>
            {" "}
            <Badge tone="revoked">{r.disagreements.length} disagree</Badge>
          </>
        )}
      </>
    ),
  },
  {
    id: "dataset",
    header: "Dataset",
    cell: ({ row: { original: r } }) => (
      <span className="whitespace-nowrap">{r.datasetName ? `${r.datasetName} v${r.datasetVersion}` : "—"}</span>
    ),
  },
  {
    id: "period",
    header: "Period",
    cell: ({ row: { original: r } }) => <span className="whitespace-nowrap">{r.period}</span>,
  },
  { id: "slice", header: "Slice", cell: ({ row: { original: r } }) => r.slice || "all" },
  {
    id: "n",
    header: "n",
    cell: ({ row: { original: r } }) => <span className="tabular-nums">{r.sampleSize.toLocaleString("en")}</span>,
  },
  {
    id: "metrics",
    header: "Key metrics",
    cell: ({ row: { original: r } }) => (
      <span className="text-xs">
        {r.keyMetrics.map((m) => (
          <span key={m.name} className="mr-3 whitespace-nowrap">
            {m.name} <span className="font-mono">{m.value}</span>
          </span>
        ))}
      </span>
    ),
  },
  {
    id: "posted",
    header: "Posted",
    cell: ({ row: { original: r } }) => (
      <span title={when(r.createdAt)} suppressHydrationWarning>
        {ago(r.createdAt)} · {r.author}
      </span>
    ),
  },
];

/** A version's reports, newest first, a page at a time (the page number is in the URL). */
export function ReportsTable({ rows, total, pageSize }: { rows: ReportRow[]; total: number; pageSize: number }) {
  return (
    <DataTable
      label="Reports"
      columns={columns}
      data={rows}
      total={total}
      pageSize={pageSize}
      rowId={(r) => r.id}
      pageLabel="Report pages"
      empty="No reports for this version yet."
    />
  );
}
