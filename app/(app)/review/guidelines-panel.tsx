"use client";
import Link from "next/link";
import { Markdown } from "../../_components/markdown";
import { Badge, Button, Card } from "../../_components/ui";

export interface ShownGuidelines {
  version: number;
  markdown: string;
  changeNote: string;
}

/**
 * The model's labeling guidelines beside the item, rendered like the guidelines page (sanitized Markdown),
 * with their version: the label records the version shown here. Collapsible (button or G); the choice is
 * the reviewer's and stays as they move from item to item.
 */
export function GuidelinesPanel({
  model,
  guidelines,
  loading,
  open,
  onToggle,
}: {
  model: string;
  /** null: the model has none; undefined: not loaded (yet). */
  guidelines: ShownGuidelines | null | undefined;
  loading: boolean;
  open: boolean;
  onToggle: () => void;
}) {
  const title =
    guidelines === undefined
      ? "Guidelines"
      : guidelines === null
        ? "No guidelines"
        : `Guidelines v${guidelines.version}`;
  return (
    <aside aria-label="Labeling guidelines" data-testid="guidelines-panel" className={open ? "xl:w-96" : "xl:w-48"}>
      <Card
        title={<span data-testid="guidelines-panel-title">{title}</span>}
        actions={
          <Button
            type="button"
            variant="ghost"
            aria-expanded={open}
            aria-controls="guidelines-panel-body"
            onClick={onToggle}
          >
            {open ? "Hide" : "Show"} <kbd className="rounded bg-black/10 px-1 text-xs">G</kbd>
          </Button>
        }
      >
        <div id="guidelines-panel-body" hidden={!open} className="max-h-[70vh] space-y-3 overflow-auto">
          {guidelines ? (
            <>
              <Markdown text={guidelines.markdown} testId="guidelines-panel-text" />
              <p className="text-xs text-slate-500">
                Version {guidelines.version}
                {guidelines.changeNote && ` — ${guidelines.changeNote}`}.{" "}
                <Link className="text-indigo-700 underline" href={`/models/${encodeURIComponent(model)}/guidelines`}>
                  History
                </Link>
              </p>
            </>
          ) : guidelines === null ? (
            <p className="text-sm text-slate-600" data-testid="guidelines-panel-empty">
              {model} has no labeling guidelines yet: label by the class names, and flag (F) what you are unsure of.
            </p>
          ) : (
            <p className="text-sm text-slate-500" role="status">
              {loading ? "Loading the guidelines…" : "The guidelines could not be loaded."}
            </p>
          )}
        </div>
        {!open && guidelines && (
          <p className="text-xs text-slate-500">
            <Badge variant="neutral">v{guidelines.version}</Badge> hidden
          </p>
        )}
      </Card>
    </aside>
  );
}
