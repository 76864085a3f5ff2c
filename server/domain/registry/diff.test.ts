import { describe, expect, it } from "vitest";
import { diffConfigs } from "./config-diff";

describe("diffConfigs", () => {
  it("lists added, removed and changed coefficients by their JSON path", () => {
    const changes = diffConfigs(
      { intercept: -2, coefficients: { income: 0.3, age: 0.1 }, threshold: 0.5 },
      { intercept: -2, coefficients: { income: 0.35, tenure: 0.2 }, threshold: 0.5 },
    );
    expect(changes).toEqual([
      { path: "coefficients.income", kind: "changed", from: 0.3, to: 0.35 },
      { path: "coefficients.tenure", kind: "added", to: 0.2 },
      { path: "coefficients.age", kind: "removed", from: 0.1 },
    ]);
  });
  it("keeps the order the author wrote the keys in, not the alphabet", () => {
    expect(diffConfigs({ zeta: 0, alpha: 0 }, { zeta: 1, alpha: 2 }).map((c) => c.path)).toEqual(["zeta", "alpha"]);
    expect(diffConfigs({ m: 1, b: 1 }, { zeta: 1, alpha: 2 }).map((c) => `${c.kind} ${c.path}`)).toEqual([
      "added zeta",
      "added alpha",
      "removed m",
      "removed b",
    ]);
  });
  it("reports nothing for equal configs and lists array indices in order", () => {
    expect(diffConfigs({ a: [1, 2], o: { x: null } }, { a: [1, 2], o: { x: null } })).toEqual([]);
    const arr = diffConfigs({ w: Array(12).fill(0) }, { w: Array(12).fill(1) });
    expect(arr.map((c) => c.path).slice(0, 3)).toEqual(["w.0", "w.1", "w.2"]);
    expect(arr.at(-1)?.path).toBe("w.11");
    expect(diffConfigs({ w: [1] }, { w: [1, 2] })).toEqual([{ path: "w.1", kind: "added", to: 2 }]);
    expect(diffConfigs({ w: { a: 1 } }, { w: [1] })).toEqual([{ path: "w", kind: "changed", from: { a: 1 }, to: [1] }]);
  });
});
