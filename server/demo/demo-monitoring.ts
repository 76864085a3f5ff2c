/**
 * Demo monitoring windows for churn's champion, so the monitoring page has something to show on a
 * fresh install: a reference sample and hour, day and week windows whose drift starts four days ago
 * (income rises, a new region appears, tenure stops tracking age, and the price change puts subscribers on
 * plan prices v3 never saw in training: the drift behind the demo's critical "Pricing features drift"
 * alert, whose link lands on plan_price's distributions here). The windows are made with the real
 * drift engine from synthetic traffic (window-summaries.ts); windows the monitoring jobs compute from
 * posted predictions take precedence (a window already stored is left as it is).
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { models, modelVersions } from "@/db/schema";
import type { WindowGranularity } from "@/server/domain/monitoring/window-summary";
import type { Table } from "@/server/stats/drift";
import { syntheticTraffic } from "./synthetic-traffic";
import { rng } from "./synthetic";
import { buildWindowSummary, storeReference, storeWindow } from "./window-summaries";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Days before now at which the demo's drift starts. */
export const DEMO_DRIFT_STARTS_DAYS_AGO = 4;
const LABELS = ["stays", "churns"] as const;

/**
 * The plan price of churn's subscribers (a feature its pricing alert rule watches), which moved to new
 * prices with the price change (`shifted`: the share of rows after it).
 */
function withPlanPrice(features: Table, seed: number, shifted: number): Table {
  const r = rng(seed + 7_000_000);
  const rows = Object.values(features)[0]?.length ?? 0;
  const pick = (prices: string[], shares: number[]) => {
    let u = r();
    for (let i = 0; i < prices.length; i++) if ((u -= shares[i]!) < 0) return prices[i]!;
    return prices.at(-1)!;
  };
  const plan_price: string[] = [];
  for (let i = 0; i < rows; i++) {
    plan_price.push(
      r() < shifted
        ? pick(["12.99", "17.99", "19.99"], [0.45, 0.35, 0.2])
        : pick(["9.99", "14.99", "19.99"], [0.5, 0.3, 0.2]),
    );
  }
  return { ...features, plan_price };
}

/**
 * Churn's subscribers as its production traffic sends them: the monitoring windows' world (income, age,
 * tenure, region, plan price), before (`shift` 0) or after (1) the change that starts
 * DEMO_DRIFT_STARTS_DAYS_AGO. The review queue's demo traffic draws its churn requests from here too, so
 * the windows the jobs compute from it are judged against a reference of the same shape.
 */
export function churnSubscribers(seed: number, rows: number, shift: 0 | 1): Table {
  return withPlanPrice(syntheticTraffic(seed, rows, 1.5 * shift, LABELS).features, seed, shift);
}

/** When churn's world changed: midnight (UTC) DEMO_DRIFT_STARTS_DAYS_AGO days before `now`. */
export function churnDriftStart(now: Date): Date {
  return new Date(floorTo("day", now.getTime()) - DEMO_DRIFT_STARTS_DAYS_AGO * DAY);
}

function floorTo(granularity: WindowGranularity, t: number): number {
  if (granularity === "hour") return Math.floor(t / HOUR) * HOUR;
  const day = Math.floor(t / DAY) * DAY;
  if (granularity === "day") return day;
  // ISO weeks start on Monday; 1970-01-01 was a Thursday.
  const weekday = (new Date(day).getUTCDay() + 6) % 7;
  return day - weekday * DAY;
}

export async function seedDemoMonitoring(db: Db, now: Date): Promise<void> {
  const [champion] = await db
    .select({ id: modelVersions.id })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.name, "churn"), eq(modelVersions.stage, "champion")));
  if (!champion) return;
  // 2,000 reference rows: the large-reference methods (Wasserstein, Jensen–Shannon) apply.
  const reference = syntheticTraffic(7, 2_000, 0, LABELS);
  const referenceFeatures = withPlanPrice(reference.features, 7, 0);
  const referenceId = await storeReference(
    db,
    champion.id,
    referenceFeatures,
    reference.outputs,
    "subscriber-activity-v3-sample.csv",
  );
  const driftFrom = churnDriftStart(now).getTime();
  const plan: [WindowGranularity, number, number, number][] = [
    // granularity, length, how many complete windows, rows per window
    ["hour", HOUR, 24, 120],
    ["day", DAY, 14, 1_000],
    ["week", 7 * DAY, 6, 1_000],
  ];
  let seed = 1000;
  for (const [granularity, length, count, rows] of plan) {
    const last = floorTo(granularity, now.getTime()) - length;
    for (let k = count - 1; k >= 0; k--) {
      const start = last - k * length;
      // A window drifts by the share of it that lies after the drift started.
      const shifted = Math.min(1, Math.max(0, (start + length - driftFrom) / length));
      const traffic = syntheticTraffic(seed, rows, 1.5 * shifted, LABELS);
      const current = withPlanPrice(traffic.features, seed++, shifted);
      await storeWindow(
        db,
        champion.id,
        buildWindowSummary({
          granularity,
          start: new Date(start),
          end: new Date(start + length),
          reference: { id: referenceId, features: referenceFeatures, output: reference.outputs },
          current,
          outputs: { champion: traffic.outputs },
          latencies: traffic.latencies,
        }),
      );
    }
  }
}
