import { pageCaller } from "@/server/trpc/server-caller";
import { ago, taskLabel, when } from "../../../_components/format";
import { Markdown } from "../../../_components/markdown";
import { MarkdownEditor } from "../../../_components/markdown-editor";
import { Badge, Card, LinkButton, PageHeader, Table } from "../../../_components/ui";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: (await params).name };
}

export default async function ModelPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const { api, can } = await pageCaller("registry:read");
  const { model, versions, champion } = await api.models.byName({ name });
  return (
    <>
      <PageHeader
        title={model.name}
        subtitle={model.description}
        actions={can("versions:write") && <LinkButton href={`/models/${model.name}/versions/new`}>Register version</LinkButton>}
      />
      <div className="mb-6 grid grid-cols-2 gap-4 md:grid-cols-4">
        <Card title="Task"><p>{taskLabel(model.task)}</p></Card>
        <Card title="Champion"><p data-testid="champion">{champion ? `v${champion.version}` : "none"}</p></Card>
        <Card title="Owner"><p>{model.owner}</p></Card>
        <Card title="Last activity"><p>{ago(model.lastActivityAt)}</p></Card>
      </div>
      <Card title="Model card" className="mb-6">
        {model.card.trim() ? (
          <Markdown text={model.card} testId="model-card" />
        ) : (
          <p className="text-sm text-slate-500" data-testid="model-card-empty">No model card yet: intended use, training data, evaluation and known limits belong here.</p>
        )}
        {can("models:write") && <div className="mt-3"><MarkdownEditor target={{ kind: "card", model: model.name }} initial={model.card} label="model card" /></div>}
      </Card>
      <Card title={`Versions (${versions.length})`}>
        <Table label="Versions">
          <thead>
            <tr><th>Version</th><th>Stage</th><th>Author</th><th>Created</th><th>Training dataset</th><th>Code commit</th></tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id}>
                <td><a href={`/models/${model.name}/versions/${v.version}`} className="font-medium">v{v.version}</a></td>
                <td><Badge>{v.stage}</Badge></td>
                <td>{v.author}</td>
                <td title={when(v.createdAt)}>{ago(v.createdAt)}</td>
                <td>{v.trainingDataset ?? "—"}</td>
                <td className="font-mono text-xs">{v.codeCommit ?? "—"}</td>
              </tr>
            ))}
            {versions.length === 0 && <tr><td colSpan={6} className="text-center text-slate-500">No versions registered yet.</td></tr>}
          </tbody>
        </Table>
      </Card>
    </>
  );
}
