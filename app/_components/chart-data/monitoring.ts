import type { Distribution } from "@/server/domain/monitoring/window-summary";

/**
 * Shapes for the monitoring page's charts. Shares are over non-missing values, so a reference and a
 * window of different sizes draw on one scale; missing values are reported beside the chart.
 */
export interface DistributionBar {
  label: string;
  reference: number | null;
  current: number | null;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const short = (x: number) => (Math.abs(x) >= 1000 || Number.isInteger(x) ? x.toFixed(0) : x.toPrecision(3));

/** Reference and current shares per bin (numerical, on the window's edges) or per category (most common first). */
export function distributionBars(current: Distribution, reference: Distribution | null): DistributionBar[] {
  if (current.kind === "numerical") {
    const ref = reference?.kind === "numerical" && reference.counts.length === current.counts.length ? reference : null;
    const curTotal = sum(current.counts),
      refTotal = ref ? sum(ref.counts) : 0;
    return current.counts.map((c, i) => ({
      label: `${short(current.edges[i]!)}–${short(current.edges[i + 1]!)}`,
      current: curTotal ? c / curTotal : null,
      reference: ref ? (refTotal ? ref.counts[i]! / refTotal : null) : null,
    }));
  }
  const ref = reference?.kind === "categorical" ? reference : null;
  const curTotal = sum(Object.values(current.counts)),
    refTotal = ref ? sum(Object.values(ref.counts)) : 0;
  const categories = [...new Set([...Object.keys(ref?.counts ?? {}), ...Object.keys(current.counts)])];
  const weight = (c: string) => (ref?.counts[c] ?? 0) / (refTotal || 1) + (current.counts[c] ?? 0) / (curTotal || 1);
  categories.sort((a, b) => weight(b) - weight(a) || a.localeCompare(b));
  return categories.map((c) => ({
    label: c,
    current: curTotal ? (current.counts[c] ?? 0) / curTotal : null,
    reference: ref ? (refTotal ? (ref.counts[c] ?? 0) / refTotal : null) : null,
  }));
}

/**
 * A heat-map cell's colour: how far past its threshold a column is. Distances (drift when ≥ threshold)
 * compare the statistic with the threshold; tests (drift when p ≤ threshold) compare the p-value.
 */
export function driftIntensity(cell: {
  statistic: number | null;
  pValue: number | null;
  threshold: number | null;
  drifted: boolean | null;
}): number | null {
  if (cell.drifted === null || cell.threshold === null) return null;
  if (cell.pValue !== null) {
    // −log10(p) against −log10(threshold): 1 at the threshold, more as p shrinks.
    const p = Math.max(cell.pValue, 1e-300);
    return -Math.log10(p) / -Math.log10(cell.threshold);
  }
  return cell.statistic === null || cell.threshold === 0 ? null : cell.statistic / cell.threshold;
}
