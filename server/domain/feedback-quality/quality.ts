import { inArray, sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { can } from "@/server/authz/policy";
import {
  calibration,
  cohensKappa,
  fleissKappa,
  humanAccuracy,
  reviewerGoldAccuracy,
  type Calibration,
  type CohenKappa,
  type FleissKappa,
  type ProportionWithInterval,
} from "@/server/stats/feedback";
import { authorize, type DomainContext } from "../context";
import { findModelOrThrow } from "../registry/models";
import { activeRequirementSet } from "../requirements/sets";
import { labelQualityInput, RELIABILITY_BINS, type LabelQualityInput } from "./schemas";

/**
 * What a model's reviewers' labels say about the labels themselves and about the model's confidence:
 * agreement between reviewers, each reviewer's accuracy on gold items, human accuracy against the label
 * that counts, and the calibration of each version from the random sample. The database aggregates
 * (contingency tables, per-item label lists, per-bin rows) and `server/stats/feedback` computes.
 *
 * Only classifiers: for a regression model labels are numbers, and kappa, accuracy and a reliability
 * diagram of classes do not apply (`applicable: false`, with the reason).
 *
 * Gold copies (reason `gold`) are measured against their known label only; agreement, human accuracy and
 * calibration read the queue's own items.
 */

/** Someone who labeled: named for those who may see names (`feedback:reviewers`), else "Reviewer n" (and "you"). */
export interface ReviewerRef {
  key: string;
  name: string;
  isYou: boolean;
}

export interface PairAgreement {
  a: ReviewerRef;
  b: ReviewerRef;
  kappa: CohenKappa;
}

export interface FleissGroup {
  labelsPerItem: number;
  kappa: FleissKappa;
}

export interface VersionCalibration {
  version: number;
  /** Items of this version the random draw selected that have a settled label. */
  labeled: number;
  /** Items the random draw selected still waiting for a label (or an adjudication). */
  waiting: number;
  calibration: Calibration;
}

export interface LabelQuality {
  model: string;
  task: string;
  applicable: boolean;
  notApplicableReason?: string;
  /** Whether reviewers are shown by name. */
  reviewersNamed: boolean;
  /** The active requirement set's primary metric: the gate compares a human baseline on it (accuracy only). */
  primaryMetric: string | null;
  reviewers: ReviewerRef[];
  agreement: {
    /** Cohen's kappa for every pair of reviewers who labeled at least one item in common. */
    pairs: PairAgreement[];
    /** Fleiss' kappa per number of labels per item, for items with 3 or more labels. */
    fleiss: FleissGroup[];
    /** Items (not gold copies) with at least two labels. */
    sharedItems: number;
  };
  gold: {
    /** Gold items of the model (known label). */
    items: number;
    perReviewer: (ProportionWithInterval & { reviewer: ReviewerRef })[];
  };
  human: {
    /**
     * The human baseline: the first label of each item labeled by two or more reviewers, against the label
     * that counts (their agreement, or the adjudication). One label per item, so the items are independent.
     */
    firstLabels: ProportionWithInterval;
    /** Of those items, how many were settled by adjudication (the others by agreement). */
    adjudicatedItems: number;
    /** Every label on those items, per reviewer. */
    perReviewer: (ProportionWithInterval & { reviewer: ReviewerRef })[];
    /** Items with conflicting labels still waiting for adjudication: not counted. */
    openConflicts: number;
  };
  calibration: {
    bins: number;
    versions: VersionCalibration[];
  };
}

const classifier = (task: string) => task !== "regression";

/** Rows of `db.execute` as a typed list (PGlite and node-postgres both answer `{ rows }`). */
async function rows<T>(ctx: DomainContext, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await ctx.db.execute<T & Record<string, unknown>>(query)).rows as T[];
}

/** Reviewers' labels of a model's items as the database aggregates them; shared by the page and the baseline. */
export async function humanEvidence(ctx: DomainContext, modelId: string) {
  // Every label on the model's items that two or more reviewers labeled and that is settled, with the
  // label that counts and whether the label is the item's first.
  return rows<{
    label_id: number;
    item_id: number;
    reviewer_id: string;
    label: string;
    resolved: string;
    first: boolean;
    adjudicated: boolean;
  }>(
    ctx,
    sql`
      select l.id as label_id, l.item_id, l.reviewer_id, l.label, i.resolved_label as resolved,
        l.id = min(l.id) over (partition by l.item_id) as first,
        exists (select 1 from feedback_adjudications a where a.item_id = i.id) as adjudicated
      from feedback_labels l
      join feedback_items i on i.id = l.item_id
      where i.model_id = ${modelId} and i.reason <> 'gold' and i.status = 'resolved' and i.label_count >= 2
        and l.label is not null and i.resolved_label is not null
      order by l.item_id, l.id`,
  );
}

