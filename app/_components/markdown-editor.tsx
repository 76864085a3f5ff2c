"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { publishGuidelinesInput } from "@/server/domain/guidelines/schemas";
import { updateModelCardInput, updateVersionNotesInput } from "@/server/domain/registry/schemas";
import { FormBanner, reasons, useServerRefusal } from "./form";
import { Markdown } from "./markdown";
import { useTRPC } from "./trpc";
import { Button, Field, Input, Textarea } from "./ui";

/** The server's rule for the text, under one field name whichever it is. */
const changeNote = publishGuidelinesInput.shape.changeNote;
const textSchema = {
  card: z.object({ text: updateModelCardInput.shape.card, changeNote }),
  notes: z.object({ text: updateVersionNotesInput.shape.notes, changeNote }),
  guidelines: z.object({ text: publishGuidelinesInput.shape.markdown, changeNote }),
};
/**
 * Guidelines are published as a new version (with a note on what changed), based on the version the
 * author started from: the server refuses the save if someone published in between.
 */
type Target =
  | { kind: "card"; model: string }
  | { kind: "notes"; model: string; version: number }
  | { kind: "guidelines"; model: string; basedOnVersion: number };

/**
 * Edits a model's card or a version's notes: Markdown in a text box, a preview rendered exactly as the
 * page will render it (sanitized), saved through the same procedure (and authorization) as any client.
 */
export function MarkdownEditor({ target, initial, label }: { target: Target; initial: string; label: string }) {
  const [editing, setEditing] = useState(false);
  if (!editing) {
    return (
      <Button type="button" variant="secondary" onClick={() => setEditing(true)}>
        {initial ? `Edit ${label}` : `Write ${label}`}
      </Button>
    );
  }
  return <EditForm target={target} initial={initial} label={label} onClose={() => setEditing(false)} />;
}

function EditForm({
  target,
  initial,
  label,
  onClose,
}: {
  target: Target;
  initial: string;
  label: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const form = useForm({
    resolver: zodResolver(textSchema[target.kind]),
    mode: "onChange",
    defaultValues: { text: initial, changeNote: "" },
  });
  // The server names its field card, notes or markdown: either way it is this one text box.
  const refusal = useServerRefusal(form.setError, ["changeNote"], "text");
  const done = () => {
    onClose();
    router.refresh();
  };
  const saveCard = useMutation(trpc.models.updateCard.mutationOptions({ onSuccess: done, onError: refusal.onError }));
  const saveNotes = useMutation(trpc.models.updateNotes.mutationOptions({ onSuccess: done, onError: refusal.onError }));
  const publish = useMutation(trpc.guidelines.publish.mutationOptions({ onSuccess: done, onError: refusal.onError }));
  const pending = saveCard.isPending || saveNotes.isPending || publish.isPending;
  const [preview, setPreview] = useState(false);
  const text = useWatch({ control: form.control, name: "text" });
  const error = form.formState.errors.text;
  const id = `${target.kind}-text`;
  return (
    <form
      className="space-y-3"
      noValidate
      onSubmit={form.handleSubmit(({ text, changeNote }) => {
        refusal.reset();
        if (target.kind === "card") saveCard.mutate({ model: target.model, card: text });
        else if (target.kind === "notes")
          saveNotes.mutate({ model: target.model, version: target.version, notes: text });
        else publish.mutate({ model: target.model, markdown: text, changeNote, basedOnVersion: target.basedOnVersion });
      })}
    >
      <FormBanner message={refusal.banner} />
      {preview ? (
        <div className="rounded-md border border-slate-200 p-3" data-testid={`${target.kind}-preview`}>
          {text.trim() ? <Markdown text={text} /> : <p className="text-sm text-slate-500">Nothing written yet.</p>}
        </div>
      ) : (
        <Field
          label={`${label[0]!.toUpperCase()}${label.slice(1)} (Markdown)`}
          htmlFor={id}
          error={reasons(error)}
          hint="Headings, lists, links, tables; HTML is not rendered."
        >
          <Textarea id={id} rows={12} aria-invalid={Boolean(error)} {...form.register("text")} />
        </Field>
      )}
      {target.kind === "guidelines" && (
        <Field
          label="What changed (optional)"
          htmlFor="guidelines-change-note"
          error={reasons(form.formState.errors.changeNote)}
          hint="Shown in the version history."
        >
          <Input id="guidelines-change-note" {...form.register("changeNote")} />
        </Field>
      )}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {target.kind === "guidelines" ? `Publish ${label} v${target.basedOnVersion + 1}` : `Save ${label}`}
        </Button>
        <Button type="button" variant="secondary" onClick={() => setPreview((p) => !p)}>
          {preview ? "Back to editing" : "Preview"}
        </Button>
        <Button type="button" variant="secondary" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
