"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import { ROLES, type Role } from "@/server/authz/policy";
import { createUserInput, forcePasswordResetInput } from "@/server/domain/admin/schemas";
import { CheckboxGroup, FormBanner, reasons, useServerRefusal } from "../../../_components/form";
import { FormError, useTRPC } from "../../../_components/trpc";
import { Badge, Button, Card, Field, Input, Table } from "../../../_components/ui";

interface User {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  disabled: boolean;
  passwordResetRequired: boolean;
  mfa: boolean;
}

export function UsersAdmin({ users, selfId }: { users: User[]; selfId: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = { onSuccess: () => router.refresh() };
  const setRoles = useMutation(trpc.admin.setRoles.mutationOptions(refresh));
  const setDisabled = useMutation(trpc.admin.setDisabled.mutationOptions(refresh));
  return (
    <div className="space-y-6">
      <Card title="People">
        {/* A refusal such as disabling yourself names no field on this page: it is said in full. */}
        <FormError error={setRoles.error ?? setDisabled.error} />
        <Table label="Users">
          <thead>
            <tr>
              <th>Email</th>
              <th>Name</th>
              <th>Roles</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} data-testid={`user-${u.email}`}>
                <td className="font-medium">{u.email}</td>
                <td>{u.name}</td>
                <td>
                  <div className="flex flex-wrap gap-3">
                    {ROLES.map((r) => (
                      <label key={r} className="flex items-center gap-1 text-xs">
                        <input
                          type="checkbox"
                          checked={u.roles.includes(r)}
                          aria-label={`${u.email} ${r}`}
                          // Nobody changes their own roles (the server refuses it too): another admin must.
                          disabled={u.id === selfId}
                          onChange={(e) =>
                            setRoles.mutate({
                              userId: u.id,
                              roles: e.target.checked ? [...u.roles, r] : u.roles.filter((x) => x !== r),
                            })
                          }
                        />
                        {r.replace("_", " ")}
                      </label>
                    ))}
                  </div>
                  {u.id === selfId && (
                    <p className="mt-1 text-xs text-slate-500">Your own roles: another admin must change them.</p>
                  )}
                </td>
                <td className="space-x-1">
                  {u.disabled ? <Badge tone="disabled">disabled</Badge> : <Badge tone="champion">active</Badge>}
                  {u.passwordResetRequired && <Badge>reset pending</Badge>}
                  {u.mfa && <Badge>two-step</Badge>}
                </td>
                <td className="space-y-2">
                  <Button
                    variant={u.disabled ? "secondary" : "danger"}
                    onClick={() => setDisabled.mutate({ userId: u.id, disabled: !u.disabled })}
                  >
                    {u.disabled ? "Enable" : "Disable"}
                  </Button>
                  {u.id !== selfId && (
                    <details className="text-xs">
                      <summary className="cursor-pointer text-indigo-700">Force password reset</summary>
                      <ForcePasswordResetForm userId={u.id} email={u.email} onDone={() => router.refresh()} />
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card title="Add a person">
        <AddPersonForm onCreated={() => router.refresh()} />
      </Card>
    </div>
  );
}

const resetSchema = forcePasswordResetInput.pick({ temporaryPassword: true });

function ForcePasswordResetForm({ userId, email, onDone }: { userId: string; email: string; onDone: () => void }) {
  const trpc = useTRPC();
  const form = useForm({
    resolver: zodResolver(resetSchema),
    mode: "onChange",
    defaultValues: { temporaryPassword: "" },
  });
  const refusal = useServerRefusal(form.setError, ["temporaryPassword"]);
  const reset = useMutation(
    trpc.admin.forcePasswordReset.mutationOptions({
      onSuccess: () => {
        form.reset();
        onDone();
      },
      onError: refusal.onError,
    }),
  );
  const error = form.formState.errors.temporaryPassword;
  return (
    <>
      <form
        className="mt-1 flex items-end gap-1"
        noValidate
        onSubmit={form.handleSubmit(({ temporaryPassword }) => {
          refusal.reset();
          reset.mutate({ userId, temporaryPassword });
        })}
      >
        <Input
          type="password"
          aria-label={`temporary password for ${email}`}
          placeholder="temporary password"
          aria-invalid={Boolean(error)}
          {...form.register("temporaryPassword")}
        />
        <Button type="submit" variant="secondary" disabled={reset.isPending}>
          Reset
        </Button>
      </form>
      {reasons(error)?.map((m) => (
        <p key={m} className="text-red-700">
          {m}
        </p>
      ))}
      <FormBanner message={refusal.banner} />
    </>
  );
}

const PERSON_FIELDS = ["email", "name", "password", "roles"] as const;

function AddPersonForm({ onCreated }: { onCreated: () => void }) {
  const trpc = useTRPC();
  const form = useForm({
    resolver: zodResolver(createUserInput),
    mode: "onChange",
    defaultValues: { email: "", name: undefined, password: "", roles: [] },
  });
  const refusal = useServerRefusal(form.setError, PERSON_FIELDS);
  const create = useMutation(
    trpc.admin.createUser.mutationOptions({
      onSuccess: () => {
        form.reset();
        onCreated();
      },
      onError: refusal.onError,
    }),
  );
  const { errors } = form.formState;
  return (
    <form
      className="grid max-w-2xl grid-cols-2 gap-4"
      noValidate
      onSubmit={form.handleSubmit((input) => {
        refusal.reset();
        create.mutate(input);
      })}
    >
      <div className="col-span-2">
        <FormBanner message={refusal.banner} />
      </div>
      <Field label="Email" htmlFor="new-email" error={reasons(errors.email)}>
        <Input id="new-email" type="email" aria-invalid={Boolean(errors.email)} {...form.register("email")} />
      </Field>
      <Field label="Name" htmlFor="new-name" error={reasons(errors.name)}>
        <Input
          id="new-name"
          aria-invalid={Boolean(errors.name)}
          {...form.register("name", { setValueAs: (v) => (v === "" ? undefined : v) })}
        />
      </Field>
      <Field
        label="Initial password"
        htmlFor="new-password"
        error={reasons(errors.password)}
        hint="10 characters or more, at most 72 bytes"
      >
        <Input
          id="new-password"
          type="password"
          aria-invalid={Boolean(errors.password)}
          {...form.register("password")}
        />
      </Field>
      <CheckboxGroup
        legend="Roles"
        name="roles"
        options={ROLES}
        registration={form.register("roles")}
        errors={reasons(errors.roles)}
        label={(r) => r.replace("_", " ")}
      />
      <div>
        <Button type="submit" disabled={create.isPending}>
          Add person
        </Button>
      </div>
    </form>
  );
}
