/**
 * One job-worker instance for `npm run bench:sustained`: its own process and connection pool on the
 * bench's database, running monitoring window jobs and the review queue's intake as an app instance's
 * worker would. Stops on SIGTERM.
 */
import { openDatabase } from "@/db/client";
import { FEEDBACK_INTAKE_JOB, feedbackIntakeJobHandler } from "@/server/domain/feedback/intake-job";
import { startJobWorker } from "@/server/domain/jobs/worker";
import { WINDOW_JOB, windowJobHandler } from "@/server/domain/monitoring/window-jobs";

async function main() {
  const url = process.argv[2];
  if (!url) throw new Error("usage: sustained-worker.ts DATABASE_URL");
  const database = await openDatabase({ url });
  const stop = startJobWorker(async () => database, {
    name: "bench job worker",
    handlers: { [WINDOW_JOB]: windowJobHandler(), [FEEDBACK_INTAKE_JOB]: feedbackIntakeJobHandler },
    intervalMs: 200,
    batch: 4,
  });
  const keepAlive = setInterval(() => undefined, 1_000);
  // Exit at once: a window computation in flight is abandoned like a crashed instance's (its lease expires).
  process.on("SIGTERM", () => {
    stop();
    clearInterval(keepAlive);
    process.exit(0);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
