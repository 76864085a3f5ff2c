import Link from "next/link";
import { z } from "zod";
import { notFound } from "next/navigation";
import { pageCaller } from "@/server/trpc/server-caller";
import { when } from "../../../_components/format";
import { GateView } from "../../../_components/gate-view";
import { Badge, Card, Json, PageHeader } from "../../../_components/ui";
import { alertHref } from "../../models/[name]/alerts/alert-href";
import { DecisionForm } from "./decision-form";

export default async function ReleasePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!z.uuid().safeParse(id).success) notFound();
  const { api } = await pageCaller("registry:read");
  const r = await api.releases.byId({ id });
  // The gate re-checks alerts at decision time: a critical alert opened since the request blocks approval
  // even though the gate at request passed, so the page says so now rather than on "Approve".
  const critical =
    r.status === "pending"
      ? (await api.alerts.list({ model: r.model, status: "unresolved", limit: 200 })).alerts.filter(
          (a) => a.severity === "critical",
        )
      : [];
  const title =
    r.kind === "rollback"
      ? `Rollback of ${r.model} to v${r.toVersion}`
      : `${r.model} v${r.toVersion}: ${r.strategy}${r.share ? ` ${Math.round(r.share * 100)} %` : ""} release`;
  return (
    <>
      <PageHeader
        title={title}
        subtitle={
          <>
            Requested {when(r.requestedAt)} by {r.requestedByLabel} ·{" "}
            <Badge tone={r.status === "approved" ? "champion" : r.status === "rejected" ? "revoked" : "challenger"}>
              {r.status}
            </Badge>
          </>
        }
      />
      {r.override && (
        <p
          role="note"
          data-testid="override-banner"
          className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
        >
          Approved as an <strong>override</strong> of a gate that did not pass. Justification: “
          {r.overrideJustification}”
        </p>
      )}
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <div className="space-y-6">
          <Card title="Rationale">
            <p className="text-sm" data-testid="rationale">
              {r.rationale}
            </p>
          </Card>
          {r.gateAtRequest && (
            <Card title="Gate at request">
              <GateView gate={r.gateAtRequest} testId="gate-request" />
            </Card>
          )}
          {critical.length > 0 && (
            <Card title="Unresolved critical alerts now">
              <p className="mb-2 text-sm text-red-800" data-testid="blocking-alerts">
                The gate&apos;s alert check fails until {critical.length === 1 ? "this alert is" : "these alerts are"}{" "}
                resolved (acknowledging is not enough):
              </p>
              <ul className="list-disc pl-5 text-sm">
                {critical.map((a) => (
                  <li key={a.id}>
                    <Link href={alertHref(a)}>{a.title}</Link> ({a.status},{" "}
                    <Link href={`/models/${r.model}/alerts`}>answer it on the model&apos;s alerts</Link>)
                  </li>
                ))}
              </ul>
            </Card>
          )}
          {r.gateAtDecision && (
            <Card title="Gate at decision">
              <GateView gate={r.gateAtDecision} testId="gate-decision" />
            </Card>
          )}
        </div>
        <div className="space-y-6">
          {r.status === "pending" ? (
            <Card title="Decision">
              {/* The policy's four-eyes predicate (server/authz/policy.ts), the same one the decision enforces. */}
              {r.decisionForMe && !r.decisionForMe.allowed ? (
                <p className="text-sm text-slate-600" data-testid="cannot-decide">
                  {r.decisionForMe.reason}
                </p>
              ) : (
                <DecisionForm
                  release={{
                    id: r.id,
                    model: r.model,
                    toVersion: r.toVersion,
                    fromVersion: r.fromVersion,
                    strategy: r.strategy,
                    share: r.share,
                  }}
                  gatePasses={r.gateAtRequest?.status === "pass" && critical.length === 0}
                />
              )}
              {r.fromVersion && (
                <p className="mt-4 text-sm">
                  <Link href={`/models/${r.model}/compare?a=${r.fromVersion}&b=${r.toVersion}`}>
                    Compare v{r.toVersion} with champion v{r.fromVersion}
                  </Link>
                </p>
              )}
            </Card>
          ) : (
            <Card title="Decision">
              <p className="text-sm" data-testid="decision">
                {r.status} by {r.decidedByLabel} at {when(r.decidedAt)}: {r.decisionNote}
              </p>
            </Card>
          )}
          {r.evidence !== null && (
            <Card title="Evidence bundle">
              <p className="mb-2 font-mono text-xs break-all text-slate-500">sha256 {r.evidenceHash}</p>
              <Json value={r.evidence} />
            </Card>
          )}
        </div>
      </div>
    </>
  );
}
