import { eq } from "drizzle-orm";
import type { Db } from "@/db/client";
import { users } from "@/db/schema";
import { scheduleAlerts } from "./demo-alerts";
import { scheduleFeedback } from "./demo-feedback";
import { scheduleGovernance } from "./demo-governance";
import { scheduleGuidelines } from "./demo-guidelines";
import { scheduleTraffic } from "./demo-traffic";
import { seedDemoMonitoring } from "./demo-monitoring";
import { Story, VERSION_DAYS } from "./story";
import type { Principal, Role } from "@/server/authz/policy";
import type { DomainContext } from "@/server/domain/context";
import { createUser } from "@/server/domain/admin/users";
import { createModel } from "@/server/domain/registry/models";
import { registerDataset } from "@/server/domain/registry/datasets";
import { registerVersion } from "@/server/domain/registry/versions";
import { createHash } from "node:crypto";
import { rng } from "./synthetic";

/**
 * The demo data, in one place. Deterministic (fixed seed, fixed names) so screenshots, the README and
 * the end-to-end tests can rely on what is there. Later capabilities extend this file.
 */
export const DEMO_USERS: { email: string; password: string; roles: Role[]; name: string }[] = [
  { email: "viewer@ratchet.dev", password: "ratchet-viewer", roles: ["viewer"], name: "Vera Viewer" },
  { email: "reviewer@ratchet.dev", password: "ratchet-reviewer", roles: ["reviewer"], name: "Rafael Reviewer" },
  // A second reviewer: overlap, agreement and conflicts need two people labeling.
  { email: "reviewer2@ratchet.dev", password: "ratchet-reviewer2", roles: ["reviewer"], name: "Rita Reviewer" },
  { email: "scientist@ratchet.dev", password: "ratchet-scientist", roles: ["data_scientist"], name: "Sana Scientist" },
  { email: "manager@ratchet.dev", password: "ratchet-manager", roles: ["manager"], name: "Mona Manager" },
  { email: "admin@ratchet.dev", password: "ratchet-admin", roles: ["admin"], name: "Ada Admin" },
  // A person may hold several roles; four eyes still stops her approving her own requests.
  { email: "lead@ratchet.dev", password: "ratchet-lead", roles: ["data_scientist", "manager"], name: "Lena Lead" },
];

const sha = (s: string) => createHash("sha256").update(s).digest("hex");
const round = (x: number) => Math.round(x * 10000) / 10000;

interface DemoModel {
  name: string;
  task: "binary_classification" | "regression";
  labels: string[];
  owner: string;
  description: string;
  dataset: string;
  versions: number;
  champion: number;
  config: (v: number, r: () => number) => Record<string, unknown>;
  hyper: (v: number) => Record<string, unknown>;
}

const DEMO_MODELS: DemoModel[] = [
  {
    name: "credit-default",
    task: "binary_classification",
    labels: ["repaid", "default"],
    owner: "risk-analytics",
    description: "Probability that a consumer loan defaults within 12 months (logistic regression).",
    dataset: "credit-applications",
    versions: 6,
    champion: 5,
    config: (v, r) => ({
      kind: "logistic_regression",
      intercept: round(-2.1 + r() * 0.2),
      coefficients: {
        debt_to_income: round(1.8 + r() * 0.3),
        credit_utilization: round(1.2 + r() * 0.2),
        months_employed: round(-0.02 - r() * 0.01),
        late_payments_12m: round(0.45 + r() * 0.1),
        ...(v >= 3 ? { inquiries_6m: round(0.12 + r() * 0.05) } : {}),
        ...(v >= 5 ? { income_log: round(-0.35 - r() * 0.05) } : {}),
      },
      threshold: v >= 4 ? 0.35 : 0.5,
    }),
    hyper: (v) => ({ penalty: "l2", C: v >= 4 ? 0.5 : 1.0, class_weight: v >= 2 ? "balanced" : null }),
  },
  {
    name: "churn",
    task: "binary_classification",
    labels: ["stays", "churns"],
    owner: "growth",
    description: "Subscribers likely to cancel in the next 30 days (gradient-boosted trees).",
    dataset: "subscriber-activity",
    versions: 4,
    champion: 3,
    config: (v, r) => ({
      kind: "gradient_boosting",
      trees: 100 + v * 50,
      feature_importance: {
        days_since_login: round(0.3 + r() * 0.1),
        support_tickets_30d: round(0.2 + r() * 0.05),
        plan_price: round(0.1 + r() * 0.05),
        tenure_months: round(0.15 + r() * 0.05),
      },
      threshold: 0.5,
    }),
    hyper: (v) => ({ learning_rate: v >= 3 ? 0.05 : 0.1, max_depth: 4 + (v % 2), subsample: 0.8 }),
  },
  {
    name: "house-price",
    task: "regression",
    labels: [],
    owner: "pricing",
    description: "Sale price estimate in EUR for residential listings (ridge regression on log price).",
    dataset: "housing-sales",
    versions: 3,
    champion: 2,
    config: (v, r) => ({
      kind: "ridge_regression",
      target_transform: "log",
      intercept: round(11.2 + r() * 0.2),
      coefficients: {
        living_area_m2: round(0.0061 + r() * 0.0005),
        rooms: round(0.031 + r() * 0.01),
        year_built: round(0.0019 + r() * 0.0003),
        ...(v >= 2 ? { distance_to_center_km: round(-0.018 - r() * 0.004) } : {}),
      },
    }),
    hyper: (v) => ({ alpha: v >= 2 ? 0.3 : 1.0 }),
  },
];

