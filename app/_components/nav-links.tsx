"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

export interface NavItem {
  href: string;
  label: string;
  /** A number beside the label (unresolved alerts), with words for screen readers. */
  count?: { value: number; critical: boolean; label: string };
}

export function NavLinks({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="space-y-0.5">
      {items.map((item) => {
        const active = pathname === item.href || (item.href !== "/" && pathname.startsWith(`${item.href}/`));
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={`flex items-center justify-between rounded-md px-2 py-1.5 text-sm hover:no-underline ${active ? "bg-indigo-50 font-medium text-indigo-800" : "text-slate-700 hover:bg-slate-100"}`}
          >
            {item.label}
            {item.count && (
              <span
                data-testid="nav-alert-count"
                title={item.count.label}
                className={`rounded-full px-1.5 text-xs font-medium ${item.count.critical ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-900"}`}
              >
                {item.count.value}
                <span className="sr-only"> unresolved</span>
              </span>
            )}
          </Link>
        );
      })}
    </nav>
  );
}
