import { pageCaller } from "@/server/trpc/server-caller";
import { Card, PageHeader } from "../../../_components/ui";
import { FeatureList } from "../feature-list";
import { AdjudicateForm } from "./adjudicate-form";

/** Items whose reviewers disagree: a data scientist reads the labels and notes and settles the answer. */
export default async function AdjudicatePage() {
  const { api } = await pageCaller("feedback:adjudicate");
  const { total, items } = await api.feedback.conflicts({ limit: 25, offset: 0 });
  return (
    <>
      <PageHeader
        title="Adjudication"
        subtitle={`${total} item${total === 1 ? "" : "s"} with conflicting labels; the label you choose is the one that counts.`}
      />
      {items.length === 0 ? (
        <Card>
          <p data-testid="no-conflicts" className="text-sm">
            No conflicting labels to resolve.
          </p>
        </Card>
      ) : (
        <div className="space-y-4">
          {items.map((i) => (
            <Card
              key={i.id}
              title={
                <>
                  {i.model} v{i.version} · request <code className="text-xs">{i.externalId}</code>
                </>
              }
            >
              <div className="grid gap-6 lg:grid-cols-[3fr_2fr]" data-testid="conflict" data-item-id={i.id}>
                <FeatureList features={i.features} />
                <div className="space-y-3 text-sm">
                  <p>
                    Model: <strong>{i.prediction}</strong>
                    {i.confidence !== null && ` (${(i.confidence * 100).toFixed(1)} %)`}
                  </p>
                  <ul className="space-y-1" aria-label="Labels given">
                    {i.labels.map((l, k) => (
                      <li key={k}>
                        {l.reviewer}: <strong>{l.label}</strong>
                        {l.flags.length > 0 && <span className="text-amber-700"> ({l.flags.join(", ")})</span>}
                        <span className="text-xs text-slate-500" data-testid="label-guidelines">
                          {" "}
                          · {l.guidelineVersion === null ? "no guidelines shown" : `guidelines v${l.guidelineVersion}`}
                        </span>
                        {l.note && <span className="text-slate-600"> — “{l.note}”</span>}
                      </li>
                    ))}
                  </ul>
                  <AdjudicateForm
                    itemId={i.id}
                    classes={i.task === "regression" ? null : i.classes}
                    given={[...new Set(i.labels.map((l) => l.label))]}
                  />
                </div>
              </div>
            </Card>
          ))}
        </div>
      )}
    </>
  );
}
