import { describe, expect, it } from "vitest";
import { releaseOutcome, type ReleaseSummary } from "./release-outcome";

const release = (over: Partial<ReleaseSummary>): ReleaseSummary => ({
  id: "r",
  model: "churn",
  toVersion: 5,
  fromVersion: 3,
  strategy: "full",
  share: null,
  ...over,
});

describe("what a release decision will do, as the confirmation says it", () => {
  it("a full release makes the version champion and retires the current one", () => {
    expect(releaseOutcome(release({}), "approve")).toBe(
      "v5 becomes the champion of churn and serves all traffic; v3 is retired.",
    );
    expect(releaseOutcome(release({ fromVersion: null }), "approve")).toBe(
      "v5 becomes the champion of churn and serves all traffic.",
    );
  });

  it("a canary or shadow makes it the challenger and leaves the champion in place", () => {
    expect(releaseOutcome(release({ strategy: "canary", share: 0.1 }), "approve")).toBe(
      "v5 becomes the challenger and serves 10 % of traffic as a canary; v3 stays champion.",
    );
    expect(releaseOutcome(release({ strategy: "shadow" }), "approve")).toContain("v5 becomes the challenger in shadow");
  });

  it("a rejection changes nothing in production", () => {
    expect(releaseOutcome(release({}), "reject")).toBe(
      "Nothing changes in production: v3 stays champion, and v5 is not released.",
    );
  });
});
