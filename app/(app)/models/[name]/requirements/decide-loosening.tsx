"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { decideSetInput } from "@/server/domain/requirements/schemas";
import { FormBanner, reasons, useServerRefusal } from "../../../../_components/form";
import { useTRPC } from "../../../../_components/trpc";
import { Button, Field, Input } from "../../../../_components/ui";

const noteSchema = decideSetInput.pick({ note: true });

export function DecideLoosening({ setId, stale = false }: { setId: string; stale?: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm({ resolver: zodResolver(noteSchema), mode: "onChange", defaultValues: { note: "" } });
  const refusal = useServerRefusal(form.setError, ["note"]);
  const decide = useMutation(
    trpc.requirements.decide.mutationOptions({ onSuccess: () => router.refresh(), onError: refusal.onError }),
  );
  const submit = (approve: boolean) =>
    form.handleSubmit(({ note }) => {
      refusal.reset();
      decide.mutate({ setId, approve, note });
    });
  return (
    <form className="space-y-3" noValidate onSubmit={(e) => e.preventDefault()}>
      <FormBanner message={refusal.banner} />
      <Field label="Note" htmlFor="loosen-note" error={reasons(form.formState.errors.note)}>
        <Input id="loosen-note" aria-invalid={Boolean(form.formState.errors.note)} {...form.register("note")} />
      </Field>
      <div className="flex gap-2">
        {/* A stale proposal cannot be approved (the server refuses it too): only rejected. */}
        {!stale && (
          <Button type="button" disabled={decide.isPending} onClick={submit(true)}>
            Approve loosening
          </Button>
        )}
        <Button type="button" variant="danger" disabled={decide.isPending} onClick={submit(false)}>
          Reject
        </Button>
      </div>
    </form>
  );
}
