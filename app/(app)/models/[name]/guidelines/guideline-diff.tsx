import type { LineChange } from "@/server/domain/guidelines/line-diff";

const MARK = { same: " ", added: "+", removed: "−" } as const;
const STYLE = {
  same: "text-slate-600",
  added: "bg-emerald-50 text-emerald-900",
  removed: "bg-red-50 text-red-900 line-through decoration-red-300",
} as const;

/** The Markdown source of two versions, line by line: what was added and removed (not rendered, so nothing hides). */
export function GuidelineDiff({ changes, added, removed }: { changes: LineChange[]; added: number; removed: number }) {
  return (
    <div data-testid="guidelines-diff">
      <p className="mb-2 text-sm text-slate-600">
        {added} line{added === 1 ? "" : "s"} added, {removed} removed.
      </p>
      <pre className="overflow-auto rounded-md border border-slate-200 text-xs leading-5" tabIndex={0}>
        {changes.map((c, i) => (
          <div key={i} className={STYLE[c.kind]} data-change={c.kind}>
            <span className="inline-block w-10 pr-2 text-right text-slate-600 select-none">
              {c.newLine ?? c.oldLine}
            </span>
            <span className="select-none" aria-label={c.kind === "same" ? undefined : c.kind}>
              {MARK[c.kind]}{" "}
            </span>
            {c.text || " "}
          </div>
        ))}
      </pre>
    </div>
  );
}
