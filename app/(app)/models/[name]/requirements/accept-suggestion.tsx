"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import type { SetShape } from "@/server/domain/requirements/compare";
import type { TighteningSuggestion } from "@/server/domain/requirements/suggestions";
import { FormError, useTRPC } from "../../../../_components/trpc";
import { Button } from "../../../../_components/ui";
import type { Kind } from "./report-kinds";

/** One click: the active set with one floor (or ceiling) moved to the champion's pessimistic bound. */
export function AcceptSuggestion({
  model,
  current,
  suggestion,
}: {
  model: string;
  current: SetShape;
  suggestion: TighteningSuggestion;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const propose = useMutation(trpc.requirements.propose.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <span>
      <Button
        type="button"
        variant="secondary"
        disabled={propose.isPending}
        onClick={() =>
          propose.mutate({
            model,
            primaryMetric: current.primaryMetric,
            requiredReportKinds: current.requiredReportKinds as Kind[],
            comparisonMargins: current.comparisonMargins,
            minOutcomes: current.minOutcomes,
            minAucClassCount: current.minAucClassCount,
            requirements: current.requirements.map((r) => ({
              ...r,
              reportKinds: r.reportKinds as Kind[],
              floor:
                r.metric === suggestion.metric && r.slice === suggestion.slice ? suggestion.suggestedFloor : r.floor,
            })),
            rationale: `Tightened ${suggestion.metric} to the champion's pessimistic bound ${suggestion.suggestedFloor} (suggested by Ratchet).`,
          })
        }
      >
        Tighten
      </Button>
      <FormError error={propose.error} />
    </span>
  );
}
