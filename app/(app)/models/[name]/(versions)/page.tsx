import { createLoader, parseAsFloat, parseAsString, type SearchParams } from "nuqs/server";
import { metricFilter, VERSION_SORTS } from "@/server/domain/registry/list-schemas";
import { tag as tagSchema, versionStage } from "@/server/domain/registry/schemas";
import { reportKind } from "@/server/domain/reports/schemas";
import { KNOWN_METRICS } from "@/server/domain/requirements/metric-registry";
import { pageCaller } from "@/server/trpc/server-caller";
import { ago, taskLabel } from "../../../../_components/format";
import { pageNumber, sortKey, tableParams } from "../../../../_components/list-params";
import { Markdown } from "../../../../_components/markdown";
import { MarkdownEditor } from "../../../../_components/markdown-editor";
import { TagEditor } from "../../../../_components/tag-editor";
import { Card, LinkButton, PageHeader } from "../../../../_components/ui";
import { MonitoringCheck } from "./monitoring-check";
import { VersionsTable } from "./versions-table";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: (await params).name };
}

const loadParams = createLoader({
  ...tableParams,
  tag: parseAsString,
  stage: parseAsString,
  archived: parseAsString,
  metric: parseAsString,
  op: parseAsString,
  value: parseAsFloat,
  kind: parseAsString,
});
const PAGE_SIZE = 20;

export default async function ModelPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { name } = await params;
  const url = loadParams(await searchParams);
  const { api, can } = await pageCaller("registry:read");
  // Filters from the URL that are not valid (a hand-edited link) are left out rather than failing the page.
  const search = metricFilter.safeParse({ metric: url.metric, op: url.op, value: url.value, kind: url.kind });
  const tag = tagSchema.safeParse(url.tag);
  const stage = versionStage.safeParse(url.stage);
  const [{ model, champion }, list] = await Promise.all([
    api.models.byName({ name }),
    api.models.versions({
      model: name,
      tag: tag.success ? tag.data : undefined,
      stage: stage.success ? stage.data : undefined,
      archived: url.archived === "include" ? "include" : "hide",
      metric: search.success ? search.data : undefined,
      sort: sortKey(VERSION_SORTS, url.sort),
      dir: url.dir ?? undefined,
      page: pageNumber(url.page),
      pageSize: PAGE_SIZE,
    }),
  ]);
  return (
    <>
      <PageHeader
        title={model.name}
        subtitle={model.description}
        actions={
          can("versions:write") && <LinkButton href={`/models/${model.name}/versions/new`}>Register version</LinkButton>
        }
      />
      <div className="mb-6 grid grid-cols-2 gap-4 md:grid-cols-4">
        <Card title="Task">
          <p>{taskLabel(model.task)}</p>
        </Card>
        <Card title="Champion">
          <p data-testid="champion">{champion ? `v${champion.version}` : "none"}</p>
        </Card>
        <Card title="Owner">
          <p>{model.owner}</p>
        </Card>
        <Card title="Last activity">
          <p>{ago(model.lastActivityAt)}</p>
        </Card>
      </div>
      <Card title="Monitoring check" className="mb-6">
        <MonitoringCheck model={model.name} canRun={can("monitoring:run")} />
      </Card>
      <Card title="Tags" className="mb-6">
        <TagEditor model={model.name} tags={model.tags} canEdit={can("models:write")} />
      </Card>
      <Card title="Model card" className="mb-6">
        {model.card.trim() ? (
          <Markdown text={model.card} testId="model-card" />
        ) : (
          <p className="text-sm text-slate-500" data-testid="model-card-empty">
            No model card yet: intended use, training data, evaluation and known limits belong here.
          </p>
        )}
        {can("models:write") && (
          <div className="mt-3">
            <MarkdownEditor target={{ kind: "card", model: model.name }} initial={model.card} label="model card" />
          </div>
        )}
      </Card>
      <Card title={`Versions (${list.total})`}>
        <VersionsTable
          model={model.name}
          rows={list.versions}
          total={list.total}
          pageSize={PAGE_SIZE}
          search={search.success ? search.data : null}
          kinds={[...reportKind.options]}
          knownMetrics={Object.keys(KNOWN_METRICS)}
          filtered={Boolean((tag.success && tag.data) || stage.success || search.success)}
        />
      </Card>
    </>
  );
}
