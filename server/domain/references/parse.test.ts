import { describe, expect, it } from "vitest";
import { InvalidInputError, PayloadTooLargeError } from "@/server/domain/errors";
import { parseReferenceCsv, parseReferenceJson } from "./parse";
import { profileSample } from "./profile";
import { featureKindEnum, predictionArmEnum } from "@/db/schema";
import { FEATURE_KINDS, PREDICTION_ARMS, REFERENCE_MAX_ROWS } from "./schemas";
import { storedRows } from "./stored-rows";

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof InvalidInputError)
      return { field: e.field, reason: e.reason, tooLarge: e instanceof PayloadTooLargeError };
    throw e;
  }
  throw new Error("expected a refusal");
};

describe("reading a reference sample", () => {
  it("reads CSV columns as features, with prediction and target apart, quoted fields and empty values", () => {
    const sample = parseReferenceCsv(
      'income,region,prediction,target\n52000,north,1,0\n,"south, coast",0,0\n61000.5,,1,1\n',
    );
    expect(sample.rows).toBe(3);
    expect(sample.features.map((f) => f.name)).toEqual(["income", "region"]);
    const rows = storedRows(sample, "binary_classification");
    expect(rows.features).toEqual([
      { income: 52000, region: "north" },
      { income: null, region: "south, coast" },
      { income: 61000.5, region: null },
    ]);
    expect(rows.predictionLabels).toEqual(["1", "0", "1"]);
    expect(rows.predictionNumbers).toEqual([null, null, null]);
    expect(rows.targets).toEqual(["0", "0", "1"]);
  });

  it("reads JSON as an array or {rows}, leaves out keys a row does not have, and keeps booleans", () => {
    const a = parseReferenceJson('[{"age":30,"member":true},{"age":41,"plan":"pro"}]');
    const b = parseReferenceJson('{"rows":[{"age":30,"member":true},{"age":41,"plan":"pro"}]}');
    for (const sample of [a, b]) {
      expect(sample.features.map((f) => f.name)).toEqual(["age", "member", "plan"]);
      expect(storedRows(sample, "regression").features).toEqual([
        { age: 30, member: true },
        { age: 41, plan: "pro" },
      ]);
    }
  });

  it("names the row and field of what cannot be stored", () => {
    expect(refusal(() => parseReferenceJson('[{"a":1},{"a":{"nested":1}}]'))).toMatchObject({ field: "rows[1].a" });
    expect(refusal(() => parseReferenceJson('[{"a":1}, 3]'))).toMatchObject({ field: "rows[1]" });
    expect(refusal(() => parseReferenceJson("{not json"))).toMatchObject({ field: "body" });
    expect(refusal(() => parseReferenceJson('{"rows":[]}'))).toMatchObject({ field: "rows" });
    expect(refusal(() => parseReferenceCsv("a,b\n1,2\n3\n"))).toMatchObject({ field: "line 3" });
    expect(refusal(() => parseReferenceCsv("a,b\n1,2\n3,inf\n"))).toMatchObject({ field: "row 2.b" });
    expect(refusal(() => parseReferenceCsv("prediction,target\n1,0\n"))).toMatchObject({ field: "header" });
    expect(refusal(() => parseReferenceCsv("a,a\n1,2\n")).reason).toMatch(/duplicate column "a"/);
  });

  it("checks outputs against the model's task", () => {
    const regression = parseReferenceJson('[{"x":1,"prediction":2.5},{"x":2,"prediction":"high"}]');
    expect(refusal(() => storedRows(regression, "regression"))).toMatchObject({ field: "rows[1].prediction" });
    const classifier = parseReferenceCsv("x,prediction,target\n1,churns,stays\n2,0.4,stays\n");
    expect(refusal(() => storedRows(classifier, "binary_classification"))).toMatchObject({ field: "row 2.prediction" });
    const ok = storedRows(parseReferenceJson('[{"x":1,"prediction":2.5,"target":3}]'), "regression");
    expect(ok).toMatchObject({ predictionNumbers: [2.5], predictionLabels: [null], targets: ["3"] });
  });

  it(`refuses more than ${REFERENCE_MAX_ROWS.toLocaleString("en")} rows as too large`, () => {
    const csv = "x\n" + "1\n".repeat(REFERENCE_MAX_ROWS + 1);
    expect(refusal(() => parseReferenceCsv(csv))).toMatchObject({ field: "body", tooLarge: true });
    expect(parseReferenceCsv("x\n" + "1\n".repeat(REFERENCE_MAX_ROWS)).rows).toBe(REFERENCE_MAX_ROWS);
  });
});

describe("profiling a reference", () => {
  it("calls a column numerical only when every non-missing value is a number, and lists categories", () => {
    const profile = profileSample(
      parseReferenceCsv("income,code,region,empty\n52000,7,north,\nNaN,A7,south,\n,9,north,\n"),
    );
    expect(profile.columns).toEqual([
      { name: "income", type: "numerical", missing: 2, categories: null, distinct: null },
      // One text value makes the column categorical; its numbers are categories by their text.
      { name: "code", type: "categorical", missing: 0, categories: ["7", "9", "A7"], distinct: 3 },
      { name: "region", type: "categorical", missing: 0, categories: ["north", "south"], distinct: 2 },
      { name: "empty", type: null, missing: 3, categories: null, distinct: null },
    ]);
    expect(profile).toMatchObject({ hasPrediction: false, hasTarget: false });
  });

  it("treats booleans as categories and stops listing past the limit", () => {
    const rows = Array.from({ length: 1_200 }, (_, i) => ({ id: `u${i}`, member: i % 2 === 0 }));
    const profile = profileSample(parseReferenceJson(JSON.stringify(rows)));
    expect(profile.columns).toEqual([
      { name: "id", type: "categorical", missing: 0, categories: null, distinct: 1_200 },
      { name: "member", type: "categorical", missing: 0, categories: ["false", "true"], distinct: 2 },
    ]);
  });
});

it("offers the pages the database's own arms and feature kinds", () => {
  expect(PREDICTION_ARMS).toEqual(predictionArmEnum.enumValues);
  expect(FEATURE_KINDS).toEqual(featureKindEnum.enumValues);
});
