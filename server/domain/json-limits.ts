import { z } from "zod";

/**
 * Free-form JSON (a version's config and hyper-parameters) is stored, diffed and shown on pages: a
 * deeply nested or huge document would make each of those slow or blow the stack. Configs of real
 * models are far inside these bounds.
 */
export const MAX_JSON_DEPTH = 32;
export const MAX_JSON_BYTES = 256 * 1024;

/** True when nesting goes deeper than `max`; stops descending there, so it never recurses further. */
function deeperThan(value: unknown, max: number, depth = 1): boolean {
  if (value === null || typeof value !== "object") return false;
  if (depth > max) return true;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    if (deeperThan(child, max, depth + 1)) return true;
  }
  return false;
}

/**
 * The path of the first number that is not finite. `JSON.parse("1e309")` gives Infinity, which
 * JSON.stringify would then store as null without a word: such a value is refused, never changed.
 */
export function nonFinitePath(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === "number") return Number.isFinite(value) ? null : path;
  if (value === null || typeof value !== "object") return null;
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : Object.entries(value);
  for (const [key, child] of entries) {
    const found = nonFinitePath(child, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** A JSON object bounded in nesting depth and serialized size, holding only finite numbers. */
export const boundedJsonObject = () =>
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    if (deeperThan(value, MAX_JSON_DEPTH)) {
      ctx.addIssue({ code: "custom", message: `is nested more than ${MAX_JSON_DEPTH} levels deep` });
      return;
    }
    const nonFinite = nonFinitePath(value);
    if (nonFinite) {
      ctx.addIssue({
        code: "custom",
        path: nonFinite,
        message: "must be a finite number (NaN, Infinity and numbers beyond ±1.8e308 cannot be stored as JSON)",
      });
      return;
    }
    // TextEncoder, not Buffer: forms in the browser validate with this schema too.
    const bytes = new TextEncoder().encode(JSON.stringify(value)).length;
    if (bytes > MAX_JSON_BYTES)
      ctx.addIssue({
        code: "custom",
        message: `is ${Math.ceil(bytes / 1024)} KB as JSON; at most ${MAX_JSON_BYTES / 1024} KB`,
      });
  });
