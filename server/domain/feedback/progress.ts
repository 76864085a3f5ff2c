import { sql } from "drizzle-orm";
import { authorize, type DomainContext } from "../context";
import { findModelOrThrow } from "../registry/models";
import { reviewerId } from "./claims";
import { progressInput } from "./schemas";

/**
 * The reviewer's progress: labels given today and in all, and how many items are still waiting that the
 * queue could give them (open slots of items they have not labeled, skipped or taken), per model.
 */
export async function reviewProgress(ctx: DomainContext, raw?: unknown) {
  const me = reviewerId(authorize(ctx, "feedback:label"));
  const input = progressInput.parse(raw ?? {});
  const modelId = input.model ? (await findModelOrThrow(ctx, input.model)).id : null;
  const modelFilter = modelId ? sql`and i.model_id = ${modelId}` : sql``;
  const mine = await ctx.db.execute<{ today: number; total: number }>(sql`
    select count(*) filter (where l.created_at >= date_trunc('day', now()))::int as today, count(*)::int as total
    from feedback_labels l join feedback_items i on i.id = l.item_id
    where l.reviewer_id = ${me} ${modelFilter}`);
  const waiting = await ctx.db.execute<{ model: string; waiting: number }>(sql`
    select m.name as model, count(distinct i.id)::int as waiting
    from feedback_items i
    join models m on m.id = i.model_id
    join feedback_claims c on c.item_id = i.id
    where i.status = 'open' and i.reason <> 'gold' ${modelFilter}
      and (c.state = 'open' or (c.state = 'claimed' and c.lease_expires_at < now()))
      and not exists (select 1 from feedback_claims mine where mine.item_id = i.id and mine.reviewer_id = ${me})
      and not exists (select 1 from feedback_skips s where s.item_id = i.id and s.reviewer_id = ${me})
    group by m.name order by m.name`);
  const byModel = waiting.rows.map((r) => ({ model: r.model, waiting: Number(r.waiting) }));
  return {
    labeledToday: Number(mine.rows[0]?.today ?? 0),
    labeledTotal: Number(mine.rows[0]?.total ?? 0),
    waiting: byModel.reduce((a, r) => a + r.waiting, 0),
    byModel,
  };
}
