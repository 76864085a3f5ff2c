import Link from "next/link";
import { pageCaller } from "@/server/trpc/server-caller";
import { Card, PageHeader } from "../../../../_components/ui";
import { FeaturesEditor } from "./features-editor";

/**
 * The model's declared features: what ingestion checks every prediction against and what the drift
 * pages call important. Proposed from a version's reference data (on the version page), edited here.
 */
export default async function FeaturesPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const { api, can } = await pageCaller("registry:read");
  const [{ features }, model] = await Promise.all([api.features.list({ model: name }), api.models.byName({ name })]);
  const champion = model.champion;
  return (
    <>
      <PageHeader
        title="Declared features"
        subtitle="Ingestion counts a missing, extra or wrongly typed feature and a category the reference never had; important features are the ones alerts watch first."
      />
      <Card>
        {features.length === 0 ? (
          <p className="text-sm text-slate-500" data-testid="no-features">
            {name} declares no features yet, so only non-finite values are checked in its traffic. Upload reference data
            on a version&apos;s page
            {champion && (
              <>
                {" "}
                (the champion&apos;s:{" "}
                <Link href={`/models/${name}/versions/${champion.version}`}>v{champion.version}</Link>)
              </>
            )}{" "}
            and declare the features it proposes.
          </p>
        ) : (
          <FeaturesEditor model={name} features={features} canEdit={can("models:write")} />
        )}
      </Card>
    </>
  );
}
