import { describe, expect, it } from "vitest";
import type { ReferenceProfile } from "@/db/schema";
import { proposeFeatures, type DeclaredFeature } from "./propose";

const profile: ReferenceProfile = {
  columns: [
    { name: "income", type: "numerical", missing: 10, categories: null, distinct: null },
    { name: "region", type: "categorical", missing: 0, categories: ["east", "north", "south"], distinct: 3 },
    { name: "customer_id", type: "categorical", missing: 0, categories: null, distinct: 5_000 },
    { name: "notes", type: null, missing: 100, categories: null, distinct: null },
  ],
  hasPrediction: true,
  hasTarget: false,
};

describe("proposing declared features from a reference", () => {
  it("proposes every column with a value, by its detected kind, when nothing is declared", () => {
    const p = proposeFeatures(profile, 100, []);
    expect(p.features.map((f) => [f.name, f.kind, f.status, f.important])).toEqual([
      ["income", "numerical", "new", false],
      ["region", "categorical", "new", false],
      ["customer_id", "categorical", "new", false],
    ]);
    expect(p.features[0]!.missingShare).toBeCloseTo(0.1);
    expect(p.features[1]!.categories).toEqual(["east", "north", "south"]);
    // Too many distinct values to list: new categories cannot be checked for it.
    expect(p.features[2]!.categories).toBeNull();
    expect(p.undetermined).toEqual(["notes"]);
    expect(p.notInReference).toEqual([]);
  });

  it("says what would change for declared features, keeps their importance, and lists those the reference lacks", () => {
    const declared: DeclaredFeature[] = [
      { name: "income", kind: "categorical", important: true, categories: ["low", "high"] },
      { name: "region", kind: "categorical", important: false, categories: ["north", "south", "west"] },
      { name: "customer_id", kind: "categorical", important: false, categories: null },
      { name: "age", kind: "numerical", important: true, categories: null },
    ];
    const p = proposeFeatures(profile, 100, declared);
    const byName = Object.fromEntries(p.features.map((f) => [f.name, f]));
    expect(byName.income).toMatchObject({
      status: "changed",
      important: true,
      changes: ["kind: categorical → numerical"],
    });
    expect(byName.region).toMatchObject({ status: "changed", changes: ["categories: +east, −west"] });
    expect(byName.customer_id).toMatchObject({ status: "unchanged", changes: [] });
    expect(p.notInReference).toEqual(["age"]);
  });

  it("finds a declaration that matches the reference unchanged, whatever the order of its categories", () => {
    const declared: DeclaredFeature[] = [
      { name: "region", kind: "categorical", important: false, categories: ["south", "east", "north"] },
    ];
    expect(proposeFeatures(profile, 100, declared).features.find((f) => f.name === "region")?.status).toBe("unchanged");
  });
});
