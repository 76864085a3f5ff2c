"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { changePasswordInput } from "@/server/domain/account/schemas";
import { FormBanner, reasons, useServerRefusal } from "../form";
import { useTRPC } from "../trpc";
import { Button, Field, Input } from "../ui";

/** Change one's own password. Success ends every session, this one included, so it goes to sign-in. */
export function PasswordForm() {
  const trpc = useTRPC();
  const form = useForm({
    resolver: zodResolver(changePasswordInput),
    mode: "onChange",
    defaultValues: { currentPassword: "", newPassword: "" },
  });
  const refusal = useServerRefusal(form.setError, ["currentPassword", "newPassword"]);
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      // A full page load on purpose: every session just ended, so no client state may outlive it.
      // eslint-disable-next-line @next/next/no-location-assign-relative-destination
      onSuccess: () => window.location.assign("/signin?changed=1"),
      onError: refusal.onError,
    }),
  );
  const { errors } = form.formState;
  return (
    <form
      className="grid max-w-md gap-4"
      noValidate
      onSubmit={form.handleSubmit((input) => {
        refusal.reset();
        change.mutate(input);
      })}
    >
      <FormBanner message={refusal.banner} />
      <Field label="Current password" htmlFor="currentPassword" error={reasons(errors.currentPassword)}>
        <Input
          id="currentPassword"
          type="password"
          autoComplete="current-password"
          aria-invalid={Boolean(errors.currentPassword)}
          {...form.register("currentPassword")}
        />
      </Field>
      <Field
        label="New password"
        htmlFor="newPassword"
        error={reasons(errors.newPassword)}
        hint="10 characters or more, at most 72 bytes"
      >
        <Input
          id="newPassword"
          type="password"
          autoComplete="new-password"
          aria-invalid={Boolean(errors.newPassword)}
          {...form.register("newPassword")}
        />
      </Field>
      <div>
        <Button type="submit" disabled={change.isPending}>
          Change password
        </Button>
      </div>
    </form>
  );
}
