import type { Metadata } from "next";
import { pageCaller } from "@/server/trpc/server-caller";
import { createLoader, parseAsString, type SearchParams } from "nuqs/server";
import { pageNumber, tableParams } from "../../_components/list-params";
import { Button, Card, Input, PageHeader } from "../../_components/ui";
import { AuditTable } from "./audit-table";

export const metadata: Metadata = { title: "Audit log" };

const loadParams = createLoader({
  page: tableParams.page,
  action: parseAsString,
  entityType: parseAsString,
  entityId: parseAsString,
  actor: parseAsString,
});
const PAGE_SIZE = 50;
const FILTER_MAX = { action: 100, entityType: 50, entityId: 200, actor: 200 };

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { page, ...filters } = loadParams(await searchParams);
  const { api } = await pageCaller("audit:read");
  const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as Record<
    keyof typeof FILTER_MAX,
    string
  >;
  // No entry holds a value longer than the schema allows, so a longer filter (a hand-edited link) matches nothing.
  const tooLong = Object.entries(clean).some(([k, v]) => v.length > FILTER_MAX[k as keyof typeof FILTER_MAX]);
  const { entries, hasMore } = tooLong
    ? { entries: [], hasMore: false }
    : await api.audit.list({ ...clean, offset: (pageNumber(page) - 1) * PAGE_SIZE, limit: PAGE_SIZE });
  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every change of state, append-only: nobody can edit or delete an entry."
      />
      <Card>
        <form className="mb-4 grid grid-cols-2 gap-2 md:grid-cols-5" aria-label="Filter audit entries">
          <Input
            name="action"
            defaultValue={filters.action ?? undefined}
            placeholder="action, e.g. version.created"
            aria-label="Action"
          />
          <Input
            name="entityType"
            defaultValue={filters.entityType ?? undefined}
            placeholder="entity type, e.g. model_version"
            aria-label="Entity type"
          />
          <Input
            name="entityId"
            defaultValue={filters.entityId ?? undefined}
            placeholder="entity, e.g. churn@5"
            aria-label="Entity"
          />
          <Input
            name="actor"
            defaultValue={filters.actor ?? undefined}
            placeholder="actor, e.g. key:pipeline"
            aria-label="Actor"
          />
          <Button type="submit" worksWithoutScript variant="secondary">
            Filter
          </Button>
        </form>
        <AuditTable entries={entries} hasMore={hasMore} pageSize={PAGE_SIZE} />
      </Card>
    </>
  );
}
