import Link from "next/link";
import type { ProportionWithInterval } from "@/server/stats/feedback";
import { pageCaller } from "@/server/trpc/server-caller";
import { ReliabilityChart } from "../../../../_components/charts/reliability-chart";
import { formatMetric, when } from "../../../../_components/format";
import { Card, PageHeader, Table } from "../../../../_components/ui";
import { HumanBaselineForm } from "./human-baseline-form";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: `${(await params).name}: label quality` };
}

const pct = (v: number | null | undefined) => (v === null || v === undefined ? "—" : `${(v * 100).toFixed(1)} %`);
const num = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? "—" : v.toFixed(3));
const range = (ci: [number, number] | null, fmt: (v: number) => string = num) =>
  ci ? `${fmt(ci[0])} – ${fmt(ci[1])}` : "—";

function Proportion({ p }: { p: ProportionWithInterval }) {
  return p.accuracy === null ? (
    <span className="text-slate-500">not measured</span>
  ) : (
    <>
      <strong>{pct(p.accuracy)}</strong> <span className="text-slate-500">({range(p.interval, pct)})</span>
    </>
  );
}

/** A kappa, or why it is not defined (every label the same class, too few shared items…): never a made-up 0. */
function KappaValue({ kappa }: { kappa: { kappa: number | null; undefinedReason?: string | null } }) {
  return kappa.kappa === null ? (
    <span className="text-slate-500">not defined: {kappa.undefinedReason}</span>
  ) : (
    <strong>{num(kappa.kappa)}</strong>
  );
}

function Empty({ children, testId }: { children: React.ReactNode; testId?: string }) {
  return (
    <p className="text-sm text-slate-600" data-testid={testId}>
      {children}
    </p>
  );
}

