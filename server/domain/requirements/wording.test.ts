import { describe, expect, it } from "vitest";
import { boundName, boundPhrase } from "./wording";

describe("how a requirement's bound is said", () => {
  it("calls a lower-is-better bound a ceiling, at most", () => {
    expect(boundName("lower")).toBe("ceiling");
    expect(boundPhrase("lower", 120)).toBe("at most 120");
  });
  it("calls a higher-is-better bound a floor, at least", () => {
    expect(boundName("higher")).toBe("floor");
    expect(boundPhrase("higher", "0.7")).toBe("at least 0.7");
  });
});
