"use client";
import { useMutation } from "@tanstack/react-query";
import { fieldErrors, FormError, useTRPC } from "../trpc";
import { Button, Field, Input } from "../ui";

/** Change one's own password. Success ends every session, this one included, so it goes to sign-in. */
export function PasswordForm() {
  const trpc = useTRPC();
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({ onSuccess: () => window.location.assign("/signin?changed=1") }),
  );
  const errors = fieldErrors(change.error);
  return (
    <form
      className="grid max-w-md gap-4"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        change.mutate({ currentPassword: String(f.get("currentPassword")), newPassword: String(f.get("newPassword")) });
      }}
    >
      <FormError error={change.error} fields={["currentPassword", "newPassword"]} />
      <Field label="Current password" htmlFor="currentPassword" error={errors.currentPassword}>
        <Input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required />
      </Field>
      <Field label="New password" htmlFor="newPassword" error={errors.newPassword} hint="10 characters or more, at most 72 bytes">
        <Input id="newPassword" name="newPassword" type="password" autoComplete="new-password" required />
      </Field>
      <div><Button type="submit" disabled={change.isPending}>Change password</Button></div>
    </form>
  );
}
