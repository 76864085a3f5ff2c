import Link from "next/link";
import type { MonitoringPageData } from "@/server/domain/monitoring/page";
import { driftIntensity } from "../../../../_components/chart-data/monitoring";
import { formatMetric } from "../../../../_components/format";
import { cn } from "../../../../_components/ui/cn";
import { windowLabel } from "./labels";

type Cell = MonitoringPageData["heatmap"]["cells"][string][number];

function cellClass(cell: Cell): string {
  if (!cell || cell.drifted === null)
    return "bg-[repeating-linear-gradient(45deg,#f1f5f9,#f1f5f9_3px,#e2e8f0_3px,#e2e8f0_6px)]";
  const x = driftIntensity(cell) ?? 0;
  if (cell.drifted) return x >= 4 ? "bg-red-700" : x >= 2 ? "bg-red-500" : "bg-red-300";
  return x >= 0.5 ? "bg-amber-100" : "bg-emerald-100";
}

function cellText(feature: string, window: string, cell: Cell): string {
  if (!cell || cell.drifted === null) return `${feature}, ${window}: not measured`;
  const value = cell.pValue !== null ? `p = ${cell.pValue.toPrecision(3)}` : `${formatMetric(cell.statistic ?? 0)}`;
  return `${feature}, ${window}: ${cell.drifted ? "drift" : "no drift"} (${cell.method} ${value}, threshold ${cell.threshold})`;
}

/**
 * Features × windows: red where the engine found drift (darker further past the threshold), green or
 * amber where it did not, hatched where nothing was measured. A cell opens the feature's distributions.
 */
export function DriftHeatmap({ data, hrefFor }: { data: MonitoringPageData; hrefFor: (feature: string) => string }) {
  const { features, cells } = data.heatmap;
  return (
    <div className="overflow-x-auto">
      <table className="border-separate border-spacing-0.5 text-xs" aria-label="Drift per feature and window">
        <thead>
          <tr>
            <th scope="col" className="pr-2 text-left font-semibold text-slate-500">
              Feature
            </th>
            {data.windows.map((w) => (
              <th
                key={w.start.toISOString()}
                scope="col"
                className="relative h-20 w-4 max-w-4 min-w-4 align-bottom font-normal text-slate-500"
              >
                {/* Positioned, so the rotated label takes no column width: 48 hours still fit. */}
                <span className="absolute bottom-1 left-2 origin-bottom-left -rotate-60 whitespace-nowrap">
                  {windowLabel(data.granularity, w.start)}
                </span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {features.map((f) => (
            <tr key={f} data-testid={`heatmap-row-${f}`}>
              <th scope="row" className="pr-2 text-left font-medium whitespace-nowrap text-slate-700">
                <Link href={hrefFor(f)} scroll={false}>
                  {f}
                </Link>
              </th>
              {cells[f]!.map((cell, i) => {
                const text = cellText(f, windowLabel(data.granularity, data.windows[i]!.start), cell);
                return (
                  <td key={i} className="p-0">
                    <Link
                      href={hrefFor(f)}
                      scroll={false}
                      title={text}
                      aria-label={text}
                      data-drift={cell?.drifted === null || !cell ? "not-measured" : cell.drifted ? "drift" : "none"}
                      className={cn("block h-5 w-4 rounded-sm", cellClass(cell))}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2 flex flex-wrap gap-3 text-xs text-slate-500">
        <span>
          <span className="mr-1 inline-block h-3 w-3 rounded-sm bg-emerald-100 align-middle" /> no drift
        </span>
        <span>
          <span className="mr-1 inline-block h-3 w-3 rounded-sm bg-amber-100 align-middle" /> no drift, over half the
          threshold
        </span>
        <span>
          <span className="mr-1 inline-block h-3 w-3 rounded-sm bg-red-500 align-middle" /> drift (darker: further past
          the threshold)
        </span>
        <span>
          <span className="mr-1 inline-block h-3 w-3 rounded-sm bg-slate-200 align-middle" /> not measured
        </span>
      </p>
    </div>
  );
}
