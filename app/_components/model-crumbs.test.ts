import { describe, expect, it } from "vitest";
import { modelCrumbs } from "./model-crumbs";

describe("breadcrumbs below a model", () => {
  it("walks from the models list to the page, naming versions as v3", () => {
    expect(modelCrumbs("/models/churn/versions/3/reports")).toEqual([
      { label: "Models", href: "/models" },
      { label: "churn", href: "/models/churn" },
      { label: "v3", href: "/models/churn/versions/3" },
      { label: "Reports", href: "/models/churn/versions/3/reports" },
    ]);
  });

  it("names sections in words and has no crumb for the page-less versions folder", () => {
    expect(modelCrumbs("/models/credit-default/timeline").map((c) => c.label)).toEqual([
      "Models",
      "credit-default",
      "Releases & timeline",
    ]);
    expect(modelCrumbs("/models/churn/versions/new").map((c) => c.href)).toEqual([
      "/models",
      "/models/churn",
      "/models/churn/versions/new",
    ]);
  });
});
