"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldErrors, FormError, useTRPC, type RouterOutputs } from "../trpc";
import { Button, Field, Input } from "../ui";

type Status = RouterOutputs["account"]["mfaStatus"];

/**
 * Two-step sign-in with an authenticator app: scan (or type) the secret, confirm with a code, then keep
 * the ten recovery codes, shown only this once. `doneHref` is where "Continue" goes after enrolling.
 */
export function MfaSettings({ status, doneHref }: { status: Status; doneHref?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const begin = useMutation(trpc.account.beginMfa.mutationOptions());
  const confirm = useMutation(trpc.account.confirmMfa.mutationOptions());
  const disable = useMutation(trpc.account.disableMfa.mutationOptions({ onSuccess: () => router.refresh() }));
  const [code, setCode] = useState("");

  if (confirm.data) {
    return (
      <div className="space-y-3">
        <p className="text-sm font-medium text-emerald-800" data-testid="mfa-enabled">Two-step sign-in is on.</p>
        <p className="text-sm text-slate-700">
          Keep these recovery codes somewhere safe. Each one signs you in once if you lose your device; they are not shown again.
        </p>
        <ul data-testid="recovery-codes" className="grid max-w-md grid-cols-2 gap-1 font-mono text-sm">
          {confirm.data.recoveryCodes.map((c) => <li key={c}>{c}</li>)}
        </ul>
        <Button
          onClick={() => {
            if (doneHref) return window.location.assign(doneHref);
            // The codes are gone from the page for good; the refreshed status shows the factor as on.
            confirm.reset();
            begin.reset();
            router.refresh();
          }}
        >
          I have saved them, continue
        </Button>
      </div>
    );
  }

  if (status.enabledAt) {
    const errors = fieldErrors(disable.error);
    return (
      <div className="space-y-3 text-sm">
        <p data-testid="mfa-status">
          Two-step sign-in is on since {new Date(status.enabledAt).toLocaleDateString()}. Recovery codes left: {status.recoveryCodesLeft}.
        </p>
        {status.required ? (
          <p className="text-slate-600">Your role requires it, so it cannot be turned off.</p>
        ) : (
          <form
            className="flex max-w-md items-end gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              disable.mutate({ password: String(new FormData(e.currentTarget).get("password")) });
            }}
          >
            <Field label="Password, to turn it off" htmlFor="mfa-off-password" error={errors.password}>
              <Input id="mfa-off-password" name="password" type="password" autoComplete="current-password" required />
            </Field>
            <Button variant="danger" type="submit" disabled={disable.isPending}>Turn off</Button>
          </form>
        )}
      </div>
    );
  }

  if (!begin.data) {
    return (
      <div className="space-y-3 text-sm">
        <p>
          {status.required ? "Your role requires two-step sign-in. " : ""}
          Protect your account with a code from an authenticator app (any TOTP app) at every sign-in.
        </p>
        <FormError error={begin.error} />
        <Button onClick={() => begin.mutate()} disabled={begin.isPending}>Set up two-step sign-in</Button>
      </div>
    );
  }

  const errors = fieldErrors(confirm.error);
  return (
    <div className="space-y-4 text-sm">
      <p>Scan this code with your authenticator app, or type the secret into it:</p>
      <img src={begin.data.qrDataUrl} alt="QR code for your authenticator app" width={200} height={200} />
      <p>
        Secret: <code data-testid="mfa-secret" className="select-all rounded bg-slate-100 px-1.5 py-0.5 font-mono">{begin.data.secret}</code>
      </p>
      <form
        className="flex max-w-md items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          confirm.mutate({ code });
        }}
      >
        <Field label="Code from the app" htmlFor="mfa-code" error={errors.code}>
          <Input id="mfa-code" name="code" inputMode="numeric" autoComplete="one-time-code" required value={code} onChange={(e) => setCode(e.target.value)} />
        </Field>
        <Button type="submit" disabled={confirm.isPending}>Turn on</Button>
      </form>
      <FormError error={confirm.error} fields={["code"]} />
    </div>
  );
}
