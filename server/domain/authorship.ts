import { sql } from "drizzle-orm";
import { apiKeys, users } from "@/db/schema";

/**
 * Who made a row, for display: the person's email, or `key:NAME on behalf of OWNER` for an API key, so a
 * reader sees whose four eyes the key's work counts against. Expects `users` and `api_keys` joined on the
 * row's author columns.
 */
export const authorLabel = sql<string>`coalesce(${users.email}, 'key:' || ${apiKeys.name} || coalesce(' on behalf of ' || (select o.email from users o where o.id = ${apiKeys.ownerUserId}), ''))`;
