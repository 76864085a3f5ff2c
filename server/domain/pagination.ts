import { z } from "zod";

/**
 * Offset pagination for lists that grow without bound. The limit is capped, so no request can ask for
 * the whole table; one row more than the limit is read to tell whether a next page exists.
 */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

export const pageParams = z.object({
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});
export type PageParams = z.output<typeof pageParams>;

export interface PageInfo {
  offset: number;
  limit: number;
  hasMore: boolean;
}

/** `rows` was read with `.limit(limit + 1).offset(offset)`. */
export function pageOf<T>(rows: T[], { offset, limit }: PageParams): { items: T[]; page: PageInfo } {
  return { items: rows.slice(0, limit), page: { offset, limit, hasMore: rows.length > limit } };
}
