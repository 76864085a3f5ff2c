import { describe, expect, it } from "vitest";
import { rollbackTargets, type ChampionChange } from "./rollback-targets";

const day = (d: number) => new Date(Date.UTC(2026, 10, d));
const promote = (v: number, from: number | null, d: number): ChampionChange => ({
  kind: "promote",
  fromVersionId: from ? `v${from}` : null,
  toVersionId: `v${v}`,
  toVersion: v,
  effectiveAt: day(d),
});
const back = (to: number, from: number, d: number): ChampionChange => ({
  kind: "rollback",
  fromVersionId: `v${from}`,
  toVersionId: `v${to}`,
  toVersion: to,
  effectiveAt: day(d),
});

describe("rollback targets", () => {
  it("offers only former champions, most recent first, never the current one", () => {
    const t = rollbackTargets([promote(1, null, 1), promote(3, 1, 2), promote(5, 3, 3)], "v5");
    expect(t.eligible.map((e) => e.version)).toEqual([3, 1]);
    expect(t.defaultTarget?.version).toBe(3);
  });

  it("goes further back on a second rollback instead of returning to the bad version", () => {
    const history = [promote(1, null, 1), promote(2, 1, 2), promote(3, 2, 3), back(2, 3, 4)];
    const first = rollbackTargets(history, "v2");
    expect(first.eligible.map((e) => [e.version, e.rolledBackFrom])).toEqual([
      [3, true],
      [1, false],
    ]);
    expect(first.defaultTarget?.version).toBe(1);
    const second = rollbackTargets([...history, back(1, 2, 5)], "v1");
    expect(second.defaultTarget).toBeNull(); // v2 and v3 were both rolled back from
    expect(second.eligible.map((e) => e.version)).toEqual([2, 3]);
  });

  it("counts a version promoted again after a rollback as a good former champion", () => {
    const t = rollbackTargets(
      [promote(1, null, 1), promote(2, 1, 2), back(1, 2, 3), promote(2, 1, 4), promote(3, 2, 5)],
      "v3",
    );
    expect(t.defaultTarget?.version).toBe(2);
  });

  it("has nothing to offer without an earlier champion, whatever the input order", () => {
    expect(rollbackTargets([promote(1, null, 1)], "v1")).toEqual({ eligible: [], defaultTarget: null });
    expect(rollbackTargets([promote(2, 1, 2), promote(1, null, 1)], "v2").defaultTarget?.version).toBe(1);
    expect(rollbackTargets([], null)).toEqual({ eligible: [], defaultTarget: null });
  });
});
