import { expect, signInFast, test, trpcMutation } from "./fixtures";

/**
 * The monitoring page of churn's champion on the demo's windows (drift from four days ago): tiles, the
 * heat map, a feature's distributions chosen from the heat map, the select or the URL (?feature=, what
 * alerts link to), and the granularity switch, all kept in the URL.
 */
test("a viewer reads churn's monitoring page, switches to hours and picks features", async ({ page }) => {
  await signInFast(page, "viewer");
  await page.goto("/models/churn");
  await page.getByRole("link", { name: "Monitoring" }).click();
  await expect(page).toHaveURL(/\/models\/churn\/monitoring$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("churn: monitoring");
  await expect(page.getByTestId("tile-champion-age")).toContainText("v3 champion since");
  await expect(page.getByTestId("tile-traffic")).toContainText("over the newest hour window");
  await expect(page.getByTestId("tile-latency")).toContainText("ms");

  const heatmap = page.getByRole("table", { name: "Drift per feature and window" });
  const income = heatmap.getByTestId("heatmap-row-income");
  // Fourteen days, the last four after the drift started.
  // (The review queue's demo traffic adds real windows computed by the jobs, so there may be more.)
  await expect(income.locator("[data-drift]").nth(13)).toBeVisible();
  expect(await income.locator("[data-drift]").count()).toBeGreaterThanOrEqual(14);
  expect(await income.locator('[data-drift="drift"]').count()).toBeGreaterThanOrEqual(4);
  // The most drifted feature is drawn by default, reference against the current window.
  await expect(page.getByTestId("feature-panel")).toHaveAttribute("data-feature", /.+/);
  await expect(page.getByTestId("distribution-chart")).toBeVisible();
  await expect(page.getByRole("table", { name: "Data quality per feature" })).toContainText("region");

  await page.getByRole("radio", { name: "Hour" }).click();
  await expect(page).toHaveURL(/granularity=hour/);
  await expect(page.getByRole("heading", { name: /Drift per feature and hour \(24 windows/ })).toBeVisible();
  await expect(heatmap.getByTestId("heatmap-row-income").locator("[data-drift]")).toHaveCount(24);
  // The newest complete hour is after the change: the new region is in its data quality. (The newest day
  // may be today's, with only the review queue's few requests so far.)
  await expect(page.getByRole("table", { name: "Data quality per feature" })).toContainText("central");

  await page.getByRole("combobox", { name: "Feature" }).selectOption("region");
  await expect(page).toHaveURL(/feature=region/);
  await expect(page).toHaveURL(/granularity=hour/);
  await expect(page.getByTestId("feature-panel")).toHaveAttribute("data-feature", "region");
  await expect(page.getByTestId("feature-verdict")).toContainText("in region");

  // From the heat map: a feature's row opens its distributions.
  await heatmap.getByRole("link", { name: "tenure", exact: true }).click();
  await expect(page).toHaveURL(/feature=tenure/);
  await expect(page.getByTestId("feature-panel")).toHaveAttribute("data-feature", "tenure");
});

test("a link with ?feature= (as an alert sends) lands on that feature's distributions", async ({ page }) => {
  await signInFast(page, "viewer");
  await page.goto("/models/churn/monitoring?granularity=day&feature=age");
  await expect(page.getByTestId("feature-panel")).toHaveAttribute("data-feature", "age");
  await expect(page.locator("#feature-distribution")).toBeInViewport();
  await expect(page.getByRole("radio", { name: "Day" })).toHaveAttribute("aria-checked", "true");
});

test("a model without windows says monitoring is not measured and how to get it", async ({ page }) => {
  // Every demo model has production traffic (the review queue's), so this journey registers one that has none.
  await signInFast(page, "data_scientist");
  expect(
    await trpcMutation(page, "models.create", { name: "e2e-unmonitored", task: "binary_classification", owner: "e2e" }),
  ).toBe(200);
  expect(
    await trpcMutation(page, "models.registerVersion", {
      model: "e2e-unmonitored",
      artifactUri: "s3://models/e2e-unmonitored/1.joblib",
      artifactSha256: "a".repeat(64),
      config: {},
    }),
  ).toBe(200);
  await page.goto("/models/e2e-unmonitored/monitoring");
  await expect(page.getByTestId("no-windows")).toContainText("Not measured.");
  await expect(page.getByTestId("no-windows")).toContainText("POST /api/v1/predictions");
  await expect(page.getByTestId("tile-traffic")).toContainText("Not measured");
});
