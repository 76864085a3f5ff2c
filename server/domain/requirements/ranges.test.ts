import { describe, expect, it } from "vitest";
import { proposeSetInput } from "./schemas";

const propose = (requirements: Record<string, unknown>[]) =>
  proposeSetInput.safeParse({ model: "churn", primaryMetric: "auc", requirements, rationale: "agreed in the review" });

describe("requirement values the metric can take", () => {
  it("refuses a floor or target outside the metric's range, naming the field", () => {
    const auc = propose([{ metric: "auc", direction: "higher", floor: 1.2 }]);
    expect(auc.error!.issues).toEqual([
      expect.objectContaining({ path: ["requirements", 0, "floor"], message: "auc is between 0 and 1" }),
    ]);
    const rmse = propose([
      { metric: "auc", direction: "higher", floor: 0.7 },
      { metric: "rmse", direction: "lower", floor: -1 },
    ]);
    expect(rmse.error!.issues).toEqual([
      expect.objectContaining({ path: ["requirements", 1, "floor"], message: "rmse cannot be negative" }),
    ]);
    const target = propose([{ metric: "f1", direction: "higher", floor: 0.5, target: 1.5 }]);
    expect(target.error!.issues[0]!.path).toEqual(["requirements", 0, "target"]);
    expect(propose([{ metric: "r2", direction: "higher", floor: 1.1 }]).error!.issues[0]!.message).toBe(
      "r2 is at most 1",
    );
  });
  it("accepts the bounds themselves, negative R², and any value for a custom metric", () => {
    expect(
      propose([
        { metric: "auc", direction: "higher", floor: 0 },
        { metric: "accuracy", direction: "higher", floor: 1 },
      ]).success,
    ).toBe(true);
    expect(
      propose([
        { metric: "auc", direction: "higher", floor: 0.6 },
        { metric: "r2", direction: "higher", floor: -0.5 },
      ]).success,
    ).toBe(true);
    expect(
      propose([
        { metric: "auc", direction: "higher", floor: 0.6 },
        { metric: "uplift_usd", direction: "higher", floor: -1000 },
      ]).success,
    ).toBe(true);
  });
});
