"use client";
import Link from "next/link";
import { useTransition } from "react";
import { DropdownMenu, DropdownMenuItem, DropdownMenuLabel, DropdownMenuSeparator } from "./ui/dropdown-menu";

/**
 * The signed-in person (always visible, so people know whose session this is) opening a menu with their
 * account page and signing out. `signOut` is a server action passed in by the layout.
 */
export function UserMenu({ email, roles, signOut }: { email: string; roles: string; signOut: () => Promise<void> }) {
  const [pending, start] = useTransition();
  return (
    <DropdownMenu
      label="Your account"
      trigger={
        <button
          type="button"
          data-testid="user-menu"
          className="w-full rounded-md px-2 py-1.5 text-left text-xs text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
        >
          <span data-testid="signed-in-as" className="block font-medium text-slate-800">
            {email}
          </span>
          <span data-testid="roles" className="block">
            {roles}
          </span>
          <span className="sr-only">: account menu</span>
        </button>
      }
    >
      <DropdownMenuLabel>Signed in as {email}</DropdownMenuLabel>
      <DropdownMenuItem asChild>
        <Link href="/account">Account and security</Link>
      </DropdownMenuItem>
      <DropdownMenuSeparator />
      <DropdownMenuItem disabled={pending} onSelect={() => start(() => signOut())}>
        Sign out
      </DropdownMenuItem>
    </DropdownMenu>
  );
}
