import type { Metadata } from "next";
import { createLoader, parseAsString, type SearchParams } from "nuqs/server";
import { DATASET_SORTS } from "@/server/domain/registry/datasets";
import { datasetRole } from "@/server/domain/registry/schemas";
import { pageCaller } from "@/server/trpc/server-caller";
import { pageNumber, sortKey, tableParams } from "../../_components/list-params";
import { Card, PageHeader } from "../../_components/ui";
import { DatasetsTable } from "./datasets-table";
import { RegisterDatasetForm } from "./register-dataset-form";

export const metadata: Metadata = { title: "Datasets" };

const loadParams = createLoader({ ...tableParams, q: parseAsString.withDefault(""), role: parseAsString });
const PAGE_SIZE = 25;

export default async function DatasetsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { q, role, sort, dir, page } = loadParams(await searchParams);
  const { api, can } = await pageCaller("registry:read");
  const roleFilter = datasetRole.safeParse(role);
  const result = await api.datasets.list({
    search: q.slice(0, 100),
    role: roleFilter.success ? roleFilter.data : undefined,
    sort: sortKey(DATASET_SORTS, sort),
    dir: dir ?? undefined,
    page: pageNumber(page),
    pageSize: PAGE_SIZE,
  });
  return (
    <>
      <PageHeader
        title="Datasets"
        subtitle="Every version is kept, so any model can be re-evaluated on earlier data."
      />
      {can("datasets:write") && (
        <details className="mb-6 rounded-lg border border-slate-200 bg-white p-4">
          <summary className="cursor-pointer text-sm font-medium">Record a dataset</summary>
          <div className="mt-4">
            <RegisterDatasetForm />
          </div>
        </details>
      )}
      <Card>
        <DatasetsTable
          rows={result.datasets}
          total={result.total}
          pageSize={PAGE_SIZE}
          filtered={Boolean(q || roleFilter.success)}
        />
      </Card>
    </>
  );
}
