import { sql, type SQL } from "drizzle-orm";
import { pgArray } from "../predictions/pg-array";

/**
 * Puts the predictions of one ingested batch that need a human into the review queue: one statement over
 * the batch's rows in the log, no row-by-row work in Node. It runs in a job shortly after the ingest
 * committed (see `FEEDBACK_INTAKE_JOB`), so a serving system's POST never waits for the queue.
 *
 * For each row, the model's policy in force (or the defaults: its review threshold on confidence) decides:
 *  - by rule: confidence below the threshold, or margin between the top two classes below it, or entropy
 *    above it;
 *  - by a draw with the policy's random share (recorded, so live accuracy can use the unbiased sample);
 *  - by disagreement: another version of the model answered the same request (same external id) differently,
 *    in this batch or in an item already queued. Pairs split across batches are found through the queue
 *    only (the log has no index on external id, and adding one would slow every ingest).
 * Each item records the probability with which it was sampled (1 when a rule or a disagreement selected it,
 * the random share otherwise) and a priority key built from the policy's order. An item gets one reviewer
 * slot per label it needs (the policy's overlap).
 *
 * The draws (the random share, and whether the reviewer sees the model's answer) are a seeded hash of the
 * model, version and request id, uniform over [0, 1) like random() but the same every time: running the
 * statement twice over the same rows (a retried job, an overlapping batch) queues nothing twice and
 * never draws a row a second time, which would raise its real sampling probability above the recorded one.
 *
 * `rows`: a select of the columns listed in `INTAKE_COLUMNS`, from the log.
 * `pairsInBatch`: whether the rows hold two versions of one model, the only way they can pair answers
 * among themselves. Most batches come from one serving instance and hold one version; they skip the self-join.
 */
const RANDOM_SHARE_SEED = 20_261_201;
const HIDE_ANSWER_SEED = 20_261_202;

/**
 * A uniform draw in [0, 1) from a seeded 64-bit hash (its low 53 bits) of the model's name, the version's
 * number and the request id: names rather than ids, so the same traffic is drawn the same way on every
 * install (the demo's story is the same everywhere).
 */
const draw = (modelName: SQL, version: SQL, externalId: SQL, seed: number) =>
  sql`((hashtextextended(${modelName} || ':' || ${version} || ':' || ${externalId}, ${seed}) & 9007199254740991)::float8 / 9007199254740992)`;

