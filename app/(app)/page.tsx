import type { Metadata } from "next";
import Link from "next/link";
import { pageCaller } from "@/server/trpc/server-caller";
import { ago, taskLabel } from "../_components/format";
import { GateStatus } from "../_components/gate-view";
import { Badge, Card, PageHeader, Table } from "../_components/ui";

export const metadata: Metadata = { title: "Overview" };

const share = (s: number | null) => (s ? ` ${Math.round(s * 100)} %` : "");

/** The landing page: what needs the signed-in person now, then every model at a glance. */
export default async function OverviewPage() {
  const { api, principal } = await pageCaller("registry:read");
  const { models, decisions, candidates } = await api.models.overview();
  const name = principal.kind === "user" ? principal.name : "";
  return (
    <>
      <PageHeader
        title="Overview"
        subtitle={name ? `What needs you now, ${name}, and every model at a glance.` : undefined}
      />
      <div className="space-y-6">
        {decisions && (
          <Card title={`Waiting for a manager (${decisions.releases.length + decisions.loosenings.length})`}>
            <Table label="Decisions waiting for a manager">
              <thead>
                <tr>
                  <th>What</th>
                  <th>Model</th>
                  <th>Gate at request</th>
                  <th>Asked</th>
                  <th />
                </tr>
              </thead>
              <tbody data-testid="overview-decisions">
                {decisions.releases.map((r) => (
                  <tr key={r.id}>
                    <td>
                      Release v{r.version}{" "}
                      <Badge>
                        {r.strategy}
                        {share(r.share)}
                      </Badge>
                    </td>
                    <td>
                      <Link href={`/models/${r.model}`}>{r.model}</Link>
                    </td>
                    <td>{r.gate ? <GateStatus status={r.gate} /> : "—"}</td>
                    <td>
                      {ago(r.requestedAt)} by {r.requestedByLabel}
                    </td>
                    <td>
                      {r.blockedForMe ? (
                        <span className="text-xs text-slate-500">another manager decides (four eyes)</span>
                      ) : (
                        <Link href={`/releases/${r.id}`}>Review</Link>
                      )}
                    </td>
                  </tr>
                ))}
                {decisions.loosenings.map((s) => (
                  <tr key={s.id}>
                    <td>
                      Loosen requirements (set {s.version}):{" "}
                      <span className="text-slate-600">{s.loosens.join("; ")}</span>
                    </td>
                    <td>
                      <Link href={`/models/${s.model}`}>{s.model}</Link>
                    </td>
                    <td>—</td>
                    <td>
                      {ago(s.proposedAt)} by {s.proposedByLabel}
                    </td>
                    <td>
                      {s.blockedForMe ? (
                        <span className="text-xs text-slate-500">another manager decides (four eyes)</span>
                      ) : (
                        <Link href={`/models/${s.model}/requirements`}>Review</Link>
                      )}
                    </td>
                  </tr>
                ))}
                {decisions.releases.length + decisions.loosenings.length === 0 && (
                  <tr>
                    <td colSpan={5} className="text-center text-slate-500">
                      Nothing is waiting for a decision.
                    </td>
                  </tr>
                )}
              </tbody>
            </Table>
          </Card>
        )}
        {candidates && (
          <Card title={`Versions not in production (${candidates.length})`}>
            <Table label="Versions not in production">
              <thead>
                <tr>
                  <th>Model</th>
                  <th>Version</th>
                  <th>Stage</th>
                  <th>Registered</th>
                  <th>Latest release request</th>
                  <th />
                </tr>
              </thead>
              <tbody data-testid="overview-candidates">
                {candidates.map((v) => (
                  <tr key={`${v.model}-${v.version}`}>
                    <td>
                      <Link href={`/models/${v.model}`}>{v.model}</Link>
                    </td>
                    <td>
                      <Link href={`/models/${v.model}/versions/${v.version}`}>v{v.version}</Link>
                      {v.mine && <span className="ml-1 text-xs text-slate-500">(yours)</span>}
                    </td>
                    <td>
                      <Badge tone={v.stage}>{v.stage}</Badge>
                    </td>
                    <td>{ago(v.createdAt)}</td>
                    <td>
                      {v.request ? (
                        <Link href={`/releases/${v.request.id}`} className="inline-flex items-center gap-1">
                          {v.request.status} {v.request.gate && <GateStatus status={v.request.gate} />}
                        </Link>
                      ) : (
                        <span className="text-slate-500">none yet</span>
                      )}
                    </td>
                    <td>
                      <Link href={`/models/${v.model}/versions/${v.version}/release`}>Gate &amp; release</Link>
                    </td>
                  </tr>
                ))}
                {candidates.length === 0 && (
                  <tr>
                    <td colSpan={6} className="text-center text-slate-500">
                      Every registered version is in production or retired.
                    </td>
                  </tr>
                )}
              </tbody>
            </Table>
          </Card>
        )}
        <Card
          title={`Models (${models.length})`}
          actions={
            <Link href="/models" className="text-sm">
              All models
            </Link>
          }
        >
          <Table label="Models at a glance">
            <thead>
              <tr>
                <th>Model</th>
                <th>Task</th>
                <th>Champion</th>
                <th>Champion for</th>
                <th>Latest release request</th>
                <th>Last activity</th>
              </tr>
            </thead>
            <tbody data-testid="overview-models">
              {models.map((m) => (
                <tr key={m.name}>
                  <td className="font-medium">
                    <Link href={`/models/${m.name}`}>{m.name}</Link>
                  </td>
                  <td>{taskLabel(m.task)}</td>
                  <td>{m.champion ? `v${m.champion.version}` : <span className="text-slate-500">none</span>}</td>
                  <td>{m.champion ? ago(m.champion.since).replace(/ ago$/, "") : "—"}</td>
                  <td>
                    {m.latestRequest ? (
                      <span className="inline-flex items-center gap-1">
                        v{m.latestRequest.version} {m.latestRequest.status}{" "}
                        {m.latestRequest.gate && <GateStatus status={m.latestRequest.gate} />}
                      </span>
                    ) : (
                      <span className="text-slate-500">none</span>
                    )}
                  </td>
                  <td>{ago(m.lastActivityAt)}</td>
                </tr>
              ))}
              {models.length === 0 && (
                <tr>
                  <td colSpan={6} className="text-center text-slate-500">
                    No models yet.
                  </td>
                </tr>
              )}
            </tbody>
          </Table>
        </Card>
      </div>
    </>
  );
}
