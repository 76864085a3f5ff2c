import { can, type Permission, type Principal } from "@/server/authz/policy";

/** The sidebar, derived from the same policy the server enforces: a person sees only what they may open. */
const NAV: { href: string; label: string; permission: Permission }[] = [
  { href: "/", label: "Overview", permission: "registry:read" },
  { href: "/models", label: "Models", permission: "registry:read" },
  { href: "/releases", label: "Releases", permission: "registry:read" },
  { href: "/alerts", label: "Alerts", permission: "registry:read" },
  { href: "/datasets", label: "Datasets", permission: "registry:read" },
  { href: "/review", label: "Review", permission: "feedback:label" },
  { href: "/review/adjudicate", label: "Adjudication", permission: "feedback:adjudicate" },
  { href: "/review/policy", label: "Review policy", permission: "feedback:policy" },
  { href: "/audit", label: "Audit log", permission: "audit:read" },
  { href: "/admin/users", label: "Users", permission: "users:manage" },
  { href: "/admin/keys", label: "API keys", permission: "keys:manage" },
  { href: "/admin/webhooks", label: "Webhooks", permission: "webhooks:manage" },
];

export function navigationFor(principal: Principal) {
  return NAV.filter((item) => can(principal, item.permission)).map(({ href, label }) => ({ href, label }));
}
