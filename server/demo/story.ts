import { sql, type Column } from "drizzle-orm";
import type { Db } from "@/db/client";
import {
  alertRules,
  datasets,
  evaluationReports,
  feedbackAdjudications,
  feedbackItems,
  feedbackLabels,
  feedbackPolicies,
  metricDirections,
  models,
  modelVersions,
  outboxEvents,
  releases,
  requirementSets,
  users,
} from "@/db/schema";
import { asOf } from "@/server/domain/story-clock";
import { rng } from "./synthetic";

const DAY = 24 * 60 * 60 * 1000;

/** Days ago each version was registered (the latest "last week"; credit-default's v1 three months ago and more). */
export const VERSION_DAYS: Record<string, number[]> = {
  "credit-default": [100, 86, 70, 52, 30, 8],
  churn: [96, 78, 60, 40],
  "house-price": [92, 70, 20],
};

/**
 * The time columns an event writes with the database's now() (defaults, or set by the verb). After an
 * event has run, whatever it wrote at or after the event's start gets the event's story date. These
 * tables are ordinary state; the audit log is not among them: its entries get their date when inserted
 * (story-clock.ts), because it is append-only and hash-chained.
 */
const STAMPED: Column[] = [
  users.createdAt,
  users.updatedAt,
  models.createdAt,
  models.lastActivityAt,
  modelVersions.createdAt,
  datasets.createdAt,
  evaluationReports.createdAt,
  requirementSets.proposedAt,
  requirementSets.decidedAt,
  metricDirections.declaredAt,
  releases.requestedAt,
  releases.decidedAt,
  releases.effectiveAt,
  outboxEvents.createdAt,
  alertRules.createdAt,
  alertRules.updatedAt,
  feedbackPolicies.createdAt,
  feedbackItems.createdAt,
  feedbackLabels.createdAt,
  feedbackAdjudications.decidedAt,
];

async function databaseNow(db: Db): Promise<Date> {
  const { rows } = await db.execute<{ now: string | Date }>(sql`select now() as now`);
  return new Date(rows[0]!.now);
}

/**
 * The demo as a story in time: events are scheduled "N days ago" in any order, then told oldest first,
 * each through the domain verbs as of its date. So versions, reports, releases, requirement sets, audit
 * entries and every model's last activity carry the story's dates, and the audit log's order (its ids)
 * is the story's order.
 */
export class Story {
  private readonly events: { daysAgo: number; seq: number; run: () => Promise<unknown>; also: Column[] }[] = [];
  /** The story's own luck (story-clock.ts): the same sequence of draws on every install. */
  private readonly random = rng(20_261_201);

  constructor(
    private readonly db: Db,
    readonly today: Date,
  ) {}

  /** The date `daysAgo` days before today (fractions of a day order events within a day). */
  date(daysAgo: number): Date {
    return new Date(this.today.getTime() - daysAgo * DAY);
  }

  /** "YYYY-MM-DD" of `daysAgo` days before today. */
  day(daysAgo: number): string {
    return this.date(daysAgo).toISOString().slice(0, 10);
  }

  /**
   * `also`: time columns only this event writes (the prediction log's), stamped after it and not after
   * every other event, which would cost the whole story an UPDATE per column per event.
   */
  at(daysAgo: number, run: () => Promise<unknown>, also: Column[] = []): void {
    this.events.push({ daysAgo, seq: this.events.length, run, also });
  }

  /** Runs one event now, as of its date: for what later events need to exist first (the people). */
  async now<T>(daysAgo: number, run: () => Promise<T>, also: Column[] = []): Promise<T> {
    const started = await databaseNow(this.db);
    const result = await asOf(this.date(daysAgo), run, this.random);
    await this.stamp(started, this.date(daysAgo), [...STAMPED, ...also]);
    return result;
  }

  async tell(): Promise<void> {
    const ordered = [...this.events].sort((x, y) => y.daysAgo - x.daysAgo || x.seq - y.seq);
    this.events.length = 0;
    for (const e of ordered) await this.now(e.daysAgo, e.run, e.also);
  }

  private async stamp(since: Date, at: Date, columns: Column[]): Promise<void> {
    for (const column of columns) {
      const table = (column as unknown as { table: Parameters<Db["update"]>[0] }).table;
      await this.db.execute(
        sql`update ${table} set ${sql.identifier(column.name)} = ${at.toISOString()} where ${column} >= ${since.toISOString()}`,
      );
    }
  }
}
