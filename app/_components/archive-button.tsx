"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { FormError, useTRPC } from "./trpc";
import { Button } from "./ui";

/**
 * Archive a version (hidden from lists, never deleted) or bring it back. The server refuses a champion,
 * a challenger or a version with a pending release request, and its reason is shown here as it is.
 */
export function ArchiveButton({ model, version, archived }: { model: string; version: number; archived: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const mutation = useMutation(trpc.models.setArchived.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <div className="space-y-2">
      <Button
        type="button"
        variant={archived ? "secondary" : "danger"}
        disabled={mutation.isPending}
        onClick={() => mutation.mutate({ model, version, archived: !archived })}
      >
        {archived ? "Unarchive version" : "Archive version"}
      </Button>
      <FormError error={mutation.error} />
    </div>
  );
}
