import Link from "next/link";
import type { Metadata } from "next";
import { pageCaller } from "@/server/trpc/server-caller";
import { ago } from "../../_components/format";
import { createLoader, type SearchParams } from "nuqs/server";
import { pageNumber, tableParams } from "../../_components/list-params";
import { ReleaseRequestsTable } from "./release-requests-table";
import { Badge, Card, PageHeader, Table } from "../../_components/ui";

export const metadata: Metadata = { title: "Releases" };

const loadParams = createLoader({ page: tableParams.page });
const PAGE_SIZE = 50;

export default async function ReleasesInbox({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const { page: pageIndex } = loadParams(await searchParams);
  const { api, can } = await pageCaller("registry:read");
  const [{ releases: pending, page }, loosenings] = await Promise.all([
    api.releases.inbox({ offset: (pageNumber(pageIndex) - 1) * PAGE_SIZE, limit: PAGE_SIZE }),
    api.requirements.pending(),
  ]);
  return (
    <>
      <PageHeader
        title={can("releases:decide") ? "Release inbox" : "Pending releases"}
        subtitle="Requests waiting for a manager. The approver is never the requester nor the version's author."
      />
      <Card title={`Release requests (${page.offset + pending.length}${page.hasMore ? "+" : ""})`}>
        <ReleaseRequestsTable
          rows={pending}
          hasMore={page.hasMore}
          pageSize={PAGE_SIZE}
          canDecide={can("releases:decide")}
        />
      </Card>
      <Card title={`Requirement loosenings (${loosenings.length})`} className="mt-6">
        <Table label="Pending requirement loosenings">
          <thead>
            <tr>
              <th>Model</th>
              <th>Set</th>
              <th>What gets looser than the active set</th>
              <th>Proposed</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {loosenings.map((s) => (
              <tr key={s.id}>
                <td className="font-medium">{s.model}</td>
                <td>v{s.version}</td>
                <td>
                  {s.stale && <Badge tone="revoked">stale: set v{s.activeVersion} is active now</Badge>}{" "}
                  {s.loosensNow.join("; ")}
                </td>
                <td>
                  {ago(s.proposedAt)} by {s.proposedByLabel}
                </td>
                <td>
                  <Link href={`/models/${s.model}/requirements`}>Review</Link>
                </td>
              </tr>
            ))}
            {loosenings.length === 0 && (
              <tr>
                <td colSpan={5} className="text-center text-slate-500">
                  Nothing waiting.
                </td>
              </tr>
            )}
          </tbody>
        </Table>
      </Card>
    </>
  );
}
