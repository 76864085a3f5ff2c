"use client";
import { metricDefinition } from "@/server/domain/requirements/metric-definitions";
import { Tooltip } from "./ui/tooltip";

/** A metric's name; a registered metric shows its definition on hover and on keyboard focus. */
export function MetricName({ name }: { name: string }) {
  const definition = metricDefinition(name);
  if (!definition) return <span className="font-mono text-xs">{name}</span>;
  return (
    <Tooltip content={definition}>
      <button
        type="button"
        data-testid={`metric-help-${name}`}
        className="cursor-help font-mono text-xs underline decoration-slate-400 decoration-dotted underline-offset-2 focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        {name}
      </button>
    </Tooltip>
  );
}
