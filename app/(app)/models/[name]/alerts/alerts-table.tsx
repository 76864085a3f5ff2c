"use client";
import Link from "next/link";
import { DataTable, type DataColumn } from "../../../../_components/data-table";
import { ago, when } from "../../../../_components/format";
import type { RouterOutputs } from "../../../../_components/trpc";
import { Badge } from "../../../../_components/ui";
import { AlertActions } from "./alert-actions";
import { alertHref } from "./alert-href";

type AlertRow = RouterOutputs["alerts"]["list"]["alerts"][number];

const severityBadge = (s: AlertRow["severity"]) => <Badge variant={s === "critical" ? "missed" : "warning"}>{s}</Badge>;
const statusVariant = { open: "rejected", acknowledged: "pending", resolved: "approved" } as const;

function columnsFor(showModel: boolean, canManage: boolean): DataColumn<AlertRow>[] {
  const columns: DataColumn<AlertRow>[] = [
    { id: "severity", header: "Severity", cell: ({ row }) => severityBadge(row.original.severity) },
    {
      id: "status",
      header: "Status",
      cell: ({ row }) => <Badge variant={statusVariant[row.original.status]}>{row.original.status}</Badge>,
    },
    {
      id: "alert",
      header: "Alert",
      cell: ({ row }) => {
        const a = row.original;
        return (
          <div className="max-w-md space-y-0.5">
            <Link
              href={alertHref(a)}
              data-testid="alert-link"
              title={a.feature ? `${a.feature}'s distributions on the monitoring page` : "The monitoring page"}
            >
              {a.title}
            </Link>
            <p className="text-xs text-slate-500">
              {a.rule.kind.replaceAll("_", " ")} · {a.feature ? `feature ${a.feature}` : a.subject}
            </p>
          </div>
        );
      },
    },
    {
      id: "opened",
      header: "Opened",
      cell: ({ row }) => (
        <span suppressHydrationWarning title={when(row.original.openedAt)}>
          {ago(row.original.openedAt)}
        </span>
      ),
    },
    {
      id: "handled",
      header: "Handled",
      cell: ({ row }) => {
        const a = row.original;
        return (
          <div className="max-w-xs space-y-1 text-xs" suppressHydrationWarning>
            {a.acknowledgedAt && (
              <p data-testid="acknowledged">
                Acknowledged by {a.acknowledgedByLabel}, {ago(a.acknowledgedAt)}: “{a.acknowledgeNote}”
              </p>
            )}
            {a.resolvedAt && (
              <p data-testid="resolved">
                Resolved{" "}
                {a.resolvedByLabel === "auto" ? "by Ratchet (the condition cleared)" : `by ${a.resolvedByLabel}`},{" "}
                {ago(a.resolvedAt)}: “{a.resolveNote}”
              </p>
            )}
            {!a.acknowledgedAt && !a.resolvedAt && <span className="text-slate-500">—</span>}
          </div>
        );
      },
    },
  ];
  if (showModel)
    columns.unshift({
      id: "model",
      header: "Model",
      cell: ({ row }) => <Link href={`/models/${row.original.model}/alerts`}>{row.original.model}</Link>,
    });
  if (canManage)
    columns.push({
      id: "actions",
      header: "Actions",
      cell: ({ row }) => (
        <AlertActions
          alertId={row.original.id}
          title={row.original.title}
          status={row.original.status}
          severity={row.original.severity}
        />
      ),
    });
  return columns;
}

/** Alerts newest first, a page at a time (the page number is in the URL). */
export function AlertsTable({
  alerts,
  total,
  pageSize,
  showModel = false,
  canManage,
  empty,
}: {
  alerts: AlertRow[];
  total: number;
  pageSize: number;
  showModel?: boolean;
  canManage: boolean;
  empty: string;
}) {
  return (
    <DataTable
      label="Alerts"
      columns={columnsFor(showModel, canManage)}
      data={alerts}
      total={total}
      pageSize={pageSize}
      rowId={(a) => a.id}
      pageLabel="Alert pages"
      empty={empty}
    />
  );
}
