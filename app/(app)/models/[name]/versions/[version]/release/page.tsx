import { notFound } from "next/navigation";
import { pageCaller } from "@/server/trpc/server-caller";
import { GateView } from "../../../../../../_components/gate-view";
import { Card, PageHeader } from "../../../../../../_components/ui";
import { RequestReleaseForm } from "./request-release-form";

export default async function RequestReleasePage({ params }: { params: Promise<{ name: string; version: string }> }) {
  const { name, version: raw } = await params;
  const version = Number(raw);
  if (!Number.isInteger(version) || version < 1) notFound();
  const { api, can } = await pageCaller("registry:read");
  const preview = await api.releases.gate({ model: name, version });
  return (
    <>
      <PageHeader
        title={`Release ${name} v${version}`}
        subtitle="The gate below is frozen with the request, together with a hash of the evidence behind it."
      />
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <Card title="Gate now">
          <GateView gate={preview.gate} />
        </Card>
        <Card title="Request a release">
          {preview.stage === "champion" ? (
            <p className="text-sm text-slate-600">v{version} is already the champion.</p>
          ) : can("releases:request") ? (
            <RequestReleaseForm model={name} version={version} gateStatus={preview.gate.status} />
          ) : (
            <p className="text-sm text-slate-600">Only data scientists request releases.</p>
          )}
        </Card>
      </div>
    </>
  );
}
