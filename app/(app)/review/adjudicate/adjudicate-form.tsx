"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormError, useTRPC } from "../../../_components/trpc";
import { Button, Input } from "../../../_components/ui";

/** Settles one item: pick the class (or type the value for regression), with an optional note. */
export function AdjudicateForm({
  itemId,
  classes,
  given,
}: {
  itemId: number;
  classes: string[] | null;
  given: string[];
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [note, setNote] = useState("");
  const [value, setValue] = useState(given[0] ?? "");
  const mutation = useMutation(trpc.feedback.adjudicate.mutationOptions({ onSuccess: () => router.refresh() }));
  const decide = (label: string | number) => mutation.mutate({ itemId, label, note: note.trim() || undefined });
  const options = classes && classes.length > 0 ? classes : given;
  return (
    <div className="space-y-2">
      <label className="block text-sm">
        Note (optional)
        <Input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
      </label>
      {classes ? (
        <div className="flex flex-wrap gap-2">
          {options.map((c) => (
            <Button key={c} type="button" variant="secondary" disabled={mutation.isPending} onClick={() => decide(c)}>
              Resolve as {c}
            </Button>
          ))}
        </div>
      ) : (
        <div className="flex gap-2">
          <Input
            type="number"
            step="any"
            aria-label="Resolved value"
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
          <Button type="button" disabled={mutation.isPending || value === ""} onClick={() => decide(Number(value))}>
            Resolve
          </Button>
        </div>
      )}
      <FormError error={mutation.error} />
    </div>
  );
}
