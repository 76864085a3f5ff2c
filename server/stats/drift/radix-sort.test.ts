import { describe, expect, it } from "vitest";
import { createRng } from "../rng";
import { radixSortFloat64 } from "./radix-sort";

describe("radixSortFloat64", () => {
  it.each([
    [
      "mixed signs, zeros and ties",
      (u: number, i: number) =>
        i % 7 === 0 ? 0 : i % 11 === 0 ? -0 : i % 5 === 0 ? Math.round(u * 10) - 5 : (u - 0.5) * 1e6,
    ],
    ["tiny and huge magnitudes", (u: number, i: number) => (i % 2 ? 1 : -1) * Math.exp((u - 0.5) * 1400)],
    ["only negatives", (u: number) => -1 - u],
    ["one shared exponent", (u: number) => 1 + u],
    ["all equal", () => 3.25],
  ])("matches Float64Array.prototype.sort: %s", (_name, make) => {
    const rng = createRng(42);
    const values = Float64Array.from({ length: 5000 }, (_, i) => make(rng.nextDouble(), i));
    const expected = values.slice().sort();
    const sorted = radixSortFloat64(values.slice());
    expect(Array.from(sorted)).toEqual(Array.from(expected));
    expect(Array.from(sorted, (v) => Object.is(v, -0) || v < 0)).toEqual(
      Array.from(expected, (v) => Object.is(v, -0) || v < 0),
    );
  });

  it("sorts a subarray in place without touching the rest of its buffer", () => {
    const buffer = Float64Array.from({ length: 1000 }, (_, i) => 1000 - i);
    const view = buffer.subarray(100, 900);
    radixSortFloat64(view);
    expect(view[0]).toBe(101);
    expect(view[799]).toBe(900);
    expect(buffer[0]).toBe(1000);
    expect(buffer[999]).toBe(1);
  });
});
