"use client";
import { parseAsString, useQueryState } from "nuqs";
import { useState, type ReactNode } from "react";
import { Badge, Button, Input, Select } from "./ui";

/**
 * Filter controls for the data tables, each bound to one URL search parameter through nuqs. A change
 * re-renders the page on the server (`shallow: false`) and returns to page 1, so the filtered view is the
 * URL itself: it can be shared and survives a reload.
 */
function useFilter(key: string) {
  const [value, setValue] = useQueryState(key, parseAsString.withOptions({ shallow: false }));
  const [, setPage] = useQueryState("page", parseAsString.withOptions({ shallow: false }));
  const set = (next: string | null) => {
    void setPage(null);
    void setValue(next === "" ? null : next);
  };
  return [value, set] as const;
}

export function FilterBar({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div role="group" aria-label={label} className="mb-4 flex flex-wrap items-end gap-3">
      {children}
    </div>
  );
}

/** Free text, applied on Enter or with the button (not on every keystroke: each change is a server render). */
export function SearchFilter({ param, label, placeholder }: { param: string; label: string; placeholder?: string }) {
  const [value, setValue] = useFilter(param);
  const [draft, setDraft] = useState(value ?? "");
  return (
    <form
      role="search"
      className="flex gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        setValue(draft.trim());
      }}
    >
      <Input
        value={draft}
        onChange={(e) => setDraft(e.target.value)}
        placeholder={placeholder}
        aria-label={label}
        className="w-72"
      />
      <Button type="submit" variant="secondary">
        Search
      </Button>
    </form>
  );
}

/** One value out of a few; the empty option removes the filter. */
export function SelectFilter({
  param,
  label,
  options,
  anyLabel = "any",
}: {
  param: string;
  label: string;
  options: { value: string; label: string }[];
  anyLabel?: string;
}) {
  const [value, setValue] = useFilter(param);
  const known = options.some((o) => o.value === value);
  return (
    <label className="flex flex-col gap-1 text-xs font-medium text-slate-600">
      {label}
      <Select value={known ? (value ?? "") : ""} onChange={(e) => setValue(e.target.value)} aria-label={label}>
        <option value="">{anyLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </label>
  );
}

/** An on/off filter stored as `param=onValue`; absent means off. */
export function ToggleFilter({ param, label, onValue = "1" }: { param: string; label: string; onValue?: string }) {
  const [value, setValue] = useFilter(param);
  return (
    <label className="flex items-center gap-2 text-sm">
      <input
        type="checkbox"
        checked={value === onValue}
        onChange={(e) => setValue(e.target.checked ? onValue : null)}
      />
      {label}
    </label>
  );
}

/** Tags as badges; each one filters the list by itself when clicked. */
export function TagBadges({ tags, param = "tag" }: { tags: readonly string[]; param?: string }) {
  const [, setValue] = useFilter(param);
  if (tags.length === 0) return null;
  return (
    <span className="flex flex-wrap gap-1">
      {tags.map((t) => (
        <button key={t} type="button" onClick={() => setValue(t)} title={`Show only “${t}”`} data-testid={`tag-${t}`}>
          <Badge tone="tag">{t}</Badge>
        </button>
      ))}
    </span>
  );
}
