import { formatDistanceToNowStrict, format } from "date-fns";

export const ago = (d: Date | string | null | undefined) => (d ? `${formatDistanceToNowStrict(new Date(d))} ago` : "—");
export const when = (d: Date | string | null | undefined) => (d ? format(new Date(d), "yyyy-MM-dd HH:mm") : "—");
export const taskLabel = (t: string) => t.replaceAll("_", " ");

/** Three decimals for rates and scores, fewer as numbers grow (latencies, sizes, prices). */
export function formatMetric(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toLocaleString("en", { maximumFractionDigits: 0 });
  if (abs >= 10) return value.toFixed(2);
  return value.toFixed(3);
}

function lastDayOfMonth(iso: string): string {
  const [y, m] = iso.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${iso.slice(0, 7)}-${String(d).padStart(2, "0")}`;
}

/** "2026-03" for a calendar month, else "start → end" (or the one date there is). */
export function periodLabel(start: string | null, end: string | null): string {
  if (start && end && start.endsWith("-01") && end === lastDayOfMonth(start)) return start.slice(0, 7);
  if (start && end) return start === end ? start : `${start} → ${end}`;
  return start ?? end ?? "—";
}
