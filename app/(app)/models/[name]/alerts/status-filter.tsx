import Link from "next/link";
import { ALERT_FILTERS, type AlertFilter } from "@/server/domain/alerts/schemas";

const LABELS: Record<AlertFilter, string> = {
  unresolved: "Unresolved",
  open: "Open",
  acknowledged: "Acknowledged",
  resolved: "Resolved",
  all: "All",
};

/** Which alerts the list shows; the choice is in the URL (`?status=`), so a view can be shared. */
export function StatusFilter({ base, current }: { base: string; current: AlertFilter }) {
  return (
    <nav aria-label="Alert status" className="mb-3 flex flex-wrap gap-1 text-sm">
      {ALERT_FILTERS.map((f) => (
        <Link
          key={f}
          href={f === "unresolved" ? base : `${base}?status=${f}`}
          aria-current={f === current ? "page" : undefined}
          className={`rounded-md px-2.5 py-1 hover:no-underline ${f === current ? "bg-indigo-50 font-medium text-indigo-800" : "text-slate-600 hover:bg-slate-100"}`}
        >
          {LABELS[f]}
        </Link>
      ))}
    </nav>
  );
}
