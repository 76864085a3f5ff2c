/**
 * One drift computation for windows with the same drift sample. The hour, day and week windows of a
 * version hold the same rows in the first hour of a day or week (and a day its only hour's rows), their
 * jobs are dirtied together and run at once, and loading the k sample rows and running the engine on
 * them is most of a window's cost. The drift is a pure function of the reference, the features, the
 * sample size and the sample's rows, so it is keyed by exactly those (the rows by a digest of their
 * hashes, read in the window's own snapshot) and shared within the process while in flight or recent.
 */
import type { WindowSummary } from "./window-summary";

type Drift = NonNullable<WindowSummary["drift"]>;

/** Recent computations kept: a few windows' worth, enough for one version's hour, day and week. */
const KEPT = 16;
const memo = new Map<string, Promise<Drift>>();

export function sharedDrift(key: string, compute: () => Promise<Drift>): Promise<Drift> {
  const known = memo.get(key);
  if (known) return known;
  const pending = compute();
  memo.set(key, pending);
  // A failed computation is not remembered: the next window computes it again.
  pending.catch(() => memo.delete(key));
  while (memo.size > KEPT) memo.delete(memo.keys().next().value!);
  return pending;
}
