import type { WindowGranularity } from "./window-summary";

export const GRANULARITIES: readonly WindowGranularity[] = ["hour", "day", "week"];

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;
/** 1970-01-05 was a Monday: weeks start on Monday 00:00 UTC, as PostgreSQL's date_trunc('week') does. */
const MONDAY_MS = 4 * DAY_MS;

/** The start of the window of `granularity` that contains `t` (UTC): [start, end). */
export function windowStart(granularity: WindowGranularity, t: Date): Date {
  const ms = t.getTime();
  switch (granularity) {
    case "hour":
      return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);
    case "day":
      return new Date(Math.floor(ms / DAY_MS) * DAY_MS);
    case "week":
      return new Date(Math.floor((ms - MONDAY_MS) / WEEK_MS) * WEEK_MS + MONDAY_MS);
  }
}

export function windowLengthMs(granularity: WindowGranularity): number {
  return granularity === "hour" ? HOUR_MS : granularity === "day" ? DAY_MS : WEEK_MS;
}

export function windowEnd(granularity: WindowGranularity, start: Date): Date {
  return new Date(start.getTime() + windowLengthMs(granularity));
}

/** Whether `start` is where a window of `granularity` begins (not some instant inside one). */
export function isWindowStart(granularity: WindowGranularity, start: Date): boolean {
  return windowStart(granularity, start).getTime() === start.getTime();
}

/**
 * A window is final once late traffic can no longer change it: `lateMs` after its end. A computation
 * made then is the last one; rows that arrive later do not reopen it.
 */
export function isFinal(granularity: WindowGranularity, start: Date, now: Date, lateMs: number): boolean {
  return now.getTime() >= windowEnd(granularity, start).getTime() + lateMs;
}

/** The identity of one window of one version, as job dedup and lock keys use it. */
export function windowKey(versionId: string, granularity: WindowGranularity, start: Date): string {
  return `window:${versionId}:${granularity}:${start.toISOString()}`;
}
