import { describe, expect, it } from "vitest";
import { DataQualityCounter, uncheckedProblems } from "./data-quality";
import { parseJsonBatch, parseLenient, parseNdjsonBatch } from "./parse";
import { pgArray } from "./pg-array";

const declared = [
  { name: "age", kind: "numerical" as const, categories: null },
  { name: "plan", kind: "categorical" as const, categories: ["basic", "pro"] },
  { name: "city", kind: "categorical" as const, categories: null },
];

describe("data-quality counter", () => {
  it("counts each kind of problem per feature and keeps every row", () => {
    const c = new DataQualityCounter(declared);
    c.check({ age: 30, plan: "pro", city: "Oslo" }); // clean
    c.check({ age: "30", plan: "enterprise", city: "Oslo" }); // wrong type, new category
    c.check({ plan: "basic", city: null, extra: 1 }); // age missing, city null, extra
    c.check({ age: Infinity, plan: 3, city: "anything" }); // non-finite; a number as a category is compared as text
    expect(c.rows).toBe(4);
    expect(c.rowsWithProblems).toBe(3);
    expect(c.counts.wrongType).toEqual({ total: 1, byFeature: { age: 1 } });
    expect(c.counts.newCategory).toEqual({ total: 2, byFeature: { plan: 2 } });
    expect(c.counts.missingFeature).toEqual({ total: 2, byFeature: { age: 1, city: 1 } });
    expect(c.counts.extraFeature).toEqual({ total: 1, byFeature: { extra: 1 } });
    expect(c.counts.nonFinite).toEqual({ total: 1, byFeature: { age: 1 } });
  });

  it("replaces non-finite values (and NaN markers) by null in what is stored, leaving clean rows untouched", () => {
    const c = new DataQualityCounter(null);
    const clean = { a: 1 };
    expect(c.check(clean)).toBe(clean);
    const { value } = parseLenient('{"a":NaN,"b":-Infinity,"c":"NaN"}');
    expect(c.check(value as Record<string, unknown>)).toEqual({ a: null, b: null, c: "NaN" });
    expect(c.counts.nonFinite.total).toBe(2);
  });

  it("says which checks need declared features or known categories", () => {
    expect(uncheckedProblems(null)).toEqual(["missingFeature", "extraFeature", "wrongType", "newCategory"]);
    expect(uncheckedProblems([declared[0]!])).toEqual(["newCategory"]);
    expect(uncheckedProblems(declared)).toEqual([]);
  });
});

describe("batch parsing", () => {
  const line = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      model: "m",
      version: 1,
      id: "r",
      time: "2026-11-30T10:00:00Z",
      features: {},
      prediction: 1,
      ...extra,
    });

  it("leaves NaN inside strings alone and still refuses text that is not JSON", () => {
    expect(parseLenient('{"s":"NaN and Infinity","n":NaN}').sawNonFinite).toBe(true);
    expect(() => parseLenient('{"s":"x"')).toThrow();
    expect(() => parseLenient("{NaN}")).toThrow();
  });

  it("numbers NDJSON lines as an editor does, counting blank lines", () => {
    const batch = parseNdjsonBatch(`${line()}\r\n\n${line({ arm: "shadow" })}\n`);
    expect(batch.rows.map((r) => r.arm)).toEqual(["champion", "shadow"]);
    expect(batch.rowName(1)).toBe("line 3");
    expect(() => parseNdjsonBatch("\n\n")).toThrow(/empty/);
  });

  it("refuses a JSON body that is not {predictions:[…]}", () => {
    expect(() => parseJsonBatch("[]")).toThrow(/predictions/);
    expect(() => parseJsonBatch(`{"predictions":[${line()}],"extra":1}`)).toThrow(/extra/);
    expect(() => parseJsonBatch('{"predictions":[]}')).toThrow(/at least one/);
  });
});

describe("pgArray", () => {
  it("quotes and escapes text, writes NULL for null", () => {
    expect(pgArray(['a"b', "c\\d", null, "{x,y}", 1.5])).toBe('{"a\\"b","c\\\\d",NULL,"{x,y}",1.5}');
    expect(pgArray([])).toBe("{}");
  });
});
