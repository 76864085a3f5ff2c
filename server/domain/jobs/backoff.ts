const BASE_DELAY_MS = 10_000;
const MAX_DELAY_MS = 30 * 60_000;

/** Wait before retrying a job that threw after `failedAttempts` attempts: 10 s, 20 s, 40 s, … capped at 30 min. */
export function jobRetryDelayMs(failedAttempts: number): number {
  return Math.min(BASE_DELAY_MS * 2 ** Math.max(0, failedAttempts - 1), MAX_DELAY_MS);
}
