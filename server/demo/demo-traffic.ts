import { predictionBatches, predictionReferences } from "@/db/schema";
import type { DomainContext } from "@/server/domain/context";
import { applyFeatureProposal, updateFeature } from "@/server/domain/features/declared";
import { runReviewIntake } from "@/server/domain/feedback/intake-job";
import { ingestPredictions } from "@/server/domain/predictions/ingest";
import { parseJsonBatch } from "@/server/domain/predictions/parse";
import { uploadReference } from "@/server/domain/references/upload";
import { VERSION_DAYS, type Story } from "./story";
import { normal, rng } from "./synthetic";

/**
 * The monitoring half of the demo: credit-default's champion (v5) with its training sample as reference
 * data, declared features (two marked important), and 14 days of hourly production traffic that drifts.
 *
 * The drift starts at 00:00 UTC on the day DRIFT_DAYS_AGO days before the demo was seeded: from then on
 * applicants carry more debt (debt_to_income's mean moves from 0.32 to 0.52, two reference standard
 * deviations), so the model predicts "default" far more often (the output drifts with it). Every other
 * feature keeps its training distribution. README's demo section says the same.
 */
export const TRAFFIC_MODEL = "credit-default";
export const TRAFFIC_VERSION = 5;
export const TRAFFIC_DAYS = 14;
export const DRIFT_DAYS_AGO = 5;
export const DRIFTING_FEATURE = "debt_to_income";
const REFERENCE_ROWS = 1_000;
const BATCH_HOURS = 6;
const THRESHOLD = 0.35; // v5's config: predicts "default" from this probability up

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

const EMPLOYMENT = ["salaried", "salaried", "salaried", "self_employed", "retired", "student"];
const REGIONS = ["north", "south", "east", "west"];
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

function poisson(r: () => number, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0,
    p = r();
  while (p > limit) {
    k++;
    p *= r();
  }
  return k;
}

/** One applicant: the champion's inputs. `drifted` moves debt-to-income up. (The review queue's demo uses it too.) */
export function applicant(r: () => number, drifted: boolean) {
  return {
    debt_to_income: round(clamp((drifted ? 0.52 : 0.32) + normal(r) * 0.1, 0, 1.5), 3),
    credit_utilization: round(clamp(r() ** 1.3, 0, 1), 3),
    months_employed: Math.floor(r() * 180),
    late_payments_12m: poisson(r, 0.4),
    inquiries_6m: poisson(r, 1.2),
    income_log: round(10.8 + normal(r) * 0.45, 3),
    employment: EMPLOYMENT[Math.floor(r() * EMPLOYMENT.length)]!,
    region: REGIONS[Math.floor(r() * REGIONS.length)]!,
  };
}

/** The champion's probability of default (its logistic model, centred on the training means). */
function probability(a: ReturnType<typeof applicant>): number {
  const logit =
    -2.0 +
    5.0 * (a.debt_to_income - 0.32) +
    1.3 * (a.credit_utilization - 0.45) -
    0.008 * (a.months_employed - 90) +
    0.5 * a.late_payments_12m +
    0.14 * a.inquiries_6m -
    0.8 * (a.income_log - 10.8);
  return 1 / (1 + Math.exp(-logit));
}

const label = (p: number) => (p >= THRESHOLD ? "default" : "repaid");

/** The training sample as the data scientist exported it: features, the model's output and the true outcome. */
function referenceCsv(): string {
  const r = rng(5_551);
  const a0 = applicant(r, false);
  const columns = [...Object.keys(a0), "prediction", "target"];
  const lines = [columns.join(",")];
  for (let i = 0; i < REFERENCE_ROWS; i++) {
    const a = i === 0 ? a0 : applicant(r, false);
    const p = probability(a);
    lines.push([...Object.values(a), label(p), r() < p ? "default" : "repaid"].join(","));
  }
  return lines.join("\n") + "\n";
}

/** Requests per hour: a daily rhythm, busiest mid-afternoon UTC (4 to 16 an hour, about 10 on average). */
const perHour = (hourOfDay: number, r: () => number) =>
  Math.max(1, Math.round(10 + 6 * Math.sin(((hourOfDay - 9) / 24) * 2 * Math.PI) + (r() - 0.5) * 4));

/** The hours of traffic, oldest first: from 00:00 UTC TRAFFIC_DAYS days ago up to the hour the demo is seeded. */
export function trafficWindow(today: Date) {
  const midnight = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return {
    start: new Date(midnight - TRAFFIC_DAYS * DAY),
    end: new Date(Math.floor(today.getTime() / HOUR) * HOUR),
    driftStart: new Date(midnight - DRIFT_DAYS_AGO * DAY),
  };
}

export function scheduleTraffic(story: Story, scientist: DomainContext, serving: DomainContext) {
  // The reference and the features: the day after v5 was registered (it became champion two days later).
  const registered = VERSION_DAYS[TRAFFIC_MODEL]![TRAFFIC_VERSION - 1]!;
  story.at(
    registered - 0.6,
    async () => {
      await uploadReference(scientist, {
        model: TRAFFIC_MODEL,
        version: TRAFFIC_VERSION,
        format: "csv",
        fileName: "credit-applications-v5-sample.csv",
        content: referenceCsv(),
      });
      await applyFeatureProposal(scientist, { model: TRAFFIC_MODEL, version: TRAFFIC_VERSION });
      for (const name of [DRIFTING_FEATURE, "credit_utilization"])
        await updateFeature(scientist, { model: TRAFFIC_MODEL, name, kind: "numerical", important: true });
    },
    [predictionReferences.createdAt],
  );

  // One story event per day, posting that day's hourly batches through the ingestion verb.
  const { start, end, driftStart } = trafficWindow(story.today);
  const r = rng(14_014);
  for (let day = start.getTime(); day < end.getTime(); day += DAY) {
    const batches: string[] = [];
    let predictions: Record<string, unknown>[] = [];
    for (let hour = day; hour < Math.min(day + DAY, end.getTime()); hour += HOUR) {
      const n = perHour(new Date(hour).getUTCHours(), r);
      for (let i = 0; i < n; i++) {
        const a = applicant(r, hour >= driftStart.getTime());
        const p = round(probability(a), 4);
        predictions.push({
          model: TRAFFIC_MODEL,
          version: TRAFFIC_VERSION,
          id: `cd-${new Date(hour).toISOString().slice(0, 13)}-${i}`,
          time: new Date(hour + Math.floor(r() * HOUR)).toISOString(),
          features: a,
          prediction: label(p),
          probabilities: { repaid: round(1 - p, 4), default: p },
          latencyMs: round(3 + -Math.log(1 - r()) * 2, 2),
          arm: "champion",
        });
      }
      // The serving system posts what it answered every few hours (one hour's traffic per batch made the
      // demo's seeding 10 s slower on the loaded 2-core machine, for nothing the pages show).
      if ((hour + HOUR) % (BATCH_HOURS * HOUR) === 0 || hour + HOUR >= end.getTime()) {
        batches.push(JSON.stringify({ predictions }));
        predictions = [];
      }
    }
    const daysAgo = Math.max(0, (story.today.getTime() - Math.min(day + DAY, end.getTime())) / DAY);
    story.at(daysAgo, async () => {
      for (const body of batches) await ingestPredictions(serving, parseJsonBatch(body));
      await runReviewIntake(serving.db);
    }, [predictionBatches.receivedAt]);
  }
}
