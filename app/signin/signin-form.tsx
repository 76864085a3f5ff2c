"use client";
import { useActionState, useState } from "react";
import { Button, Field, Input } from "../_components/ui";
import { signInAction } from "./actions";

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(signInAction, null);
  // Controlled, so email and password survive the round trip when the second step asks for a code.
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  return (
    <form action={action} className="space-y-4">
      <input type="hidden" name="next" value={next} />
      <Field label="Email" htmlFor="email">
        <Input id="email" name="email" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <Field label="Password" htmlFor="password">
        <Input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      {state?.needsCode && (
        <Field label="Authentication code" htmlFor="code" hint="The 6-digit code from your authenticator app, or one of your recovery codes.">
          <Input id="code" name="code" autoComplete="one-time-code" inputMode="text" required autoFocus />
        </Field>
      )}
      {state?.error && <p role="status" data-testid="signin-error" className="text-sm text-red-700">{state.error}</p>}
      <Button type="submit" disabled={pending} className="w-full justify-center">{pending ? "Signing in…" : "Sign in"}</Button>
    </form>
  );
}
