import { describe, expect, it } from "vitest";
import { metricDefinition } from "./metric-definitions";
import { KNOWN_METRICS } from "./metric-registry";

describe("metricDefinition", () => {
  it("defines every metric of the registry, so no tooltip is empty", () => {
    const undefinedOnes = Object.keys(KNOWN_METRICS).filter((m) => !metricDefinition(m));
    expect(undefinedOnes).toEqual([]);
  });

  it("describes registered families by their pattern and says which direction is better", () => {
    expect(metricDefinition("latency_p90_ms")).toContain("lower is better");
    expect(metricDefinition("calibration_error")).toContain("0 is perfect");
  });

  it("has nothing to say about a custom metric", () => {
    expect(metricDefinition("approval_rate_uplift")).toBeNull();
  });
});