export async function seedDemoData(db: Db): Promise<boolean> {
  const [anyUser] = await db.select({ id: users.id }).from(users).limit(1);
  if (anyUser) return false; // only ever seeds an empty database

  const story = new Story(db, new Date());
  const operator: Principal = { kind: "operator", name: "demo-seed" };
  const ctx: DomainContext = { db, principal: operator };
  await story.now(120, async () => {
    for (const u of DEMO_USERS) await createUser(ctx, u);
  });
  const as = async (email: string): Promise<DomainContext> => {
    const [u] = await db.select().from(users).where(eq(users.email, email));
    return { db, principal: { kind: "user", id: u!.id, email: u!.email, name: u!.name, roles: u!.roles } };
  };
  const asScientist = await as("scientist@ratchet.dev");
  const asManager = await as("manager@ratchet.dev");

  const r = rng(20261125);
  for (const [i, m] of DEMO_MODELS.entries()) {
    story.at(115 - i * 3, () =>
      createModel(asScientist, {
        name: m.name,
        task: m.task,
        labels: m.labels,
        owner: m.owner,
        description: m.description,
      }),
    );
    for (let v = 1; v <= m.versions; v++) {
      const month = String(v).padStart(2, "0");
      // Drawn now, in a fixed order, so the numbers do not depend on the order the story is told in.
      const rowCount = 40_000 + Math.floor(r() * 20_000);
      const config = m.config(v, r);
      story.at(VERSION_DAYS[m.name]![v - 1]!, async () => {
        await registerDataset(asScientist, {
          name: m.dataset,
          role: "train",
          periodStart: `2025-${month}-01`,
          periodEnd: `2026-${month}-01`,
          rowCount,
          hash: `sha256:${sha(`${m.dataset}-${v}`)}`,
          uri: `s3://ratchet-demo/datasets/${m.dataset}/v${v}.parquet`,
        });
        await registerVersion(asScientist, m.name, {
          artifactUri: `s3://ratchet-demo/models/${m.name}/${v}/model.joblib`,
          artifactSha256: sha(`${m.name}-${v}`),
          config,
          hyperparameters: m.hyper(v),
          trainingDataset: { name: m.dataset, version: v },
          parentVersion: v > 1 ? v - 1 : undefined,
          codeCommit: sha(`commit-${m.name}-${v}`).slice(0, 12),
          description: v === 1 ? "First version" : `Retrained on ${m.dataset} v${v}`,
        });
      });
    }
  }
  scheduleGovernance(story, asScientist, asManager);
  scheduleGuidelines(story, asScientist);
  // The serving system posts its predictions as the console would (the demo keeps no API key's secret).
  scheduleTraffic(story, asScientist, { db, principal: { kind: "operator", name: "demo-serving" } });
  scheduleAlerts(story, asScientist);
  scheduleFeedback(story, asScientist, ctx, [await as("reviewer@ratchet.dev"), await as("reviewer2@ratchet.dev")]);
  await story.tell();
  await seedDemoMonitoring(db, new Date());
  return true;
}
