import Link from "next/link";
import { pageCaller } from "@/server/trpc/server-caller";
import { reignPoints } from "@/server/domain/releases/reign-chart";
import { ChampionChart } from "../../../../_components/charts/champion-chart";
import { when } from "../../../../_components/format";
import { Pager } from "../../../../_components/pager";
import { Badge, Button, Card, Input, PageHeader } from "../../../../_components/ui";
import { RollbackForm } from "./rollback-form";

const TIMELINE_PAGE = 25;

const entryVariant = {
  rollback: "revoked",
  requirements: "candidate",
  release: "champion",
  request: "default",
} as const;

export default async function TimelinePage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<{ at?: string; offset?: string }>;
}) {
  const { name } = await params;
  const { at, offset: rawOffset } = await searchParams;
  const offset = /^\d{1,7}$/.test(rawOffset ?? "") ? Number(rawOffset) : 0;
  const { api, can } = await pageCaller("registry:read");
  const [timeline, targets] = await Promise.all([
    api.releases.timeline({ model: name, offset, limit: TIMELINE_PAGE }),
    api.releases.rollbackTargets({ model: name }),
  ]);
  const atDate = at ? new Date(at) : null;
  const answer =
    atDate && !Number.isNaN(atDate.getTime()) ? await api.releases.championAt({ model: name, at: atDate }) : null;
  return (
    <>
      <PageHeader
        title={`${name}: releases and timeline`}
        subtitle="Who was champion when, every release decision and every requirement change."
      />
      <div className="grid gap-6 lg:grid-cols-[3fr_2fr]">
        <Card title="Champion over time">
          <ChampionChart points={reignPoints(timeline.reigns, new Date())} />
        </Card>
        <div className="space-y-6">
          <Card title="Who was champion at…">
            <form className="flex gap-2" aria-label="Champion at a time">
              <Input name="at" type="datetime-local" defaultValue={at} aria-label="Time" required />
              <Button type="submit" worksWithoutScript variant="secondary">
                Ask
              </Button>
            </form>
            {answer && (
              <p className="mt-3 text-sm" data-testid="champion-at">
                {answer.version ? (
                  <>
                    v{answer.version} was champion at {when(answer.at)} (since {when(answer.since)}).
                  </>
                ) : (
                  <>No champion on record at {when(answer.at)}.</>
                )}
              </p>
            )}
          </Card>
          {can("releases:decide") && targets.champion !== null && (
            <Card title="Roll back">
              <RollbackForm
                model={name}
                champion={targets.champion}
                targets={targets.eligible}
                defaultVersion={targets.defaultVersion}
              />
            </Card>
          )}
        </div>
      </div>
      <Card title="Timeline" className="mt-6">
        <ol className="space-y-3" data-testid="timeline">
          {timeline.entries.map((e, i) => (
            <li key={i} className="flex gap-3 text-sm">
              <span className="w-36 shrink-0 text-slate-600">{when(e.at)}</span>
              <Badge variant={entryVariant[e.type]}>{e.type}</Badge>
              <span>
                {e.href ? (
                  <Link href={e.href} className="font-medium">
                    {e.title}
                  </Link>
                ) : (
                  <span className="font-medium">{e.title}</span>
                )}
                <span className="block text-slate-600">{e.detail}</span>
                {e.overrideJustification && (
                  <span
                    className="mt-1 block rounded bg-amber-50 px-2 py-1 text-amber-900"
                    data-testid="timeline-override"
                  >
                    Override of a failing gate. Justification: “{e.overrideJustification}”
                  </span>
                )}
              </span>
            </li>
          ))}
          {timeline.entries.length === 0 && <li className="text-sm text-slate-500">Nothing has happened yet.</li>}
        </ol>
        <Pager page={timeline.page} path={`/models/${name}/timeline`} search={{ at }} label="Timeline pages" />
      </Card>
    </>
  );
}
