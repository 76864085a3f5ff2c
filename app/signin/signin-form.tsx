"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { startTransition, useActionState } from "react";
import { useForm } from "react-hook-form";
import { signInInput } from "@/server/auth/schemas";
import { reasons } from "../_components/form";
import { Button, Field, Input } from "../_components/ui";
import { signInAction } from "./actions";

export function SignInForm({ next }: { next: string }) {
  const [state, action, pending] = useActionState(signInAction, null);
  // The form keeps its values, so email and password survive a wrong password and the second step's code.
  const form = useForm({
    resolver: zodResolver(signInInput),
    mode: "onTouched",
    defaultValues: { email: "", password: "", code: "" },
  });
  const { errors } = form.formState;
  return (
    <form
      className="space-y-4"
      noValidate
      onSubmit={form.handleSubmit((values) => startTransition(() => action({ ...values, next })))}
    >
      <Field label="Email" htmlFor="email" error={reasons(errors.email)}>
        <Input
          id="email"
          type="email"
          autoComplete="username"
          autoFocus
          aria-invalid={Boolean(errors.email)}
          {...form.register("email")}
        />
      </Field>
      <Field label="Password" htmlFor="password" error={reasons(errors.password)}>
        <Input
          id="password"
          type="password"
          autoComplete="current-password"
          aria-invalid={Boolean(errors.password)}
          {...form.register("password")}
        />
      </Field>
      {state?.needsCode && (
        <Field
          label="Authentication code"
          htmlFor="code"
          error={reasons(errors.code)}
          hint="The 6-digit code from your authenticator app, or one of your recovery codes."
        >
          <Input
            id="code"
            autoComplete="one-time-code"
            inputMode="text"
            autoFocus
            aria-invalid={Boolean(errors.code)}
            {...form.register("code")}
          />
        </Field>
      )}
      {state?.error && (
        <p role="status" data-testid="signin-error" className="text-sm text-red-700">
          {state.error}
        </p>
      )}
      <Button type="submit" disabled={pending} className="w-full justify-center">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