export async function labelQuality(ctx: DomainContext, raw: LabelQualityInput): Promise<LabelQuality> {
  const principal = authorize(ctx, "registry:read");
  const input = labelQualityInput.parse(raw);
  const model = await findModelOrThrow(ctx, input.model);
  const set = await activeRequirementSet(ctx.db, model.id);
  const base = {
    model: model.name,
    task: model.task,
    reviewersNamed: can(principal, "feedback:reviewers"),
    primaryMetric: set?.primaryMetric ?? null,
  };
  const empty = {
    reviewers: [],
    agreement: { pairs: [], fleiss: [], sharedItems: 0 },
    gold: { items: 0, perReviewer: [] },
    human: {
      firstLabels: { n: 0, correct: 0, accuracy: null, interval: null },
      adjudicatedItems: 0,
      perReviewer: [],
      openConflicts: 0,
    },
    calibration: { bins: RELIABILITY_BINS, versions: [] },
  };
  if (!classifier(model.task))
    return {
      ...base,
      ...empty,
      applicable: false,
      notApplicableReason:
        "This is a regression model: its labels are numbers, so kappa, accuracy against a class and a reliability diagram do not apply.",
    };

  // Sequential on purpose: on embedded PGlite every query shares one connection anyway.
  const pairCells = await rows<{ a: string; b: string; la: string; lb: string; n: number }>(
    ctx,
    sql`
      select a.reviewer_id as a, b.reviewer_id as b, a.label as la, b.label as lb, count(*)::int as n
      from feedback_labels a
      join feedback_labels b on b.item_id = a.item_id and a.reviewer_id < b.reviewer_id
      join feedback_items i on i.id = a.item_id
      where i.model_id = ${model.id} and i.reason <> 'gold' and a.label is not null and b.label is not null
      group by a.reviewer_id, b.reviewer_id, a.label, b.label
      order by a.reviewer_id, b.reviewer_id, a.label, b.label`,
  );
  const multi = await rows<{ labels: string[]; n: number }>(
    ctx,
    sql`
      select array_agg(l.label order by l.id) as labels, count(*)::int as n
      from feedback_labels l
      join feedback_items i on i.id = l.item_id
      where i.model_id = ${model.id} and i.reason <> 'gold' and l.label is not null
      group by l.item_id
      having count(*) >= 2
      order by l.item_id`,
  );
  const gold = await rows<{ reviewer_id: string; label: string; gold: string }>(
    ctx,
    sql`
      select l.reviewer_id, l.label, i.gold_label as gold
      from feedback_labels l
      join feedback_items i on i.id = l.item_id
      where i.model_id = ${model.id} and i.reason = 'gold' and l.label is not null
      order by l.id`,
  );
  const [goldItems] = await rows<{ n: number }>(
    ctx,
    sql`select count(*)::int as n from feedback_items where model_id = ${model.id} and reason = 'gold'`,
  );
  const [conflicts] = await rows<{ n: number }>(
    ctx,
    sql`select count(*)::int as n from feedback_items
        where model_id = ${model.id} and reason <> 'gold' and status = 'conflict'`,
  );
  const human = await humanEvidence(ctx, model.id);
  // The random draw's items (whatever else also selected them: a low-confidence item the draw picked is
  // part of the unbiased sample too), weighted by the inverse of the random share they were drawn with.
  const drawn = await rows<{
    version: number;
    confidence: number | null;
    correct: boolean | null;
    settled: boolean;
    share: number | null;
  }>(
    ctx,
    sql`
      select v.version, i.confidence::float8 as confidence, i.status = 'resolved' as settled,
        (i.prediction_label = i.resolved_label) as correct, p.random_share::float8 as share
      from feedback_items i
      join model_versions v on v.id = i.model_version_id
      left join feedback_policies p on p.id = i.policy_id
      where i.model_id = ${model.id} and i.reason <> 'gold' and i.random_draw
      order by v.version, i.id`,
  );

  // Reviewers in order of their first appearance below, named or numbered.
  const order: string[] = [];
  const see = (id: string) => {
    if (!order.includes(id)) order.push(id);
  };
  for (const r of pairCells) {
    see(r.a);
    see(r.b);
  }
  for (const r of gold) see(r.reviewer_id);
  for (const r of human) see(r.reviewer_id);
  const people = order.length
    ? await ctx.db
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(inArray(users.id, order))
    : [];
  const me = principal.kind === "user" ? principal.id : null;
  const refs = new Map<string, ReviewerRef>(
    order.map((id, i) => {
      const person = people.find((p) => p.id === id);
      const isYou = id === me;
      const name = base.reviewersNamed
        ? person?.name || person?.email || `Reviewer ${i + 1}`
        : isYou
          ? `Reviewer ${i + 1} (you)`
          : `Reviewer ${i + 1}`;
      return [id, { key: `r${i + 1}`, name, isYou }];
    }),
  );
  const ref = (id: string) => refs.get(id)!;

  // Cohen's kappa per pair, from the pair's contingency cells.
  const byPair = new Map<string, { a: string; b: string; cells: typeof pairCells }>();
  for (const c of pairCells) {
    const k = `${c.a}|${c.b}`;
    if (!byPair.has(k)) byPair.set(k, { a: c.a, b: c.b, cells: [] });
    byPair.get(k)!.cells.push(c);
  }
  const pairs = [...byPair.values()].map(({ a, b, cells }) => ({
    a: ref(a),
    b: ref(b),
    kappa: cohensKappa(
      (function* () {
        for (const c of cells) for (let i = 0; i < Number(c.n); i++) yield [c.la, c.lb] as const;
      })(),
    ),
  }));

  // Fleiss' kappa for each number of labels per item, from 3 up.
  const groups = new Map<number, string[][]>();
  for (const item of multi) {
    const m = Number(item.n);
    if (m < 3) continue;
    if (!groups.has(m)) groups.set(m, []);
    groups.get(m)!.push(item.labels);
  }
  const fleiss = [...groups]
    .sort(([a], [b]) => a - b)
    .map(([labelsPerItem, ratings]) => ({ labelsPerItem, kappa: fleissKappa(ratings) }));

  const goldAccuracy = reviewerGoldAccuracy(
    gold.map((g) => ({ reviewer: g.reviewer_id, label: g.label, gold: g.gold })),
  );
  const truth = new Map(human.map((h) => [String(h.item_id), h.resolved]));
  const asLabel = (h: (typeof human)[number]) => ({
    itemId: String(h.item_id),
    reviewer: h.reviewer_id,
    label: h.label,
  });
  const firstLabels = humanAccuracy(human.filter((h) => h.first).map(asLabel), truth).overall;
  const perReviewer = humanAccuracy(human.map(asLabel), truth).perReviewer;

  const versions: VersionCalibration[] = [];
  for (const version of [...new Set(drawn.map((d) => Number(d.version)))]) {
    const mine = drawn.filter((d) => Number(d.version) === version);
    const usable = mine.filter((d) => d.settled && d.confidence !== null && d.correct !== null);
    versions.push({
      version,
      labeled: usable.length,
      waiting: mine.filter((d) => !d.settled).length,
      calibration: calibration(
        usable.map((d) => ({
          confidence: Number(d.confidence),
          correct: d.correct === true,
          weight: d.share && d.share > 0 ? 1 / Number(d.share) : 1,
        })),
        RELIABILITY_BINS,
      ),
    });
  }

  return {
    ...base,
    applicable: true,
    reviewers: [...refs.values()],
    agreement: { pairs, fleiss, sharedItems: multi.length },
    gold: {
      items: Number(goldItems?.n ?? 0),
      perReviewer: goldAccuracy.map(({ reviewer, ...p }) => ({ ...p, reviewer: ref(reviewer) })),
    },
    human: {
      firstLabels,
      adjudicatedItems: human.filter((h) => h.first && h.adjudicated).length,
      perReviewer: perReviewer.map(({ reviewer, ...p }) => ({ ...p, reviewer: ref(reviewer) })),
      openConflicts: Number(conflicts?.n ?? 0),
    },
    calibration: { bins: RELIABILITY_BINS, versions },
  };
}
