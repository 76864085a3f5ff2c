/**
 * How a requirement's bound is said. The column is called `floor` in the data, but for a metric where lower
 * is better (latency, log loss, RMSE) it is a ceiling: words a person reads must never call it a floor.
 */
export type Direction = "higher" | "lower";

/** "floor" for higher-is-better, "ceiling" for lower-is-better. */
export const boundName = (direction: Direction | null | undefined) => (direction === "lower" ? "ceiling" : "floor");

/** "at least 0.7" / "at most 120". */
export const boundPhrase = (direction: Direction | null | undefined, value: string | number) =>
  `${direction === "lower" ? "at most" : "at least"} ${value}`;
