import { describe, expect, it } from "vitest";
import { diffConfigs } from "./versions";

describe("diffConfigs", () => {
  it("lists added, removed and changed coefficients by their JSON path", () => {
    const changes = diffConfigs(
      { intercept: -2, coefficients: { income: 0.3, age: 0.1 }, threshold: 0.5 },
      { intercept: -2, coefficients: { income: 0.35, tenure: 0.2 }, threshold: 0.5 },
    );
    expect(changes).toEqual([
      { path: "coefficients.age", kind: "removed", from: 0.1 },
      { path: "coefficients.income", kind: "changed", from: 0.3, to: 0.35 },
      { path: "coefficients.tenure", kind: "added", to: 0.2 },
    ]);
  });
  it("reports nothing for equal configs and sorts array indices numerically", () => {
    expect(diffConfigs({ a: [1, 2] }, { a: [1, 2] })).toEqual([]);
    const arr = diffConfigs({ w: Array(12).fill(0) }, { w: Array(12).fill(1) });
    expect(arr.map((c) => c.path).slice(0, 3)).toEqual(["w.0", "w.1", "w.2"]);
    expect(arr.at(-1)?.path).toBe("w.11");
  });
});
