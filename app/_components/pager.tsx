import Link from "next/link";
import type { PageInfo } from "@/server/domain/pagination";

/**
 * "Previous / next" links for a paginated list, kept in the URL (`?offset=`) so a page can be linked and
 * reloaded. `param` names the offset's search parameter when a page shows more than one list.
 */
export function Pager({
  page,
  path,
  search = {},
  param = "offset",
  label,
}: {
  page: PageInfo;
  path: string;
  search?: Record<string, string | undefined>;
  param?: string;
  label: string;
}) {
  if (page.offset === 0 && !page.hasMore) return null;
  const href = (offset: number) => {
    const params = new URLSearchParams(
      Object.entries(search).filter((e): e is [string, string] => Boolean(e[1]) && e[0] !== param),
    );
    if (offset > 0) params.set(param, String(offset));
    const query = params.toString();
    return query ? `${path}?${query}` : path;
  };
  return (
    <nav aria-label={label} className="mt-3 flex gap-4 text-sm">
      {page.offset > 0 && <Link href={href(Math.max(0, page.offset - page.limit))}>← Previous</Link>}
      <span className="text-slate-500">
        {page.offset + 1}–{page.offset + page.limit}
        {page.hasMore ? "" : " (last page)"}
      </span>
      {page.hasMore && <Link href={href(page.offset + page.limit)}>Next →</Link>}
    </nav>
  );
}

/** Reads an offset from a search parameter; anything unusable is the first page. */
export const offsetParam = (raw: string | undefined) => {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 && n <= 1_000_000 ? n : 0;
};
