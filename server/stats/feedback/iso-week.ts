/**
 * The ISO 8601 week a moment falls in, in UTC, as "YYYY-Www" (weeks start on Monday; week 1 holds the
 * year's first Thursday, so 2026-12-31 can be "2026-W53" and 2027-01-01 "2026-W53" too). The key live
 * accuracy is grouped by per week, the same on every server whatever its time zone.
 */
export function isoWeekKey(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const weekday = day.getUTCDay() || 7; // Monday 1 … Sunday 7
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of this week decides the year
  const year = day.getUTCFullYear();
  const week = Math.ceil(((day.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}
