"use client";
import { useActionState } from "react";
import { Button, Field, Input } from "../_components/ui";
import { signInAction } from "./actions";

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(signInAction, null);
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="next" value={next} />
      <Field label="Email" htmlFor="email">
        <Input id="email" name="email" type="email" autoComplete="username" required autoFocus />
      </Field>
      <Field label="Password" htmlFor="password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      {state?.error && <p role="status" data-testid="signin-error" className="text-sm text-red-700">{state.error}</p>}
      <Button type="submit" disabled={pending} className="w-full justify-center">{pending ? "Signing in…" : "Sign in"}</Button>
    </form>
  );
}
