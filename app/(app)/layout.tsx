import Link from "next/link";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { RETURN_PATH_HEADER, signInUrl } from "@/server/http/return-path";
import { signOut } from "@/server/auth";
import { navigationFor } from "@/server/navigation";
import { can } from "@/server/authz/policy";
import { unresolvedAlertCounts } from "@/server/domain/alerts/queries";
import { currentPrincipal, requestContext } from "@/server/request";
import { NavLinks } from "../_components/nav-links";
import { TrpcProvider } from "../_components/trpc";
import { UserMenu } from "../_components/user-menu";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const principal = await currentPrincipal();
  if (!principal || principal.kind !== "user") redirect(signInUrl((await headers()).get(RETURN_PATH_HEADER)));
  // A forced password reset or a required second factor comes before anything else.
  if (principal.pending) redirect("/setup");
  // The unresolved alerts over all models, beside "Alerts": red when one of them is critical.
  const alerts = can(principal, "registry:read") ? await unresolvedAlertCounts(await requestContext()) : null;
  const nav = navigationFor(principal).map((item) =>
    item.href === "/alerts" && alerts?.total
      ? { ...item, count: { value: alerts.total, critical: alerts.critical > 0, label: `${alerts.total} unresolved` } }
      : item,
  );
  return (
    <div className="flex min-h-screen">
      <aside className="w-56 shrink-0 border-r border-slate-200 bg-white px-3 py-4">
        <Link
          href="/models"
          className="mb-6 flex items-center gap-2 px-2 text-lg font-bold text-slate-900 hover:no-underline"
        >
          <span aria-hidden className="rounded bg-indigo-700 px-1.5 text-white">
            R
          </span>{" "}
          Ratchet
        </Link>
        <NavLinks items={nav} />
        <div className="mt-8 border-t border-slate-100 pt-4">
          <UserMenu
            email={principal.email}
            roles={principal.roles.join(", ").replaceAll("_", " ")}
            signOut={async () => {
              "use server";
              // A relative redirect: the address the person used, never one built from headers.
              await signOut({ redirect: false });
              redirect("/signin");
            }}
          />
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-8 py-6">
        <TrpcProvider>{children}</TrpcProvider>
      </main>
    </div>
  );
}
