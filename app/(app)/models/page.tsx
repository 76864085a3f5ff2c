import type { Metadata } from "next";
import { createLoader, parseAsString, type SearchParams } from "nuqs/server";
import { MODEL_SORTS, tag as tagSchema } from "@/server/domain/registry/schemas";
import { pageCaller } from "@/server/trpc/server-caller";
import { pageNumber, sortKey, tableParams } from "../../_components/list-params";
import { Card, LinkButton, PageHeader } from "../../_components/ui";
import { ModelsTable } from "./models-table";

export const metadata: Metadata = { title: "Models" };

const loadParams = createLoader({ ...tableParams, q: parseAsString.withDefault(""), tag: parseAsString });
const PAGE_SIZE = 20;

export default async function ModelsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { q, tag, sort, dir, page } = loadParams(await searchParams);
  const { api, can } = await pageCaller("registry:read");
  // A hand-edited tag that is not in tag form matches nothing; say so rather than fail the page.
  const badTag = tag !== null && !tagSchema.safeParse(tag).success;
  const result = badTag
    ? null
    : await api.models.list({
        search: q.slice(0, 100),
        tag: tag ?? undefined,
        sort: sortKey(MODEL_SORTS, sort),
        dir: dir ?? undefined,
        page: pageNumber(page),
        pageSize: PAGE_SIZE,
      });
  return (
    <>
      <PageHeader
        title="Models"
        subtitle="Every registered model, its champion and its latest activity."
        actions={can("models:write") && <LinkButton href="/models/new">Register model</LinkButton>}
      />
      <Card>
        {badTag && (
          <p className="mb-3 text-sm text-amber-800" role="status">
            “{tag}” is not a tag (tags are lower-case letters, digits, “.”, “_” or “-”).
          </p>
        )}
        <ModelsTable
          rows={result?.models ?? []}
          total={result?.total ?? 0}
          pageSize={PAGE_SIZE}
          tagsInUse={result?.tagsInUse ?? []}
          filtered={Boolean(q || tag)}
        />
      </Card>
    </>
  );
}
