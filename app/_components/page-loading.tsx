/** What a page shows while its data loads: the shape of a page, announced to screen readers. */
export function PageLoading({ what }: { what: string }) {
  return (
    <div role="status" aria-live="polite" data-testid="page-loading" className="animate-pulse space-y-4">
      <span className="sr-only">Loading {what}…</span>
      <div className="h-7 w-72 rounded bg-slate-200" />
      <div className="h-4 w-96 rounded bg-slate-100" />
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="h-40 rounded-lg border border-slate-200 bg-white" />
        <div className="h-40 rounded-lg border border-slate-200 bg-white" />
      </div>
    </div>
  );
}