export default async function LabelQualityPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const { api, can } = await pageCaller("registry:read");
  const [q, stored, registry] = await Promise.all([
    api.feedback.quality({ model: name }),
    api.feedback.humanBaselines({ model: name }),
    api.models.byName({ name }),
  ]);
  const title = `${name}: label quality`;
  if (!q.applicable) {
    return (
      <>
        <PageHeader title={title} />
        <Card>
          <Empty testId="label-quality-not-applicable">{q.notApplicableReason}</Empty>
        </Card>
      </>
    );
  }
  const namedNote = q.reviewersNamed
    ? "Reviewers are named because you run the review (data scientists)."
    : "Reviewers are numbered, not named: how one person measures against another is for the people who run the review.";
  const versions = registry.versions.map((v) => ({ version: v.version, stage: v.stage }));
  const defaultVersion =
    registry.versions.find((v) => v.stage === "challenger")?.version ??
    registry.champion?.version ??
    versions[versions.length - 1]?.version ??
    1;
  const human = q.human.firstLabels;

  return (
    <>
      <PageHeader
        title={title}
        subtitle="What the reviewers' labels say about the labels themselves, and about the model's confidence."
      />
      <div className="space-y-6">
        <Card title="Agreement between reviewers">
          <p className="mb-3 text-sm text-slate-600">
            Cohen&apos;s kappa for each pair of reviewers on the items both labeled (1 = always agree, 0 = no more than
            chance), with its asymptotic 95 % interval. {q.agreement.sharedItems} item
            {q.agreement.sharedItems === 1 ? " has" : "s have"} two or more labels. {namedNote}
          </p>
          {q.agreement.pairs.length === 0 ? (
            <Empty testId="no-agreement">
              Not enough labels: no item has been labeled by two reviewers yet, so agreement is not measured. A review
              policy with an overlap of 2 or more gives items a second reviewer.
            </Empty>
          ) : (
            <Table label="Cohen's kappa per pair of reviewers">
              <thead>
                <tr>
                  <th>Reviewers</th>
                  <th>Items both labeled</th>
                  <th>Observed agreement</th>
                  <th>Chance agreement</th>
                  <th>Cohen&apos;s κ</th>
                  <th>95 % interval</th>
                </tr>
              </thead>
              <tbody>
                {q.agreement.pairs.map((p) => (
                  <tr key={`${p.a.key}-${p.b.key}`} data-testid="kappa-row">
                    <td>
                      {p.a.name} · {p.b.name}
                    </td>
                    <td>{p.kappa.n}</td>
                    <td>{pct(p.kappa.observedAgreement)}</td>
                    <td>{pct(p.kappa.expectedAgreement)}</td>
                    <td>
                      <KappaValue kappa={p.kappa} />
                    </td>
                    <td>{range(p.kappa.interval)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
          <h3 className="mt-5 mb-2 text-sm font-semibold text-slate-800">
            Fleiss&apos; kappa (3 or more labels per item)
          </h3>
          {q.agreement.fleiss.length === 0 ? (
            <Empty testId="no-fleiss">
              No item has three or more labels, so Fleiss&apos; kappa is not measured (with two reviewers per item,
              Cohen&apos;s kappa above is the measure).
            </Empty>
          ) : (
            <Table label="Fleiss' kappa">
              <thead>
                <tr>
                  <th>Labels per item</th>
                  <th>Items</th>
                  <th>Fleiss&apos; κ</th>
                  <th>95 % bootstrap interval</th>
                </tr>
              </thead>
              <tbody>
                {q.agreement.fleiss.map((f) => (
                  <tr key={f.labelsPerItem}>
                    <td>{f.labelsPerItem}</td>
                    <td>{f.kappa.items}</td>
                    <td>
                      <KappaValue kappa={f.kappa} />
                    </td>
                    <td>{range(f.kappa.interval)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>

        <Card title="Reviewers' accuracy on gold items">
          <p className="mb-3 text-sm text-slate-600">
            Gold items have a known label; each reviewer meets each at most once. The unbiased check of a reviewer, with
            Wilson&apos;s 95 % interval. {q.gold.items} gold item{q.gold.items === 1 ? "" : "s"}.
          </p>
          {q.gold.perReviewer.length === 0 ? (
            <Empty testId="no-gold">
              {q.gold.items === 0
                ? "No gold items yet: a data scientist promotes a settled item to gold, and the review policy's gold share serves them."
                : "No gold item has been labeled yet, so no reviewer's accuracy is measured."}
            </Empty>
          ) : (
            <ReviewerAccuracyTable label="Accuracy on gold items per reviewer" rows={q.gold.perReviewer} />
          )}
        </Card>

        <Card title="Human accuracy (the human baseline)">
          <div className="space-y-3 text-sm">
            <p className="text-slate-600">
              The first label of every item two or more reviewers labeled, against the label that counts (their
              agreement, or the adjudication when they disagreed): one label per item, given without knowing the second.
              It leans slightly optimistic: a first label the second reviewer repeated counts as right even if both were
              wrong, and the adjudicator saw both labels. Items still waiting for adjudication ({q.human.openConflicts})
              are not counted.
            </p>
            {human.accuracy === null ? (
              <Empty testId="no-human-accuracy">
                Not enough labels: no item labeled by two reviewers is settled yet, so human accuracy is not measured.
              </Empty>
            ) : (
              <p data-testid="human-accuracy">
                Human accuracy: <Proportion p={human} /> on {human.n} items ({human.correct} right;{" "}
                {q.human.adjudicatedItems} settled by adjudication).
              </p>
            )}
            {q.human.perReviewer.length > 0 && (
              <ReviewerAccuracyTable
                label="Accuracy against the label that counts, per reviewer"
                rows={q.human.perReviewer}
              />
            )}
            <p className="text-slate-600">
              Recorded, it is a <code>baseline</code> report (human) of a version, with the same labels as its outcomes:
              Ratchet computes its accuracy and interval like any report, and the gate&apos;s &quot;beats the
              baselines&quot; compares the version&apos;s reports with it on the primary metric.{" "}
              {q.primaryMetric === "accuracy" ? (
                <>This model&apos;s primary metric is accuracy, so the gate uses it.</>
              ) : (
                <strong data-testid="gate-metric-note">
                  This model&apos;s primary metric is {q.primaryMetric ?? "not agreed yet"}: people give no scores, so
                  the gate will not compare with a human accuracy until the primary metric is accuracy.
                </strong>
              )}
            </p>
            {can("reports:write") && human.accuracy !== null && (
              <HumanBaselineForm model={name} versions={versions} defaultVersion={defaultVersion} />
            )}
            {stored.length > 0 && (
              <Table label="Recorded human baselines">
                <thead>
                  <tr>
                    <th>Version</th>
                    <th>Accuracy</th>
                    <th>95 % interval</th>
                    <th>Labels</th>
                    <th>Recorded</th>
                  </tr>
                </thead>
                <tbody>
                  {stored.map((r) => (
                    <tr key={r.id} data-testid="human-baseline-row">
                      <td>
                        <Link href={`/models/${encodeURIComponent(name)}/versions/${r.version}/reports`}>
                          v{r.version}
                        </Link>
                      </td>
                      <td>
                        <Link href={`/reports/${r.id}`}>{r.accuracy ? formatMetric(r.accuracy.value) : "—"}</Link>
                      </td>
                      <td>{range(r.accuracy?.ci ?? null)}</td>
                      <td>{r.sampleSize}</td>
                      <td>{when(r.createdAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </div>
        </Card>

        <Card title="Calibration">
          <p className="mb-3 text-sm text-slate-600">
            Does a confidence of 80 % mean right 80 % of the time? Only items the <strong>random draw</strong> selected
            (the review policy&apos;s random share) count here, a low-confidence item the draw also picked included: the
            items the low-confidence rule sends alone would show the model at its worst. Confidences in{" "}
            {q.calibration.bins} equal-width bins; expected calibration error (ECE) = Σ (n_b / N) · |accuracy_b −
            confidence_b|.
          </p>
          {q.calibration.versions.length === 0 ? (
            <Empty testId="no-calibration">
              Not measured: no prediction of this model has been drawn at random for review. Give the review policy a
              random share to measure calibration.
            </Empty>
          ) : (
            <div className="space-y-6">
              {q.calibration.versions.map((v) => {
                const c = v.calibration;
                const points = c.bins
                  .filter((b) => b.count > 0 && b.accuracy !== null && b.meanConfidence !== null)
                  .map((b) => ({
                    confidence: b.meanConfidence!,
                    accuracy: b.accuracy!,
                    n: b.count,
                    bin: `${pct(b.lower)}–${pct(b.upper)}`,
                  }));
                return (
                  <section key={v.version} aria-labelledby={`calibration-v${v.version}`} data-testid="calibration">
                    <h3 id={`calibration-v${v.version}`} className="mb-1 text-sm font-semibold text-slate-800">
                      Version {v.version}
                    </h3>
                    <p className="mb-2 text-sm" data-testid={`ece-v${v.version}`}>
                      {c.expectedCalibrationError === null ? (
                        <span className="text-slate-600">
                          Not measured: none of the {v.waiting} randomly drawn item{v.waiting === 1 ? " is" : "s are"}{" "}
                          settled yet.
                        </span>
                      ) : (
                        <>
                          ECE <strong>{num(c.expectedCalibrationError)}</strong> on {v.labeled} randomly drawn item
                          {v.labeled === 1 ? "" : "s"} (largest bin gap {num(c.maximumCalibrationError)}
                          {v.waiting ? `; ${v.waiting} more waiting for labels` : ""}).
                        </>
                      )}
                    </p>
                    {points.length > 0 && (
                      <div className="grid gap-4 lg:grid-cols-2">
                        <ReliabilityChart points={points} label={`Reliability diagram of version ${v.version}`} />
                        <Table label={`Reliability bins of version ${v.version}`}>
                          <thead>
                            <tr>
                              <th>Confidence bin</th>
                              <th>Items (n)</th>
                              <th>Mean confidence</th>
                              <th>Accuracy</th>
                            </tr>
                          </thead>
                          <tbody>
                            {c.bins
                              .filter((b) => b.count > 0)
                              .map((b) => (
                                <tr key={b.lower}>
                                  <td>
                                    {pct(b.lower)} – {pct(b.upper)}
                                  </td>
                                  <td>{b.count}</td>
                                  <td>{pct(b.meanConfidence)}</td>
                                  <td>{pct(b.accuracy)}</td>
                                </tr>
                              ))}
                          </tbody>
                        </Table>
                      </div>
                    )}
                  </section>
                );
              })}
            </div>
          )}
        </Card>
      </div>
    </>
  );
}

/** One reviewer per row: how many labels were judged, how many were right, and the accuracy with its interval. */
function ReviewerAccuracyTable({
  label,
  rows,
}: {
  label: string;
  rows: ({ reviewer: { key: string; name: string }; n: number; correct: number } & ProportionWithInterval)[];
}) {
  return (
    <Table label={label}>
      <thead>
        <tr>
          <th>Reviewer</th>
          <th>Labels</th>
          <th>Right</th>
          <th>Accuracy (95 % interval)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.reviewer.key}>
            <td>{r.reviewer.name}</td>
            <td>{r.n}</td>
            <td>{r.correct}</td>
            <td>
              <Proportion p={r} />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
