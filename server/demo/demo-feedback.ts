import type { DomainContext } from "@/server/domain/context";
import { adjudicate, listConflicts, markGold } from "@/server/domain/feedback/adjudicate";
import { nextItem } from "@/server/domain/feedback/claims";
import { setPolicy, type PolicyInput } from "@/server/domain/feedback/policy";
import { submitLabel } from "@/server/domain/feedback/submit";
import { runReviewIntake } from "@/server/domain/feedback/intake-job";
import { ingestPredictions } from "@/server/domain/predictions/ingest";
import { parseJsonBatch } from "@/server/domain/predictions/parse";
import type { Story } from "./story";
import { applicant, trafficWindow } from "./demo-traffic";
import { churnDriftStart, churnSubscribers } from "./demo-monitoring";
import { rng } from "./synthetic";

/**
 * The human-feedback part of the demo: three weeks of production predictions logged day by day (the
 * review queue fills through the ingest, as in production), review policies set by the data scientist,
 * two reviewers labeling most days, a few conflicts adjudicated and some left open, gold items. Every
 * step goes through the domain verbs. Plenty of churn items stay open for the labeling page.
 */
const DAYS = 21;

interface Stream {
  model: string;
  champion: number;
  /** A second version answering the same requests in shadow from `shadowFrom` days ago. */
  shadow?: { version: number; from: number };
  perDay: number;
  classes: [string, string] | null;
}

const STREAMS: Stream[] = [
  { model: "churn", champion: 3, shadow: { version: 5, from: 11 }, perDay: 30, classes: ["stays", "churns"] },
  { model: "credit-default", champion: 5, perDay: 16, classes: ["repaid", "default"] },
  { model: "house-price", champion: 2, perDay: 8, classes: null },
];

const POLICIES: Omit<PolicyInput, "model">[] = [
  // churn: the review threshold, a 10 % random sample, a fifth of items without the model's answer.
  {
    strategy: "confidence",
    threshold: 0.6,
    randomShare: 0.1,
    goldShare: 0,
    overlap: 1,
    hideAnswerShare: 0.2,
    secondOpinionAbove: 0.9,
    order: ["disagreement", "confidence", "recency"],
  },
  // credit-default: margin, two reviewers per item, gold items to check the reviewers.
  {
    strategy: "margin",
    threshold: 0.3,
    randomShare: 0.05,
    goldShare: 0.1,
    overlap: 2,
    hideAnswerShare: 0,
    secondOpinionAbove: 0.9,
    order: ["disagreement", "confidence", "recency"],
  },
  // house-price: a regression without confidences, so only the random sample reaches reviewers.
  {
    strategy: "confidence",
    threshold: 0.5,
    randomShare: 0.15,
    goldShare: 0,
    overlap: 1,
    hideAnswerShare: 0,
    secondOpinionAbove: 0.9,
    order: ["recency"],
  },
];

