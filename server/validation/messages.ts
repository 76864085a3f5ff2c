import { z } from "zod";

/**
 * One error map for every schema: reasons in plain language, as a person reads them beside a field
 * ("at most 200 characters"), instead of zod's developer wording ("Too big: expected string to have
 * <=200 characters"). A message written on the schema itself (`.min(1, "give it a name")`) still wins.
 */
type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

const plural = (n: number | bigint, one: string, many = `${one}s`) => `${n} ${n === 1 || n === 1n ? one : many}`;
const units: Record<string, [string, string?]> = {
  string: ["character"],
  array: ["item"],
  set: ["item"],
  file: ["byte"],
};

const FORMATS: Record<string, string> = {
  email: "an email address",
  url: "a URL (https://…)",
  uuid: "an id (UUID)",
  guid: "an id (UUID)",
  datetime: "a date and time (ISO 8601, e.g. 2026-11-30T10:00:00Z)",
  date: "a date (YYYY-MM-DD)",
  time: "a time (HH:MM:SS)",
  ipv4: "an IPv4 address",
  ipv6: "an IPv6 address",
};

const TYPES: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "an object",
  date: "a date",
  bigint: "a whole number",
};

function limit(
  origin: string,
  bound: number | bigint,
  word: "at most" | "at least" | "less than" | "more than" | "exactly",
) {
  const unit = units[origin];
  if (unit) return `${word} ${plural(bound, unit[0], unit[1])}`;
  if (origin === "date")
    return `${word === "at most" || word === "less than" ? "on or before" : "on or after"} ${new Date(Number(bound)).toISOString()}`;
  return `${word} ${bound}`;
}

export function plainMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return "required";
      // A form's empty number field reads as NaN (JSON cannot carry NaN): it was left empty, not mistyped.
      if (typeof issue.input === "number" && Number.isNaN(issue.input)) return "required";
      if (typeof issue.input === "number" && !Number.isFinite(issue.input)) return "must be a finite number";
      return `must be ${TYPES[issue.expected] ?? issue.expected}`;
    }
    case "too_big": {
      const origin = String(issue.origin);
      if (issue.exact) return limit(origin, issue.maximum, "exactly");
      return limit(origin, issue.maximum, issue.inclusive === false ? "less than" : "at most");
    }
    case "too_small": {
      const origin = String(issue.origin);
      if (origin === "string" && Number(issue.minimum) === 1) return "required";
      if ((origin === "array" || origin === "set") && Number(issue.minimum) === 1) return "give at least one";
      if (issue.exact) return limit(origin, issue.minimum, "exactly");
      return limit(origin, issue.minimum, issue.inclusive === false ? "more than" : "at least");
    }
    case "invalid_format": {
      if (issue.format === "regex") return "has the wrong format";
      if (issue.format === "starts_with") return `must start with "${(issue as { prefix?: string }).prefix ?? ""}"`;
      const what = FORMATS[issue.format];
      return what ? `must be ${what}` : `must be a valid ${issue.format}`;
    }
    case "invalid_value":
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of: ${issue.values.map(String).join(", ")}`;
    case "not_multiple_of":
      return `must be a multiple of ${issue.divisor}`;
    case "unrecognized_keys":
      return `unknown ${issue.keys.length === 1 ? "field" : "fields"}: ${issue.keys.join(", ")}`;
    case "invalid_union":
      return "does not match any of the accepted shapes";
    case "invalid_key":
      return "has an invalid key";
    case "invalid_element":
      return "has an invalid entry";
    default:
      return undefined;
  }
}

let installed = false;
/** Installs the error map on zod (idempotent). Entry points (tRPC, the HTTP API, the CLI, forms) call it. */
export function installPlainMessages(): void {
  if (installed) return;
  installed = true;
  z.config({ customError: plainMessage });
}

installPlainMessages();

/** "field: reason; field: reason" for one-line messages (API `message`, the CLI). */
export function summarizeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; ");
}
