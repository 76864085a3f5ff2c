import { pageCaller } from "@/server/trpc/server-caller";
import { PageHeader } from "../../../../../_components/ui";
import { NewVersionForm } from "./new-version-form";

export default async function NewVersionPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const { api } = await pageCaller("versions:write");
  const [model, datasets] = await Promise.all([
    api.models.byName({ name }),
    api.datasets.list({ model: name, pageSize: 500 }),
  ]);
  return (
    <>
      <PageHeader
        title={`Register a version of ${name}`}
        subtitle="It gets the next version number and starts as a candidate."
      />
      <NewVersionForm
        model={name}
        latestVersion={model.versions[0]?.version ?? null}
        datasets={datasets.datasets.map((d) => ({
          name: d.name,
          version: d.version,
          role: d.role,
          ownedByModel: d.ownedByModel,
        }))}
      />
    </>
  );
}
