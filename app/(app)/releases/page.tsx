import Link from "next/link";
import type { Metadata } from "next";
import { pageCaller } from "@/server/trpc/server-caller";
import { ago } from "../../_components/format";
import { GateStatus } from "../../_components/gate-view";
import { offsetParam, Pager } from "../../_components/pager";
import { Badge, Card, PageHeader, Table } from "../../_components/ui";

export const metadata: Metadata = { title: "Releases" };

export default async function ReleasesInbox({ searchParams }: { searchParams: Promise<{ offset?: string }> }) {
  const offset = offsetParam((await searchParams).offset);
  const { api, can } = await pageCaller("registry:read");
  const [{ releases: pending, page }, loosenings] = await Promise.all([api.releases.inbox({ offset }), api.requirements.pending()]);
  return (
    <>
      <PageHeader
        title={can("releases:decide") ? "Release inbox" : "Pending releases"}
        subtitle="Requests waiting for a manager. The approver is never the requester nor the version's author."
      />
      <Card title={`Release requests (${page.offset + pending.length}${page.hasMore ? "+" : ""})`}>
        <Table label="Pending release requests">
          <thead><tr><th>Model</th><th>Version</th><th>Strategy</th><th>Gate at request</th><th>Requested</th><th>Rationale</th><th /></tr></thead>
          <tbody>
            {pending.map((r) => (
              <tr key={r.id}>
                <td className="font-medium"><Link href={`/models/${r.model}`}>{r.model}</Link></td>
                <td>v{r.toVersion}{r.fromVersion && <span className="text-slate-500"> (replaces v{r.fromVersion})</span>}</td>
                <td><Badge>{r.strategy}{r.share ? ` ${Math.round(r.share * 100)} %` : ""}</Badge></td>
                <td>{r.gateAtRequest && <GateStatus status={r.gateAtRequest.status} />}</td>
                <td>{ago(r.requestedAt)} by {r.requestedByLabel}</td>
                <td className="max-w-sm truncate" title={r.rationale}>{r.rationale}</td>
                <td className="whitespace-nowrap">
                  <Link href={`/releases/${r.id}`}>{can("releases:decide") ? "Review" : "Open"}</Link>
                  {r.fromVersion && <> · <Link href={`/models/${r.model}/compare?a=${r.fromVersion}&b=${r.toVersion}`}>Compare</Link></>}
                </td>
              </tr>
            ))}
            {pending.length === 0 && <tr><td colSpan={7} className="text-center text-slate-500">Nothing waiting.</td></tr>}
          </tbody>
        </Table>
        <Pager page={page} path="/releases" label="Release request pages" />
      </Card>
      <Card title={`Requirement loosenings (${loosenings.length})`} className="mt-6">
        <Table label="Pending requirement loosenings">
          <thead><tr><th>Model</th><th>Set</th><th>What gets looser than the active set</th><th>Proposed</th><th /></tr></thead>
          <tbody>
            {loosenings.map((s) => (
              <tr key={s.id}>
                <td className="font-medium">{s.model}</td>
                <td>v{s.version}</td>
                <td>
                  {s.stale && <Badge tone="revoked">stale: set v{s.activeVersion} is active now</Badge>} {s.loosensNow.join("; ")}
                </td>
                <td>{ago(s.proposedAt)} by {s.proposedByLabel}</td>
                <td><Link href={`/models/${s.model}/requirements`}>Review</Link></td>
              </tr>
            ))}
            {loosenings.length === 0 && <tr><td colSpan={5} className="text-center text-slate-500">Nothing waiting.</td></tr>}
          </tbody>
        </Table>
      </Card>
    </>
  );
}
