import { z } from "zod";
import { modelName } from "@/server/domain/registry/schemas";
import { pageCaller } from "@/server/trpc/server-caller";
import { when } from "../../../_components/format";
import { Card, PageHeader, Table } from "../../../_components/ui";
import { ModelPicker, PolicyForm } from "./policy-form";

const params = z.object({ model: modelName.optional().catch(undefined) });
const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

/** A model's review policy: what goes to reviewers, in which order, how often with overlap or gold; every version. */
export default async function ReviewPolicyPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const { api } = await pageCaller("feedback:policy");
  const { models } = await api.models.list({ sort: "name", dir: "asc", pageSize: 100 });
  const names = models.map((m) => m.name);
  const model = params.parse(await searchParams).model ?? names[0];
  const policy = model ? await api.feedback.policy({ model }) : null;
  return (
    <>
      <PageHeader
        title="Review policy"
        subtitle="Which predictions reach reviewers; applies to predictions logged from now on."
      />
      <div className="mb-4">
        <ModelPicker models={names} value={model ?? ""} />
      </div>
      {policy && (
        <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
          <Card
            title={`${policy.model}: ${policy.current.version ? `version ${policy.current.version}` : "defaults (never saved)"}`}
          >
            <PolicyForm
              key={`${policy.model}-${policy.current.version}`}
              model={policy.model}
              task={policy.task}
              current={policy.current}
            />
          </Card>
          <Card title="History">
            {policy.history.length === 0 ? (
              <p className="text-sm text-slate-600">
                No policy saved: the model&apos;s review threshold ({policy.current.threshold}) applies on confidence.
              </p>
            ) : (
              <Table label="Policy versions">
                <thead>
                  <tr>
                    <th>Version</th>
                    <th>Rule</th>
                    <th>Random</th>
                    <th>Overlap</th>
                    <th>Saved</th>
                  </tr>
                </thead>
                <tbody>
                  {policy.history.map((h) => (
                    <tr key={h.version}>
                      <td>{h.version}</td>
                      <td>
                        {h.strategy} {h.strategy === "entropy" ? ">" : "<"} {h.threshold}
                      </td>
                      <td>{pct(h.randomShare)}</td>
                      <td>{h.overlap}</td>
                      <td>
                        {h.createdAt && when(h.createdAt)} by {h.createdByLabel}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </Card>
        </div>
      )}
    </>
  );
}
