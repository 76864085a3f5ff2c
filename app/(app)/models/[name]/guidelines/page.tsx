import Link from "next/link";
import { createLoader, parseAsInteger, type SearchParams } from "nuqs/server";
import { pageCaller } from "@/server/trpc/server-caller";
import { ago, when } from "../../../../_components/format";
import { Markdown } from "../../../../_components/markdown";
import { MarkdownEditor } from "../../../../_components/markdown-editor";
import { Badge, Card, PageHeader, Table } from "../../../../_components/ui";
import { GuidelineDiff } from "./guideline-diff";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: `${(await params).name}: labeling guidelines` };
}

const loadParams = createLoader({ version: parseAsInteger, from: parseAsInteger, to: parseAsInteger });
// A hand-edited URL with a number out of range shows the latest version rather than failing the page.
const versionNumber = (n: number | null) => (n !== null && n >= 1 && n <= 2_147_483_647 ? n : undefined);

export default async function GuidelinesPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const { name } = await params;
  const url = loadParams(await searchParams);
  const { api, can } = await pageCaller("registry:read");
  const from = versionNumber(url.from);
  const to = versionNumber(url.to);
  const [history, shown, latest, diff] = await Promise.all([
    api.guidelines.history({ model: name }),
    api.guidelines.version({ model: name, version: versionNumber(url.version) }),
    api.guidelines.version({ model: name }),
    from && to && from !== to ? api.guidelines.diff({ model: name, from, to }) : null,
  ]);
  const base = `/models/${encodeURIComponent(name)}/guidelines`;
  const isLatest = shown?.version === latest?.version;
  return (
    <>
      <PageHeader
        title={`${name}: labeling guidelines`}
        subtitle="How reviewers decide a label for this model. Each change is a new version; labels record the version they were given under."
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <Card
            title={shown ? `Version ${shown.version}` : "No guidelines yet"}
            actions={
              shown &&
              (isLatest ? <Badge variant="active">latest</Badge> : <Badge variant="neutral">older version</Badge>)
            }
          >
            {shown ? (
              <>
                {!isLatest && latest && (
                  <p
                    className="mb-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900"
                    data-testid="older-version"
                  >
                    You are reading version {shown.version}. The current guidelines are{" "}
                    <Link className="underline" href={base}>
                      version {latest.version}
                    </Link>
                    .
                  </p>
                )}
                <Markdown text={shown.markdown} testId="guidelines-text" />
                <p className="mt-3 text-xs text-slate-500" data-testid="guidelines-meta">
                  Version {shown.version} by {shown.author}, {when(shown.createdAt)}
                  {shown.changeNote && ` — ${shown.changeNote}`}
                </p>
              </>
            ) : (
              <p className="text-sm text-slate-600" data-testid="guidelines-empty">
                Nobody has written guidelines for {name} yet: what each label means, how to decide borderline cases, and
                when to flag or skip an item belong here.
              </p>
            )}
            {can("guidelines:write") && (
              <div className="mt-4">
                <MarkdownEditor
                  // A new key per version: after publishing, the editor starts again from the new text.
                  key={latest?.version ?? 0}
                  target={{ kind: "guidelines", model: name, basedOnVersion: latest?.version ?? 0 }}
                  initial={latest?.markdown ?? ""}
                  label="guidelines"
                />
              </div>
            )}
          </Card>
          {diff && (
            <Card title={`Changes from version ${diff.from} to version ${diff.to}`}>
              <GuidelineDiff changes={diff.changes} added={diff.added} removed={diff.removed} />
            </Card>
          )}
        </div>
        <Card title={`History (${history.versions.length})`}>
          {history.versions.length === 0 ? (
            <p className="text-sm text-slate-500">No versions yet.</p>
          ) : (
            <Table label="Guideline versions">
              <thead>
                <tr>
                  <th>Version</th>
                  <th>Written</th>
                  <th>Compare</th>
                </tr>
              </thead>
              <tbody>
                {history.versions.map((v) => (
                  <tr key={v.version} data-testid={`guidelines-version-${v.version}`}>
                    <td>
                      <Link className="text-indigo-700 underline" href={`${base}?version=${v.version}`}>
                        v{v.version}
                      </Link>
                    </td>
                    <td>
                      <div>{v.author}</div>
                      <div className="text-xs text-slate-500" title={when(v.createdAt)}>
                        {ago(v.createdAt)}
                      </div>
                      {v.changeNote && <div className="text-xs text-slate-600">{v.changeNote}</div>}
                    </td>
                    <td>
                      {v.version > 1 ? (
                        <Link
                          className="text-indigo-700 underline"
                          href={`${base}?version=${v.version}&from=${v.version - 1}&to=${v.version}`}
                        >
                          changes from v{v.version - 1}
                        </Link>
                      ) : (
                        <span className="text-xs text-slate-500">first version</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
