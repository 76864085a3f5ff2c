import { describe, expect, it } from "vitest";
import { auditEntityHref } from "./audit-links";

describe("audit entries link to what they are about", () => {
  it("reads the ids the domain writes", () => {
    expect(auditEntityHref("model", "churn")).toBe("/models/churn");
    expect(auditEntityHref("model_version", "credit-default@5")).toBe("/models/credit-default/versions/5");
    expect(auditEntityHref("requirement_set", "churn#3")).toBe("/models/churn/requirements");
    expect(auditEntityHref("release", "0b7f6c1e-1111-4222-8333-444455556666")).toBe(
      "/releases/0b7f6c1e-1111-4222-8333-444455556666",
    );
    expect(auditEntityHref("evaluation_report", "r-1")).toBe("/reports/r-1");
    expect(auditEntityHref("labeling_guideline", "fraud@2")).toBe("/models/fraud/guidelines?version=2");
  });

  it("links nowhere for an id it cannot read or a kind it does not know", () => {
    expect(auditEntityHref("model_version", "no-version-here")).toBeNull();
    expect(auditEntityHref("prediction", "p1")).toBeNull();
  });
});
