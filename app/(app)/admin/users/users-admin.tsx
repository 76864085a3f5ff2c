"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { ROLES, type Role } from "@/server/authz/policy";
import { fieldErrors, FormError, useTRPC } from "../../../_components/trpc";
import { Badge, Button, Card, Field, Input, Table } from "../../../_components/ui";

interface User { id: string; email: string; name: string; roles: Role[]; disabled: boolean; passwordResetRequired: boolean; mfa: boolean }

export function UsersAdmin({ users, selfId }: { users: User[]; selfId: string | null }) {
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = { onSuccess: () => router.refresh() };
  const setRoles = useMutation(trpc.admin.setRoles.mutationOptions(refresh));
  const setDisabled = useMutation(trpc.admin.setDisabled.mutationOptions(refresh));
  const create = useMutation(trpc.admin.createUser.mutationOptions(refresh));
  const reset = useMutation(trpc.admin.forcePasswordReset.mutationOptions(refresh));
  const resetErrors = fieldErrors(reset.error);
  const errors = fieldErrors(create.error);
  return (
    <div className="space-y-6">
      <Card title="People">
        <FormError error={setRoles.error ?? setDisabled.error} />
        <FormError error={reset.error} fields={["temporaryPassword"]} />
        <Table label="Users">
          <thead><tr><th>Email</th><th>Name</th><th>Roles</th><th>Status</th><th /></tr></thead>
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
                            setRoles.mutate({ userId: u.id, roles: e.target.checked ? [...u.roles, r] : u.roles.filter((x) => x !== r) })
                          }
                        />
                        {r.replace("_", " ")}
                      </label>
                    ))}
                  </div>
                  {u.id === selfId && <p className="mt-1 text-xs text-slate-500">Your own roles: another admin must change them.</p>}
                </td>
                <td className="space-x-1">
                  {u.disabled ? <Badge tone="disabled">disabled</Badge> : <Badge tone="champion">active</Badge>}
                  {u.passwordResetRequired && <Badge>reset pending</Badge>}
                  {u.mfa && <Badge>two-step</Badge>}
                </td>
                <td className="space-y-2">
                  <Button variant={u.disabled ? "secondary" : "danger"} onClick={() => setDisabled.mutate({ userId: u.id, disabled: !u.disabled })}>
                    {u.disabled ? "Enable" : "Disable"}
                  </Button>
                  {u.id !== selfId && (
                    <details className="text-xs">
                      <summary className="cursor-pointer text-indigo-700">Force password reset</summary>
                      <form
                        className="mt-1 flex items-end gap-1"
                        onSubmit={(e) => {
                          e.preventDefault();
                          const form = e.currentTarget;
                          reset.mutate(
                            { userId: u.id, temporaryPassword: String(new FormData(form).get("temporaryPassword")) },
                            { onSuccess: () => form.reset() },
                          );
                        }}
                      >
                        <Input name="temporaryPassword" type="password" aria-label={`temporary password for ${u.email}`} placeholder="temporary password" required />
                        <Button type="submit" variant="secondary" disabled={reset.isPending}>Reset</Button>
                      </form>
                      {resetErrors.temporaryPassword?.map((m) => <p key={m} className="text-red-700">{m}</p>)}
                    </details>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card title="Add a person">
        <form
          className="grid max-w-2xl grid-cols-2 gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const form = e.currentTarget;
            create.mutate(
              { email: String(f.get("email")), name: String(f.get("name") ?? "") || undefined, password: String(f.get("password")), roles: f.getAll("roles") as Role[] },
              { onSuccess: () => form.reset() },
            );
          }}
        >
          <div className="col-span-2"><FormError error={create.error} /></div>
          <Field label="Email" htmlFor="new-email" error={errors.email}><Input id="new-email" name="email" type="email" required /></Field>
          <Field label="Name" htmlFor="new-name" error={errors.name}><Input id="new-name" name="name" /></Field>
          <Field label="Initial password" htmlFor="new-password" error={errors.password} hint="10 characters or more, at most 72 bytes"><Input id="new-password" name="password" type="password" required /></Field>
          <fieldset>
            <legend className="text-sm font-medium text-slate-700">Roles</legend>
            <div className="mt-1 flex flex-wrap gap-3">
              {ROLES.map((r) => <label key={r} className="flex items-center gap-1 text-xs"><input type="checkbox" name="roles" value={r} />{r.replace("_", " ")}</label>)}
            </div>
            {errors.roles?.map((m) => <p key={m} className="text-xs text-red-700">{m}</p>)}
          </fieldset>
          <div><Button type="submit" disabled={create.isPending}>Add person</Button></div>
        </form>
      </Card>
    </div>
  );
}
