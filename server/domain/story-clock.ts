import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The demo tells a story that happened over past months, through the same domain verbs as the product.
 * Its audit entries must carry the story's dates, and the audit log is append-only and hash-chained
 * (migration 0005): an entry's time can only be right when it is inserted, never fixed afterwards. So the
 * demo generator runs each event "as of" its date, and appendAudit records that date. Nothing else sets
 * this clock: outside the demo every entry gets the database's now().
 */
const storyClock = new AsyncLocalStorage<{ at: Date; random: () => number }>();

/** The date an event is being recorded as, when the demo runs it; undefined otherwise. */
export function storyTime(): Date | undefined {
  return storyClock.getStore()?.at;
}

/**
 * A draw in [0, 1) from the story's seeded generator when the demo runs an event, so the chance a verb
 * leaves to luck (which claim serves a gold item) plays out the same on every install; undefined otherwise.
 */
export function storyRandom(): number | undefined {
  return storyClock.getStore()?.random();
}

/** Runs `event` so that what it records (audit entries) carries the date `at`, and its draws come from `random`. */
export function asOf<T>(at: Date, event: () => Promise<T>, random: () => number = Math.random): Promise<T> {
  return storyClock.run({ at, random }, event);
}
