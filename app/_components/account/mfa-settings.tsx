"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { confirmMfaInput, disableMfaInput } from "@/server/domain/account/schemas";
import { FormBanner, reasons, useServerRefusal } from "../form";
import { FormError, useTRPC, type RouterOutputs } from "../trpc";
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

  if (confirm.data) {
    return (
      <div className="space-y-3">
        <p className="text-sm font-medium text-emerald-800" data-testid="mfa-enabled">
          Two-step sign-in is on.
        </p>
        <p className="text-sm text-slate-700">
          Keep these recovery codes somewhere safe. Each one signs you in once if you lose your device; they are not
          shown again.
        </p>
        <ul data-testid="recovery-codes" className="grid max-w-md grid-cols-2 gap-1 font-mono text-sm">
          {confirm.data.recoveryCodes.map((c) => (
            <li key={c}>{c}</li>
          ))}
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
    return (
      <div className="space-y-3 text-sm">
        <p data-testid="mfa-status">
          Two-step sign-in is on since {new Date(status.enabledAt).toLocaleDateString()}. Recovery codes left:{" "}
          {status.recoveryCodesLeft}.
        </p>
        {status.required ? (
          <p className="text-slate-600">Your role requires it, so it cannot be turned off.</p>
        ) : (
          <DisableMfaForm onDone={() => router.refresh()} />
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
        <Button onClick={() => begin.mutate()} disabled={begin.isPending}>
          Set up two-step sign-in
        </Button>
      </div>
    );
  }

  return (
    <div className="space-y-4 text-sm">
      <p>Scan this code with your authenticator app, or type the secret into it:</p>
      {/* A data: URL made on the server for this one enrollment: nothing for next/image to optimize or cache. */}
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img src={begin.data.qrDataUrl} alt="QR code for your authenticator app" width={200} height={200} />
      <p>
        Secret:{" "}
        <code data-testid="mfa-secret" className="rounded bg-slate-100 px-1.5 py-0.5 font-mono select-all">
          {begin.data.secret}
        </code>
      </p>
      <ConfirmMfaForm
        onConfirm={(code, onError) => confirm.mutate({ code }, { onError })}
        pending={confirm.isPending}
      />
    </div>
  );
}

function DisableMfaForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const form = useForm({ resolver: zodResolver(disableMfaInput), mode: "onChange", defaultValues: { password: "" } });
  const refusal = useServerRefusal(form.setError, ["password"]);
  const disable = useMutation(trpc.account.disableMfa.mutationOptions({ onSuccess: onDone, onError: refusal.onError }));
  const error = form.formState.errors.password;
  return (
    <form
      className="flex max-w-md flex-wrap items-end gap-2"
      noValidate
      onSubmit={form.handleSubmit((input) => {
        refusal.reset();
        disable.mutate(input);
      })}
    >
      <FormBanner message={refusal.banner} />
      <Field label="Password, to turn it off" htmlFor="mfa-off-password" error={reasons(error)}>
        <Input
          id="mfa-off-password"
          type="password"
          autoComplete="current-password"
          aria-invalid={Boolean(error)}
          {...form.register("password")}
        />
      </Field>
      <Button variant="danger" type="submit" disabled={disable.isPending}>
        Turn off
      </Button>
    </form>
  );
}

/** The code that proves the app holds the new secret; the parent keeps the result (the recovery codes). */
function ConfirmMfaForm({
  onConfirm,
  pending,
}: {
  onConfirm: (code: string, onError: (error: unknown) => void) => void;
  pending: boolean;
}) {
  const form = useForm({ resolver: zodResolver(confirmMfaInput), mode: "onChange", defaultValues: { code: "" } });
  const refusal = useServerRefusal(form.setError, ["code"]);
  const error = form.formState.errors.code;
  return (
    <form
      className="flex max-w-md flex-wrap items-end gap-2"
      noValidate
      onSubmit={form.handleSubmit(({ code }) => {
        refusal.reset();
        onConfirm(code, refusal.onError);
      })}
    >
      <Field label="Code from the app" htmlFor="mfa-code" error={reasons(error)}>
        <Input
          id="mfa-code"
          inputMode="numeric"
          autoComplete="one-time-code"
          aria-invalid={Boolean(error)}
          {...form.register("code")}
        />
      </Field>
      <Button type="submit" disabled={pending}>
        Turn on
      </Button>
      <FormBanner message={refusal.banner} />
    </form>
  );
}
