/** Pure mapper: champion reigns → step-chart points (one per change, plus "now" so the last reign shows). */
export function reignPoints(reigns: { version: number; from: Date }[], now: Date): { t: number; version: number }[] {
  const points = reigns.map((r) => ({ t: r.from.getTime(), version: r.version }));
  const last = points.at(-1);
  if (last && now.getTime() > last.t) points.push({ t: now.getTime(), version: last.version });
  return points;
}
