"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { ago } from "../../../../_components/format";
import { FormError, useTRPC, type RouterOutputs } from "../../../../_components/trpc";
import { Button } from "../../../../_components/ui";

type Check = NonNullable<RouterOutputs["monitoringChecks"]["latest"]>;

function describe(check: Check): string {
  const total = check.windowsTotal;
  switch (check.state) {
    case "queued":
      return `Queued ${ago(check.requestedAt)}: waiting for a job worker.`;
    case "running":
      return total === null
        ? "Running: finding the windows with recent traffic…"
        : `Running: ${check.windowsDone} of ${total} windows computed.`;
    case "done":
      return total === 0
        ? "Done: no predictions in the last 24 hours, so there was nothing to compute."
        : `Done ${ago(check.finishedAt)}: ${total} windows computed.`;
    case "failed":
      return check.windowsTotal === null
        ? "Failed: the check could not list the windows; see the server log."
        : `Finished with ${check.windowsFailed} of ${total} windows failed; they are retried by the job queue.`;
  }
}

/**
 * "Run a check now": queues the computation of the model's recent monitoring windows (hour, day and
 * week windows holding the last 24 hours of traffic) and follows it until every window is done.
 */
export function MonitoringCheck({ model, canRun }: { model: string; canRun: boolean }) {
  const trpc = useTRPC();
  const latest = useQuery(
    trpc.monitoringChecks.latest.queryOptions(
      { model },
      // Poll only while something is in progress.
      { refetchInterval: (q) => (q.state.data && ["queued", "running"].includes(q.state.data.state) ? 1_000 : false) },
    ),
  );
  const run = useMutation(trpc.monitoringChecks.run.mutationOptions({ onSuccess: () => void latest.refetch() }));
  const check = latest.data;
  const busy = check?.state === "queued" || check?.state === "running";
  const total = check?.windowsTotal ?? 0;
  return (
    <div className="space-y-2" data-testid="monitoring-check">
      <p className="text-sm" data-testid="monitoring-check-status">
        {latest.isPending ? "Loading…" : check ? describe(check) : "No check has been run yet."}
      </p>
      {check && check.state !== "queued" && total > 0 && (
        <progress
          className="h-2 w-full"
          max={total}
          value={check.windowsDone + check.windowsFailed}
          aria-label="Windows computed"
        />
      )}
      {check?.requestedBy && <p className="text-xs text-slate-500">Requested by {check.requestedBy}.</p>}
      {canRun && (
        <Button type="button" disabled={run.isPending || busy} onClick={() => run.mutate({ model })}>
          {busy ? "Check in progress" : "Run check now"}
        </Button>
      )}
      <FormError error={run.error} />
    </div>
  );
}
