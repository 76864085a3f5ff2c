"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { ROLES, type Role } from "@/server/authz/policy";
import { fieldErrors, FormError, useTRPC } from "../../../_components/trpc";
import { Badge, Button, Card, Field, Input, Table } from "../../../_components/ui";

interface User { id: string; email: string; name: string; roles: Role[]; disabled: boolean }

export function UsersAdmin({ users }: { users: User[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = { onSuccess: () => router.refresh() };
  const setRoles = useMutation(trpc.admin.setRoles.mutationOptions(refresh));
  const setDisabled = useMutation(trpc.admin.setDisabled.mutationOptions(refresh));
  const create = useMutation(trpc.admin.createUser.mutationOptions(refresh));
  const errors = fieldErrors(create.error);
  return (
    <div className="space-y-6">
      <Card title="People">
        <FormError error={setRoles.error ?? setDisabled.error} />
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
                          onChange={(e) =>
                            setRoles.mutate({ userId: u.id, roles: e.target.checked ? [...u.roles, r] : u.roles.filter((x) => x !== r) })
                          }
                        />
                        {r.replace("_", " ")}
                      </label>
                    ))}
                  </div>
                </td>
                <td>{u.disabled ? <Badge tone="disabled">disabled</Badge> : <Badge tone="champion">active</Badge>}</td>
                <td>
                  <Button variant={u.disabled ? "secondary" : "danger"} onClick={() => setDisabled.mutate({ userId: u.id, disabled: !u.disabled })}>
                    {u.disabled ? "Enable" : "Disable"}
                  </Button>
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
          <Field label="Initial password" htmlFor="new-password" error={errors.password} hint="at least 10 characters"><Input id="new-password" name="password" type="password" required /></Field>
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
