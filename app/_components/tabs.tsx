"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

/** Section tabs under a page title; the current one is marked for screen readers too. */
export function Tabs({ items }: { items: { href: string; label: string; exact?: boolean }[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Sections" className="mb-6 flex gap-1 border-b border-slate-200">
      {items.map((t) => {
        const active = t.exact ? pathname === t.href : pathname === t.href || pathname.startsWith(`${t.href}/`);
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm hover:no-underline ${active ? "border-indigo-600 font-medium text-indigo-800" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
