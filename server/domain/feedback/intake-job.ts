import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "@/db/client";
import { enqueueJobs } from "../jobs/queue";
import { runDueJobs, type JobHandler } from "../jobs/runner";
import { enqueueForReview, INTAKE_COLUMNS } from "./enqueue";

/**
 * The review queue's intake: after a batch of predictions commits, a job puts the batch's rows that need
 * a human into the queue (`enqueueForReview`). The job is written in the ingest's transaction, so a batch
 * that is stored always gets its intake (nothing accepted is lost), and the serving system's POST does not
 * wait for a third of its time on reviewer slots: items appear within a tick of the job worker.
 *
 * One job per model in the batch. Two batches of one model never queue at the same time (a transaction
 * lock per model, taken first), so a champion's answer and a shadow's answer to one request, arriving in
 * two batches, always find each other through the queue. Not the jobs' lock key: at thousands of rows a
 * second a model has several intake jobs due at once, and a lock key would let only one of them into
 * each claim, crowding the window jobs out of the rest (bench:sustained fell behind with it).
 */
export const FEEDBACK_INTAKE_JOB = "feedback.intake";

const intakePayload = z.object({
  modelId: z.guid(),
  versionIds: z.array(z.guid()).min(1),
  /** The batch's rows: ids from the INSERT (a range other batches' rows may interleave with) ... */
  firstId: z.string().regex(/^\d+$/),
  lastId: z.string().regex(/^\d+$/),
  /** ... told apart by their transaction's timestamp (received_at), exact to the microsecond. */
  receivedAt: z.string().min(1),
  /** The batch's time span, so only the partitions of its days are read. */
  firstTime: z.iso.datetime(),
  lastTime: z.iso.datetime(),
});
export type IntakeBatch = z.infer<typeof intakePayload>;

/** Queues the intake of a batch just inserted, in the ingest's transaction. */
export async function queueIntake(tx: Tx, batches: IntakeBatch[]): Promise<void> {
  await enqueueJobs(
    tx,
    batches.map((payload) => ({ kind: FEEDBACK_INTAKE_JOB, payload })),
  );
}

/** Waits for, then holds until the transaction ends, the right to queue this model's batches. */
export async function lockModelIntake(tx: Tx, modelId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`feedback-intake:${modelId}`}, 0))`);
}

export const feedbackIntakeJobHandler: JobHandler = async ({ db, job }) => {
  const batch = intakePayload.parse(job.payload);
  // By the id index alone: no condition on the version here (enqueueForReview keeps only this model's
  // rows), or a new partition's missing statistics lead the planner to the (version, time) index, which
  // reads the version's whole day. The time span only prunes partitions.
  const rows = sql`
    select ${INTAKE_COLUMNS} from predictions
    where id between ${batch.firstId}::bigint and ${batch.lastId}::bigint
      and received_at = ${batch.receivedAt}::timestamptz
      and "time" between ${batch.firstTime}::timestamptz and ${batch.lastTime}::timestamptz`;
  // Two versions of one model in the batch are the only way it can pair answers within itself.
  await db.transaction(async (tx) => {
    await lockModelIntake(tx, batch.modelId);
    // The batch's rows were just written to a partition that may have no statistics yet (a new day), so
    // the planner guesses one row and nests loops over 10,000 (seconds per batch). No nested loops then,
    // except the per-row index probes into the queue, which are one by nature (LATERAL ... LIMIT 1).
    // And no JIT: the disabled plans' cost crosses its threshold, and compiling took a second per batch.
    await tx.execute(sql`set local enable_nestloop = off`);
    await tx.execute(sql`set local jit = off`);
    await tx.execute(enqueueForReview(rows, [batch.modelId], { pairsInBatch: batch.versionIds.length > 1 }));
  });
  return { status: "done" };
};

/**
 * Runs the intake jobs that are due now, here, until none is left: for the demo's generator and tests,
 * which need the queue filled before they go on (the app's job worker does this within a tick).
 */
export async function runReviewIntake(db: Db): Promise<void> {
  const handlers = { [FEEDBACK_INTAKE_JOB]: feedbackIntakeJobHandler };
  while ((await runDueJobs(db, { handlers, kinds: [FEEDBACK_INTAKE_JOB] })).claimed > 0);
}
