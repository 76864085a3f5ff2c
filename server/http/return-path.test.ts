import { describe, expect, it } from "vitest";
import { safeReturnPath, signInUrl } from "./return-path";

describe("the page to return to after signing in", () => {
  it("keeps same-site paths with their query", () => {
    expect(safeReturnPath("/models/churn/compare?a=3&b=5")).toBe("/models/churn/compare?a=3&b=5");
    expect(signInUrl("/models/churn/compare")).toBe("/signin?next=%2Fmodels%2Fchurn%2Fcompare");
  });
  it("refuses anything that could leave the site or loop", () => {
    for (const bad of [
      "//evil.example",
      "/\\evil.example",
      "https://evil.example",
      "javascript:alert(1)",
      "",
      null,
      "/signin",
      "/signin?next=/x",
      "/api/health",
      "/x\r\nLocation: //evil",
    ]) {
      expect(safeReturnPath(bad), String(bad)).toBe("/");
    }
    expect(signInUrl("//evil.example")).toBe("/signin");
  });
});
