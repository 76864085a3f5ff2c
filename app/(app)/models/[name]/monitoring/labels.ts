import type { WindowGranularity } from "@/server/domain/monitoring/window-summary";

/** A window's start as its column label, in UTC (windows are UTC hours, days and ISO weeks). */
export function windowLabel(granularity: WindowGranularity, start: Date): string {
  const iso = start.toISOString();
  if (granularity === "hour") return `${iso.slice(5, 10)} ${iso.slice(11, 13)}:00`;
  if (granularity === "day") return iso.slice(5, 10);
  return `wk ${iso.slice(0, 10)}`;
}

/** "3 days", "5 hours": a short age. */
export function ageLabel(days: number): string {
  if (days >= 2) return `${Math.floor(days)} days`;
  const hours = days * 24;
  if (hours >= 2) return `${Math.floor(hours)} hours`;
  return `${Math.max(1, Math.floor(hours * 60))} minutes`;
}