export function scheduleFeedback(
  story: Story,
  scientist: DomainContext,
  operator: DomainContext,
  reviewers: DomainContext[],
): void {
  const r = rng(20261130);
  const { driftStart } = trafficWindow(new Date());
  const churnChange = churnDriftStart(new Date());
  /** The true outcome of a request, fixed by the seed: what a careful reviewer finds. */
  const truth = new Map<string, string | number>();

  STREAMS.forEach((s, i) => story.at(DAYS + 1, () => setPolicy(scientist, { model: s.model, ...POLICIES[i]! })));

  for (let day = DAYS; day >= 1; day--) {
    // Drawn now, in a fixed order, so the data does not depend on the order events run in.
    // Churn's subscribers of the day, before and after its world changed (the monitoring demo's drift).
    const subscribers = [0, 1].map((shift) =>
      churnSubscribers(9_000 + day * 2 + shift, STREAMS[0]!.perDay, shift as 0 | 1),
    );
    const batches = STREAMS.map((s) => {
      const rows = [];
      for (let k = 0; k < s.perDay; k++) {
        const id = `${s.model}-d${day}-${k}`;
        // Made in the hours before the day's batch is posted, so even day 1's rows stay out of today's UTC
        // windows: there, a few posted rows would make today's monitoring window (the alert journey's
        // "current window") out of themselves once the job worker runs, whatever the hour of seeding.
        const time = new Date(story.date(day).getTime() - (s.perDay - k) * 17 * 60_000).toISOString();
        if (s.classes) {
          const p = r(); // the model's probability of the second class
          const actual = r() < p * 0.85 + 0.05 ? s.classes[1] : s.classes[0];
          truth.set(id, actual);
          const answer = p >= 0.5 ? s.classes[1] : s.classes[0];
          const confidence = Math.round(Math.max(p, 1 - p) * 1000) / 1000;
          const features =
            s.model === "churn"
              ? Object.fromEntries(
                  Object.entries(subscribers[new Date(time) >= churnChange ? 1 : 0]!).map(([name, values]) => [
                    name,
                    values[k] ?? null,
                  ]),
                )
              : // The same applicants as the monitoring demo's traffic (its declared features, its drift date).
                applicant(r, new Date(time) >= driftStart);
          rows.push({ model: s.model, version: s.champion, id, time, features, prediction: answer, confidence });
          if (s.shadow && day <= s.shadow.from && k % 2 === 0) {
            const q = Math.min(0.99, Math.max(0.01, p + (r() - 0.5) * 0.5));
            rows.push({
              model: s.model,
              version: s.shadow.version,
              id,
              time,
              features,
              prediction: q >= 0.5 ? s.classes[1] : s.classes[0],
              confidence: Math.round(Math.max(q, 1 - q) * 1000) / 1000,
              arm: "shadow",
            });
          }
        } else {
          const area = 40 + Math.round(r() * 140);
          const price = Math.round(2_000 * area + 60_000 + (r() - 0.5) * 80_000);
          truth.set(id, price);
          rows.push({
            model: s.model,
            version: s.champion,
            id,
            time,
            features: {
              living_area_m2: area,
              rooms: 1 + Math.floor(area / 30),
              year_built: 1950 + Math.floor(r() * 70),
            },
            prediction: Math.round(price + (r() - 0.5) * 60_000),
          });
        }
      }
      return rows;
    });
    story.at(day, async () => {
      await ingestPredictions(operator, parseJsonBatch(JSON.stringify({ predictions: batches.flat() })));
      // The queue's intake runs in the same event, so its items carry the day's date.
      await runReviewIntake(operator.db);
    });

    // Most days the reviewers work through part of the queue; the last days stay open for the pages.
    if (day < 3) continue;
    // Per reviewer: credit-default (two per item) and house-price get most of the time, churn some.
    const quotas = [
      { "credit-default": 5, "house-price": 2, churn: 3 },
      { "credit-default": 4, "house-price": 1, churn: 2 },
    ];
    const noise = [r(), r(), r(), r(), r(), r(), r(), r()];
    story.at(day - 0.5, async () => {
      let n = 0;
      for (const [who, quota] of quotas.entries()) {
        for (const model of ["credit-default", "house-price", "churn"] as const) {
          for (let k = 0; k < quota[model]; k++) {
            const claim = await nextItem(reviewers[who]!, { model });
            if (!claim) break;
            const actual = truth.get(claim.item.externalId);
            const slip = noise[n++ % noise.length]! < 0.12; // reviewers are right most of the time
            let label: string | number;
            if (typeof actual === "number") label = Math.round((actual * (slip ? 1.1 : 1)) / 1000) * 1000;
            else {
              const classes = claim.item.labels;
              label = slip ? classes.find((c) => c !== actual)! : (actual ?? classes[0]!);
            }
            await submitLabel(reviewers[who]!, {
              itemId: claim.item.id,
              label,
              flags: slip ? ["unsure"] : undefined,
              note: slip ? "Hard to tell from these features." : undefined,
            });
          }
        }
      }
    });
  }

  // The data scientist settles most conflicts (some stay open for the adjudication page) and picks gold items.
  story.at(2.5, async () => {
    const { items } = await listConflicts(scientist, { limit: 100, offset: 0 });
    // Up to three stay open, but never all of them: the history always shows a settled one.
    const keepOpen = Math.min(3, Math.floor(items.length / 2));
    for (const item of items.slice(0, items.length - keepOpen)) {
      const label = truth.get(item.externalId) ?? item.labels[0]!.label;
      await adjudicate(scientist, { itemId: item.id, label, note: "Checked against the account history." });
    }
  });
  story.at(2.4, async () => {
    const { db } = scientist;
    const resolved = await db.query.feedbackItems.findMany({
      where: (t, { and, eq }) => and(eq(t.status, "resolved"), eq(t.reason, "low_confidence")),
      columns: { id: true, modelId: true },
      limit: 40,
    });
    const credit = await db.query.models.findFirst({ where: (m, { eq }) => eq(m.name, "credit-default") });
    for (const item of resolved.filter((x) => x.modelId === credit?.id).slice(0, 4))
      await markGold(scientist, { itemId: item.id });
  });
}
