"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";

/**
 * "Differences only": the setting lives in the URL (shareable, and the server filters), so the switch
 * only navigates; it flips at once and the page follows.
 */
export function DifferencesSwitch({ on, onHref, offHref }: { on: boolean; onHref: string; offHref: string }) {
  const router = useRouter();
  const [checked, setChecked] = useState(on);
  const [pending, startTransition] = useTransition();
  return (
    <label className="inline-flex cursor-pointer items-center gap-2 text-sm font-medium text-slate-700">
      <input
        type="checkbox"
        role="switch"
        aria-checked={checked}
        checked={checked}
        onChange={(e) => {
          setChecked(e.target.checked);
          startTransition(() => router.push(e.target.checked ? onHref : offHref, { scroll: false }));
        }}
        className="h-4 w-4 accent-indigo-700"
      />
      Differences only
      {pending && (
        <span className="text-xs font-normal text-slate-500" role="status">
          updating…
        </span>
      )}
    </label>
  );
}