export function enqueueForReview(rows: SQL, modelIds: readonly string[], opts: { pairsInBatch: boolean }): SQL {
  const batchPairs = opts.pairsInBatch
    ? sql`
      select distinct on (s.id) s.id, o.version, o.prediction_label, o.prediction_number, o.confidence
      from scored s
      join scored o on o.model_id = s.model_id and o.external_id = s.external_id
        and o.model_version_id <> s.model_version_id
        and (o.prediction_label is distinct from s.prediction_label or o.prediction_number is distinct from s.prediction_number)
      order by s.id, o.arm = 'champion' desc`
    : sql`
      select null::bigint as id, null::int as version, null::text as prediction_label,
        null::float8 as prediction_number, null::real as confidence
      where false`;
  return sql`
    with batch_rows as (${rows}),
    policy as materialized (
      select m.id as model_id, m.name as model_name, m.task, p.id as policy_id,
        coalesce(p.strategy::text, 'confidence') as strategy,
        coalesce(p.threshold, m.review_threshold)::float8 as threshold,
        coalesce(p.random_share, 0)::float8 as random_share,
        coalesce(p.overlap, 1) as overlap,
        coalesce(p.hide_answer_share, 0)::float8 as hide_share,
        coalesce(p.order_keys, '{disagreement,confidence,recency}'::text[]) as order_keys,
        exists (select 1 from model_versions c where c.model_id = m.id and c.stage = 'challenger') as has_challenger
      from models m
      left join lateral (
        select * from feedback_policies fp where fp.model_id = m.id order by fp.version desc limit 1
      ) p on true
      where m.id = any(${pgArray(modelIds)}::uuid[])
    ),
    -- Narrow on purpose: features and probabilities stay in "batch_rows" and are joined back for the few rows
    -- that are queued, rather than copied for every row of the batch into this CTE and its hash tables.
    scored as (
      select i.id, i.model_version_id, i.external_id, i."time", i.prediction_number, i.prediction_label,
        i.confidence, i.arm, mv.model_id, pol.model_name, mv.version, pol.policy_id, pol.overlap, pol.hide_share, pol.order_keys,
        pol.random_share, pol.has_challenger,
        ${draw(sql`pol.model_name`, sql`mv.version`, sql`i.external_id`, RANDOM_SHARE_SEED)} < pol.random_share as drawn,
        coalesce(case pol.strategy
          when 'confidence' then i.confidence < pol.threshold
          when 'margin' then (
            case
              when i.probabilities is not null then (
                select coalesce((array_agg(v order by v desc))[1], 0) - coalesce((array_agg(v order by v desc))[2], 0)
                from (select value::float8 as v from jsonb_each_text(i.probabilities)) pr)
              when pol.task = 'binary_classification' then 2 * i.confidence - 1
            end) < pol.threshold
          else (
            case
              when i.probabilities is not null then (
                select -sum(case when v > 0 then v * ln(v) else 0 end)
                from (select value::float8 as v from jsonb_each_text(i.probabilities)) pr)
              when pol.task = 'binary_classification' and i.confidence > 0 and i.confidence < 1
                then -(i.confidence * ln(i.confidence) + (1 - i.confidence) * ln(1 - i.confidence))
            end) > pol.threshold
        end, false) as by_rule
      from batch_rows i
      join model_versions mv on mv.id = i.model_version_id
      join policy pol on pol.model_id = mv.model_id
    ),
    -- Another version's different answer to the same request, within this batch (a hash join).
    batch_pairs as (${batchPairs}),
    -- An item already queued for the request by another version that answered differently: only looked up
    -- when the row can have a counterpart (it is not the champion's, or the model has a challenger).
    queued_pairs as (
      select s.id, f.confidence as queued_confidence
      from scored s
      cross join lateral (
        select f.confidence from feedback_items f
        where f.model_id = s.model_id and f.external_id = s.external_id and f.reason <> 'gold'
          and f.model_version_id <> s.model_version_id
          and (f.prediction_label is distinct from s.prediction_label or f.prediction_number is distinct from s.prediction_number)
        limit 1) f
      where s.arm <> 'champion' or s.has_challenger
    ),
    candidates as (
      select distinct on (s.model_id, s.external_id) s.*,
        case
          when bp.id is not null then jsonb_build_object('version', bp.version,
            'prediction', coalesce(to_jsonb(bp.prediction_label), to_jsonb(bp.prediction_number)), 'confidence', bp.confidence)
          -- The queued item holds the other answer: this row's own answer is what it disagrees with.
          when qp.id is not null then jsonb_build_object('version', s.version,
            'prediction', coalesce(to_jsonb(s.prediction_label), to_jsonb(s.prediction_number)), 'confidence', s.confidence)
        end as disagreement,
        (bp.id is not null or qp.id is not null) as disagrees,
        -- The queued item keeps its own answer, so its place in the order follows its own confidence.
        case when qp.id is not null then qp.queued_confidence else s.confidence end as order_confidence
      from scored s
      left join batch_pairs bp on bp.id = s.id
      left join queued_pairs qp on qp.id = s.id
      where s.by_rule or s.drawn or bp.id is not null or qp.id is not null
      order by s.model_id, s.external_id, (bp.id is not null or qp.id is not null) desc, s.arm = 'champion' desc, s.id
    ),
    items as (
      insert into feedback_items (model_id, model_version_id, prediction_id, external_id, predicted_at, arm, features,
        prediction_label, prediction_number, confidence, probabilities, reason, sampling_probability, random_draw,
        disagreement, show_model_answer, priority, required_labels, policy_id)
      select c.model_id, c.model_version_id, c.id, c.external_id, c."time", c.arm, i.features,
        c.prediction_label, c.prediction_number, c.confidence, i.probabilities,
        (case when c.disagrees then 'disagreement' when c.by_rule then 'low_confidence' else 'random' end)::feedback_reason,
        case when c.disagrees or c.by_rule then 1 else c.random_share end,
        c.drawn, c.disagreement, ${draw(sql`c.model_name`, sql`c.version`, sql`c.external_id`, HIDE_ANSWER_SEED)} >= c.hide_share,
        array_to_string(array(
          select case k
            when 'disagreement' then case when c.disagrees then '0' else '1' end
            when 'confidence' then lpad(coalesce(floor(c.order_confidence * 1000000)::bigint, 1000000)::text, 7, '0')
            when 'recency' then lpad((99999999999 - floor(extract(epoch from c."time"))::bigint)::text, 11, '0')
          end
          from unnest(c.order_keys) with ordinality as o(k, n) order by o.n), ''),
        c.overlap, c.policy_id
      from candidates c
      join batch_rows i on i.id = c.id
      on conflict (model_id, external_id) where reason <> 'gold' do update
        set reason = 'disagreement', disagreement = excluded.disagreement, sampling_probability = 1,
          priority = excluded.priority
        where excluded.reason = 'disagreement' and feedback_items.reason <> 'disagreement'
      returning id, required_labels, (xmax = 0) as fresh
    )
    insert into feedback_claims (item_id)
    select items.id from items cross join lateral generate_series(1, items.required_labels)
    where items.fresh`;
}

/** The columns `enqueueForReview` reads from its rows. */
export const INTAKE_COLUMNS = sql.raw(
  `id, model_version_id, external_id, "time", features, prediction_number, prediction_label, confidence, probabilities, arm`,
);
