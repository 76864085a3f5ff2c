/** An item's features as a two-column list, names in order, values formatted for reading rather than as JSON. */
export function FeatureList({ features }: { features: Record<string, unknown> }) {
  const entries = Object.entries(features).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0)
    return <p className="text-sm text-slate-500">This prediction was logged without features.</p>;
  return (
    <dl data-testid="features" className="grid grid-cols-[minmax(8rem,auto)_1fr] gap-x-4 gap-y-1.5 text-sm">
      {entries.map(([name, value]) => (
        <div key={name} className="contents">
          <dt className="font-mono text-xs leading-5 text-slate-500">{name}</dt>
          <dd className="font-medium text-slate-900 tabular-nums">{formatValue(value)}</dd>
        </div>
      ))}
    </dl>
  );
}

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "— (missing)";
  if (typeof value === "number")
    return Number.isInteger(value)
      ? value.toLocaleString("en")
      : value.toLocaleString("en", { maximumFractionDigits: 4 });
  if (typeof value === "string" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
