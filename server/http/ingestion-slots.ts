import { BusyError } from "@/server/domain/errors";

/**
 * Bounds the reports this instance ingests at once (RATCHET_MAX_CONCURRENT_INGESTIONS). Each ingestion
 * holds outcomes in memory while its intervals are computed; past the bound the client is told to come
 * back (503 with Retry-After) instead of the process running out of memory. Per instance by design:
 * memory is per instance.
 */
const RETRY_AFTER_SECONDS = 10;
let running = 0;

/** Takes a slot or throws BusyError; call the returned function exactly once when done. */
export function acquireIngestionSlot(max: number): () => void {
  if (running >= max) {
    throw new BusyError(
      `This instance is already ingesting ${running} report${running === 1 ? "" : "s"} (the limit is ${max}); try again in ${RETRY_AFTER_SECONDS} seconds.`,
      RETRY_AFTER_SECONDS,
    );
  }
  running++;
  let released = false;
  return () => {
    if (!released) running--;
    released = true;
  };
}

/** How many ingestions hold a slot now. */
export const ingestionsInProgress = () => running;
