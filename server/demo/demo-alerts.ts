import { and, eq } from "drizzle-orm";
import { models, modelVersions } from "@/db/schema";
import { evaluateAlertsForWindow } from "@/server/domain/alerts/window";
import { saveAlertRule } from "@/server/domain/alerts/rules";
import { sampleWindowSummary } from "@/server/domain/alerts/sample-window";
import type { DomainContext } from "@/server/domain/context";
import type { Story } from "./story";
import { rng } from "./synthetic";

/**
 * The alerting half of the demo: since the price change, churn's traffic carries plan prices its champion
 * (v3) never saw in training; a critical rule raises an alert on it, and v5's pending canary request waits
 * behind it (besides its own gap on annual plans). credit-default's champion has outlived its three-week
 * age rule (a warning: shown, not blocking). Through the domain verbs, on the story's calendar.
 */
export function scheduleAlerts(story: Story, scientist: DomainContext) {
  story.at(4.6, () =>
    saveAlertRule(scientist, {
      model: "churn",
      name: "Pricing features drift",
      severity: "critical",
      params: { kind: "feature_drift", features: ["plan_price", "days_since_login"] },
    }),
  );
  story.at(4.4, async () => {
    const [champion] = await scientist.db
      .select({ id: modelVersions.id })
      .from(modelVersions)
      .innerJoin(models, eq(models.id, modelVersions.modelId))
      .where(and(eq(models.name, "churn"), eq(modelVersions.stage, "champion")));
    await evaluateAlertsForWindow(scientist.db, {
      modelVersionId: champion!.id,
      summary: subscribersWindow(story.date(5)),
    });
  });
  story.at(3, () =>
    saveAlertRule(scientist, {
      model: "credit-default",
      name: "Champion older than three weeks",
      severity: "warning",
      params: { kind: "model_age", maxDays: 21 },
    }),
  );
}

/** A day of subscribers against v3's training sample: new plan prices since the price change. */
function subscribersWindow(start: Date) {
  const r = rng(20261130);
  const pick = (n: number, prices: string[], shares: number[]) =>
    Array.from({ length: n }, () => {
      let u = r();
      for (let i = 0; i < prices.length; i++) if ((u -= shares[i]!) < 0) return prices[i]!;
      return prices.at(-1)!;
    });
  const days = Array.from({ length: 800 }, () => Math.floor(-Math.log(1 - r()) * 9));
  const reference = { plan_price: pick(800, ["9.99", "14.99", "19.99"], [0.5, 0.3, 0.2]), days_since_login: days };
  // Logins as in training (the same values: no false alarm on them); prices moved.
  const current = { plan_price: pick(400, ["12.99", "17.99", "19.99"], [0.45, 0.35, 0.2]), days_since_login: days };
  return sampleWindowSummary({ granularity: "day", windowStart: start, reference, current });
}
