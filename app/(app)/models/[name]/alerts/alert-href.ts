/**
 * Where an alert leads: the monitoring page at the granularity of the window that raised it, on the named
 * feature's distributions when it names one (feature drift, data quality of a column), else the page itself.
 * A plain module, so server pages (the release page) and the client alert lists share it.
 */
export function alertHref(a: { model: string; feature: string | null; evidence: unknown }): string {
  const q = new URLSearchParams();
  const granularity = (a.evidence as { granularity?: unknown } | null)?.granularity;
  if (granularity === "hour" || granularity === "day" || granularity === "week") q.set("granularity", granularity);
  if (a.feature) q.set("feature", a.feature);
  const query = q.toString();
  return `/models/${a.model}/monitoring${query ? `?${query}` : ""}`;
}
