/**
 * What one monitoring window holds (`monitoring_windows.summary`): the contract between the window jobs
 * that compute it, the alert rules that judge it and the monitoring page that draws it. Everything here
 * is an aggregate (counts, shares, histograms, percentiles, the drift engine's verdicts), never raw rows.
 */
import type { ColumnDrift, ColumnQuality, CorrelationChange, DatasetDrift } from "@/server/stats/drift";

export type TrafficArm = "champion" | "challenger" | "shadow" | "canary";
export type WindowGranularity = "hour" | "day" | "week";

/**
 * A distribution as the page draws it: counts per category, or an equal-width histogram. Histogram bins
 * are numpy's: [edges[i], edges[i+1]), the last one closed. Numerical bins use the reference's edges
 * (Sturges over the reference) when the version has a reference, else the window's own range; values
 * outside the edges are counted in `below` and `above`, never dropped. `missing`: absent, null, or (in a
 * numerical feature) not a number.
 */
export type Distribution =
  | { kind: "categorical"; counts: Record<string, number>; missing: number }
  | {
      kind: "numerical";
      edges: number[];
      counts: number[];
      below: number;
      above: number;
      missing: number;
      min: number | null;
      max: number | null;
    };

export interface WindowSummary {
  granularity: WindowGranularity;
  /** ISO timestamps, [start, end). */
  windowStart: string;
  windowEnd: string;
  rowCount: number;
  /**
   * True when computed after the window's end plus the late-arrival allowance (RATCHET_MONITORING_LATE_MS):
   * the window is closed and this is its last computation. False: still open, recomputed as rows arrive.
   */
  final: boolean;
  /** Rows per traffic arm in this window. */
  rowsPerArm: Partial<Record<TrafficArm, number>>;
  /** Latency percentiles over rows that reported one; null when none did ("not measured"). */
  latency: { p50: number | null; p95: number | null; measured: number };
  /** The model's output per arm. */
  output: Partial<Record<TrafficArm, Distribution>>;
  /** Per feature: the current window's distribution (binned on the reference's edges when there is one). */
  features: Record<string, Distribution>;
  /**
   * The drift engine against the version's reference; null when the version has no reference
   * (the page then says "not measured", never "no drift").
   */
  drift: null | {
    referenceId: string;
    dataset: DatasetDrift;
    /** Output (prediction) drift of the champion arm against the reference's outputs, when both have outputs. */
    output: ColumnDrift | null;
    quality: ColumnQuality[];
    correlation: CorrelationChange | null;
    /**
     * KS and Wasserstein are exact up to this many rows per side; above it they ran on a seeded uniform
     * sample of this size (the page says which).
     */
    exactUpTo: number;
    sampled: boolean;
  };
}
