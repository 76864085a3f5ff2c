"use client";
import { useQueryStates } from "nuqs";
import { useEffect, useTransition } from "react";
import { WINDOW_GRANULARITIES } from "@/server/domain/monitoring/schemas";
import { cn } from "../../../../_components/ui/cn";
import { Select } from "../../../../_components/ui";
import { monitoringParams } from "./params";

const LABELS = { hour: "Hour", day: "Day", week: "Week" } as const;

function useMonitoringParams() {
  const [pending, startTransition] = useTransition();
  const [params, setParams] = useQueryStates(monitoringParams, { shallow: false, scroll: false, startTransition });
  return { params, setParams, pending };
}

/** Hour / day / week: the windows the page reads; a server render per change, the URL keeps it. */
export function GranularitySwitch() {
  const { params, setParams, pending } = useMonitoringParams();
  return (
    <div className="flex items-center gap-2">
      <div role="radiogroup" aria-label="Window granularity" className="inline-flex rounded-md border border-slate-300">
        {WINDOW_GRANULARITIES.map((g) => (
          <button
            key={g}
            type="button"
            role="radio"
            aria-checked={params.granularity === g}
            onClick={() => void setParams({ granularity: g })}
            className={cn(
              "px-3 py-1 text-sm first:rounded-l-md last:rounded-r-md",
              params.granularity === g ? "bg-indigo-700 text-white" : "bg-white text-slate-700 hover:bg-slate-50",
            )}
          >
            {LABELS[g]}
          </button>
        ))}
      </div>
      {pending && (
        <span className="text-xs text-slate-500" role="status">
          updating…
        </span>
      )}
    </div>
  );
}

/** Which feature's reference and current distributions are drawn (?feature=NAME). */
export function FeatureSelect({ features, selected }: { features: string[]; selected: string | null }) {
  const { setParams } = useMonitoringParams();
  return (
    <label className="flex items-center gap-2 text-sm text-slate-600">
      Feature
      <Select
        aria-label="Feature"
        value={selected ?? ""}
        onChange={(e) => void setParams({ feature: e.target.value || null })}
      >
        {features.map((f) => (
          <option key={f} value={f}>
            {f}
          </option>
        ))}
      </Select>
    </label>
  );
}

/** A link with ?feature=NAME (from an alert or the heat map) lands on the feature's distributions. */
export function ScrollToFeature({ feature }: { feature: string | null }) {
  useEffect(() => {
    if (!feature) return;
    document.getElementById("feature-distribution")?.scrollIntoView({ block: "start" });
  }, [feature]);
  return null;
}
