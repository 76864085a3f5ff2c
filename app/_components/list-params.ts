import { parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs/server";

/**
 * URL state shared by every data table: which column sorts, which way, and which page. The pages read the
 * same parsers on the server (createLoader) that the tables write on the client, so the two never disagree.
 * Anything unparsable in a URL falls back to the default rather than failing the page.
 */
export const tableParams = {
  sort: parseAsString,
  dir: parseAsStringLiteral(["asc", "desc"] as const),
  page: parseAsInteger.withDefault(1),
};

/** A page number from the URL, kept in range so a hand-edited `?page=0` shows the first page. */
export const pageNumber = (page: number) => (Number.isInteger(page) && page >= 1 && page <= 1_000_000 ? page : 1);

/** A sort key from the URL, if the list knows it. */
export const sortKey = <K extends string>(keys: readonly K[], raw: string | null): K | undefined =>
  keys.find((k) => k === raw);
