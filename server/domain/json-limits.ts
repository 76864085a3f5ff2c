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

/** A JSON object bounded in nesting depth and serialized size. */
export const boundedJsonObject = () =>
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    if (deeperThan(value, MAX_JSON_DEPTH)) {
      ctx.addIssue({ code: "custom", message: `is nested more than ${MAX_JSON_DEPTH} levels deep` });
      return;
    }
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > MAX_JSON_BYTES) ctx.addIssue({ code: "custom", message: `is ${Math.ceil(bytes / 1024)} KB as JSON; at most ${MAX_JSON_BYTES / 1024} KB` });
  });
