import { describe, expect, it } from "vitest";
import { registerVersionInput } from "./registry/schemas";

const version = (config: Record<string, unknown>) => ({
  artifactUri: "s3://m/1",
  artifactSha256: "a".repeat(64),
  config,
});

describe("a version's config is stored as given, or refused", () => {
  it("refuses a number that is not finite, naming its path, instead of storing null", () => {
    const parsed = JSON.parse('{"intercept": -2.05, "coefficients": {"income": 1e309, "age": [0.1, 0.2]}}') as Record<
      string,
      unknown
    >;
    const r = registerVersionInput.safeParse(version(parsed));
    expect(r.success).toBe(false);
    expect(r.error!.issues).toEqual([
      expect.objectContaining({
        path: ["config", "coefficients", "income"],
        message: expect.stringMatching(/finite number/),
      }),
    ]);
    const inArray = registerVersionInput.safeParse({
      ...version({ a: 1 }),
      hyperparameters: { grid: [1, Number.NaN] },
    });
    expect(inArray.error!.issues[0]!.path).toEqual(["hyperparameters", "grid", 1]);
  });
  it("accepts ordinary configs, large and small numbers included", () => {
    expect(
      registerVersionInput.safeParse(
        version({ intercept: -2.05, tiny: 5e-324, big: 1.7e308, nested: { list: [1, "x", null, true] } }),
      ).success,
    ).toBe(true);
  });
});
