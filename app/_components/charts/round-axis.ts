/**
 * Axis ticks on round numbers (1, 2, 2.5 or 5 times a power of ten), so a chart reads 0.80, 0.85, 0.90
 * rather than 0.783, 0.827, 0.871. Pure: charts call it on the domain their data comes with.
 */
export function niceStep(span: number, targetTicks = 5): number {
  if (!(span > 0) || !Number.isFinite(span)) return 1;
  const raw = span / targetTicks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * power >= raw)! * power;
  return Number(step.toPrecision(12));
}

/**
 * The domain widened outward to the nearest multiples of a round step, and the ticks on those multiples.
 * 0 and 1 are multiples of every step at most 1, so a metric kept within [0, 1] stays within it.
 */
export function roundAxis(
  [lo, hi]: readonly [number, number],
  targetTicks = 5,
): { domain: [number, number]; ticks: number[] } {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return { domain: [0, 1], ticks: [0, 0.25, 0.5, 0.75, 1] };
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) [lo, hi] = [lo - 0.5, hi + 0.5];
  const step = niceStep(hi - lo, targetTicks);
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  // Rounded so 0.1 + 0.2 style drift never shows as 0.30000000000000004 on the axis.
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toPrecision(12)));
  return { domain: [ticks[0]!, ticks[ticks.length - 1]!], ticks };
}

/** A round tick as written: 0.85, 1,200, never 0.850 or 1200.000. */
export const tickLabel = (v: number) => v.toLocaleString("en", { maximumFractionDigits: 6 });

/** Integer ticks for version numbers: one per version shown, never v0 or a version that does not exist. */
export function versionAxis(versions: number[]): { domain: [number, number]; ticks: number[] } {
  const ticks = [...new Set(versions)].sort((a, b) => a - b);
  if (ticks.length === 0) return { domain: [0, 1], ticks: [] };
  // Half a step of air on each side, so the first and last version do not sit on the chart's edge.
  return { domain: [ticks[0]! - 0.5, ticks[ticks.length - 1]! + 0.5], ticks };
}
