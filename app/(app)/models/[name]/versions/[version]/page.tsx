import Link from "next/link";
import { notFound } from "next/navigation";
import { pageCaller } from "@/server/trpc/server-caller";
import { ago, when } from "../../../../../_components/format";
import { ConfigDiffTable } from "../../../../../_components/config-diff";
import { Markdown } from "../../../../../_components/markdown";
import { MarkdownEditor } from "../../../../../_components/markdown-editor";
import { Badge, Button, Card, Json, LinkButton, PageHeader, Select } from "../../../../../_components/ui";
import { CurationCard } from "./curation-card";
import { ReferenceCard } from "./reference-card";

export default async function VersionPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string; version: string }>;
  searchParams: Promise<{ against?: string }>;
}) {
  const { name, version: raw } = await params;
  const version = Number(raw);
  if (!Number.isInteger(version) || version < 1) notFound();
  const { api, can } = await pageCaller("registry:read");
  const [v, model, overrides, reference] = await Promise.all([
    api.models.version({ model: name, version }),
    api.models.byName({ name }),
    api.releases.versionOverrides({ model: name, version }),
    api.referenceData.forVersion({ model: name, version }),
  ]);
  const others = model.versions.filter((o) => o.version !== version);
  const { against: againstRaw } = await searchParams;
  const against = Number(againstRaw ?? others[0]?.version ?? 0);
  const diff = others.some((o) => o.version === against)
    ? await api.models.diff({ model: name, from: against, to: version })
    : null;
  return (
    <>
      <PageHeader
        title={
          <>
            {name} <span className="text-slate-500">v{v.version}</span> <Badge>{v.stage}</Badge>
          </>
        }
        subtitle={v.description}
        actions={
          v.stage !== "champion" && (
            <LinkButton href={`/models/${name}/versions/${v.version}/release`}>
              {can("releases:request") ? "Request release" : "Gate"}
            </LinkButton>
          )
        }
      />
      <p className="-mt-3 mb-4 text-sm">
        <Link href={`/models/${name}/versions/${v.version}/reports`} className="font-medium">
          Reports
        </Link>{" "}
        <span className="text-slate-500">— evaluation reports, metrics with intervals, back-tests</span>
      </p>
      {overrides.map((e) => (
        <p
          key={e.href}
          role="note"
          data-testid="version-override"
          className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          Released as an <strong>override</strong> of a gate that did not pass ({when(e.at)},{" "}
          <Link href={e.href ?? "#"}>the decision</Link>). Justification: “{e.overrideJustification}”
        </p>
      ))}
      <CurationCard
        model={name}
        version={v.version}
        tags={v.tags}
        archivedAt={v.archivedAt}
        canTag={can("versions:write")}
        canArchive={can("versions:archive")}
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Artifact">
          <dl className="grid grid-cols-[9rem_1fr] gap-y-1 text-sm">
            <dt className="text-slate-500">URI</dt>
            <dd className="font-mono text-xs break-all">{v.artifactUri}</dd>
            <dt className="text-slate-500">sha256</dt>
            <dd className="font-mono text-xs break-all" data-testid="sha256">
              {v.artifactSha256}
            </dd>
            <dt className="text-slate-500">Author</dt>
            <dd>{v.author}</dd>
            <dt className="text-slate-500">Created</dt>
            <dd title={when(v.createdAt)}>{ago(v.createdAt)}</dd>
            <dt className="text-slate-500">Code commit</dt>
            <dd className="font-mono text-xs">{v.codeCommit ?? "—"}</dd>
          </dl>
        </Card>
        <Card title="Lineage">
          <dl className="grid grid-cols-[9rem_1fr] gap-y-1 text-sm">
            <dt className="text-slate-500">Training data</dt>
            <dd>
              {v.trainingDataset ? (
                <>
                  {v.trainingDataset.name} v{v.trainingDataset.version} · {v.trainingDataset.rowCount.toLocaleString()}{" "}
                  rows
                  {v.trainingDataset.periodStart && (
                    <>
                      {" "}
                      · {v.trainingDataset.periodStart} → {v.trainingDataset.periodEnd}
                    </>
                  )}
                  <div className="font-mono text-xs break-all text-slate-500">{v.trainingDataset.hash}</div>
                </>
              ) : (
                "—"
              )}
            </dd>
            <dt className="text-slate-500">Derived from</dt>
            <dd data-testid="lineage">
              {v.lineage.length === 0
                ? "— (first of its line)"
                : v.lineage.map((l, i) => (
                    <span key={l.version}>
                      {i > 0 && " ← "}
                      <Link href={`/models/${name}/versions/${l.version}`}>v{l.version}</Link>
                    </span>
                  ))}
            </dd>
          </dl>
        </Card>
        <Card title="Coefficients / config">
          <Json value={v.config} />
        </Card>
        <Card title="Hyper-parameters">
          <Json value={v.hyperparameters} />
        </Card>
      </div>
      <ReferenceCard
        model={name}
        version={v.version}
        view={reference}
        canSet={can("reference:write")}
        canDeclare={can("models:write")}
      />
      <Card title="Notes" className="mt-6">
        {v.notes.trim() ? (
          <Markdown text={v.notes} testId="version-notes" />
        ) : (
          <p className="text-sm text-slate-500">No notes for this version.</p>
        )}
        {can("versions:write") && (
          <div className="mt-3">
            <MarkdownEditor
              target={{ kind: "notes", model: name, version: v.version }}
              initial={v.notes}
              label="notes"
            />
          </div>
        )}
      </Card>
      <Card title="Config diff" className="mt-6">
        {others.length === 0 ? (
          <p className="text-sm text-slate-500">This is the only version; there is nothing to compare with.</p>
        ) : (
          <>
            <form className="mb-4 flex items-center gap-2 text-sm">
              <label htmlFor="against">Compare v{version} against</label>
              <Select id="against" name="against" defaultValue={String(against)}>
                {others.map((o) => (
                  <option key={o.version} value={o.version}>
                    v{o.version} ({o.stage})
                  </option>
                ))}
              </Select>
              <Button type="submit" worksWithoutScript variant="secondary">
                Show diff
              </Button>
            </form>
            {diff && <ConfigDiffTable title="config" changes={diff.config} from={diff.from} to={diff.to} />}
            {diff && diff.hyperparameters.length > 0 && (
              <ConfigDiffTable title="hyper-parameters" changes={diff.hyperparameters} from={diff.from} to={diff.to} />
            )}
          </>
        )}
      </Card>
    </>
  );
}
