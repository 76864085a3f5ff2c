import { describe, expect, it } from "vitest";
import { z } from "zod";
import { summarizeIssues } from "./messages";

const reasons = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error("expected a refusal");
  return r.error.issues.map((i) => i.message);
};

describe("plain-language validation messages", () => {
  it("says limits the way a person reads them", () => {
    expect(reasons(z.string().max(200), "x".repeat(201))).toEqual(["at most 200 characters"]);
    expect(reasons(z.string().min(8), "short")).toEqual(["at least 8 characters"]);
    expect(reasons(z.string().min(1), "")).toEqual(["required"]);
    expect(reasons(z.array(z.string()).max(2), ["a", "b", "c"])).toEqual(["at most 2 items"]);
    expect(reasons(z.number().int().max(2_147_483_647), 3_000_000_000)).toEqual(["at most 2147483647"]);
    expect(reasons(z.number().positive(), 0)).toEqual(["more than 0"]);
  });
  it("names types, formats and choices without developer jargon", () => {
    expect(reasons(z.object({ a: z.number() }), {})).toEqual(["required"]);
    expect(reasons(z.number(), Infinity)).toEqual(["must be a finite number"]);
    // A form's empty number field arrives as NaN: it is missing, not a wrong number (and never 0).
    expect(reasons(z.number(), NaN)).toEqual(["required"]);
    expect(reasons(z.number(), "12")).toEqual(["must be a number"]);
    expect(reasons(z.email(), "nope")).toEqual(["must be an email address"]);
    expect(reasons(z.enum(["full", "canary", "shadow"]), "all")).toEqual(["must be one of: full, canary, shadow"]);
    expect(reasons(z.strictObject({ a: z.string() }), { a: "x", b: 1 })).toEqual(["unknown field: b"]);
    for (const m of [...reasons(z.number(), Infinity), ...reasons(z.string().max(3), "long")]) {
      expect(m).not.toMatch(/✖|Invalid input|expected|Too big|Too small/);
    }
  });
  it("keeps a message written on the schema", () => {
    expect(reasons(z.string().min(1, "give the model a name"), "")).toEqual(["give the model a name"]);
  });
  it("summarizes issues on one line, naming each field", () => {
    const r = z.object({ name: z.string().max(3), n: z.number() }).safeParse({ name: "long", n: "x" });
    expect(summarizeIssues(r.error!)).toBe("name: at most 3 characters; n: must be a number");
  });
});
