import { createLoader, parseAsStringLiteral, type SearchParams } from "nuqs/server";
import { ALERT_FILTERS } from "@/server/domain/alerts/schemas";
import { pageCaller } from "@/server/trpc/server-caller";
import { pageNumber, tableParams } from "../../../../_components/list-params";
import { Card, PageHeader } from "../../../../_components/ui";
import { AlertsTable } from "./alerts-table";
import { RuleForm } from "./rule-form";
import { RulesList } from "./rules-list";
import { StatusFilter } from "./status-filter";

const loadParams = createLoader({
  page: tableParams.page,
  status: parseAsStringLiteral(ALERT_FILTERS).withDefault("unresolved"),
});
const PAGE_SIZE = 20;

export default async function ModelAlertsPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { name } = await params;
  const { page, status } = loadParams(await searchParams);
  const { api, can } = await pageCaller("registry:read");
  const [list, rules] = await Promise.all([
    api.alerts.list({ model: name, status, offset: (pageNumber(page) - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
    api.alerts.rules({ model: name }),
  ]);
  return (
    <>
      <PageHeader
        title={`${name}: alerts`}
        subtitle="Raised by the rules below on the champion's monitoring windows, its age and its now-tests. An unresolved critical alert blocks releases of this model; acknowledging says someone is on it, only resolving unblocks."
      />
      <Card title="Alerts">
        <StatusFilter base={`/models/${name}/alerts`} current={status} />
        <AlertsTable
          alerts={list.alerts}
          total={list.total}
          pageSize={PAGE_SIZE}
          canManage={can("alerts:manage")}
          empty={status === "unresolved" ? "No unresolved alert." : `No ${status === "all" ? "" : `${status} `}alert.`}
        />
      </Card>
      <Card title="Rules" className="mt-6">
        <RulesList model={name} rules={rules} canConfigure={can("alerts:configure")} />
      </Card>
      {can("alerts:configure") && (
        <Card title="New rule" className="mt-6">
          <RuleForm model={name} rule={null} />
        </Card>
      )}
    </>
  );
}
