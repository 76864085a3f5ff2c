import AxeBuilder from "@axe-core/playwright";
import { expect, signInFast, test, trpcMutation } from "./fixtures";

/**
 * Label quality on the demo: credit-default has two reviewers on every item (kappa), a random draw for
 * calibration, and settled double-labeled items (human accuracy). The human baseline is recorded for v4,
 * a retired version no other journey's evidence rests on.
 */
test("a data scientist reads agreement and calibration, records the human baseline and finds it among the version's reports", async ({
  page,
}) => {
  await signInFast(page, "data_scientist");
  await page.goto("/models/credit-default");
  await page.getByRole("link", { name: "Label quality" }).click();
  await expect(page).toHaveURL(/\/models\/credit-default\/label-quality$/);

  // Cohen's kappa between the demo's two reviewers, named for a data scientist, with its interval.
  const kappa = page.getByRole("table", { name: "Cohen's kappa per pair of reviewers" });
  const pair = kappa.getByTestId("kappa-row");
  await expect(pair).toHaveCount(1);
  await expect(pair).toContainText("Rita Reviewer");
  await expect(pair.getByRole("cell").nth(4)).toHaveText(/^0\.\d{3}$/);
  await expect(pair.getByRole("cell").nth(5)).toHaveText(/^\d\.\d{3} – \d\.\d{3}$/);
  // Two labels per item: Fleiss' kappa is honestly not measured.
  await expect(page.getByTestId("no-fleiss")).toBeVisible();

  // The reliability diagram of the champion's random draw, with its ECE and the n per bin.
  const calibration = page.getByTestId("calibration").first();
  await expect(calibration.getByTestId("reliability-chart")).toBeVisible();
  await expect(calibration.getByTestId("reliability-chart").locator(".recharts-scatter-symbol")).not.toHaveCount(0);
  await expect(calibration.getByText(/^ECE \d\.\d{3} on \d+ randomly drawn item/)).toBeVisible();
  await expect(page.getByText(/Only items the random draw selected/)).toBeVisible();

  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // Human accuracy, and the note that the gate compares on the primary metric (auc here).
  await expect(page.getByTestId("human-accuracy")).toContainText(/Human accuracy: \d+\.\d % \(/);
  await expect(page.getByTestId("gate-metric-note")).toContainText("primary metric is auc");

  await page.getByLabel("For version").selectOption("4");
  await page.getByRole("button", { name: "Record human baseline" }).click();
  await expect(page.getByTestId("human-baseline-recorded")).toContainText(/^Recorded: human baseline for v4/);
  const stored = page.getByTestId("human-baseline-row");
  await expect(stored).toHaveCount(1);
  await expect(stored.first()).toContainText("v4");
  // The same evidence again: nothing new.
  await page.getByRole("button", { name: "Record human baseline" }).click();
  await expect(page.getByTestId("human-baseline-recorded")).toContainText("Already recorded (same evidence)");
  await expect(stored).toHaveCount(1);

  // Among v4's reports, as a human baseline.
  await stored.first().getByRole("link", { name: "v4" }).click();
  await expect(page).toHaveURL(/\/models\/credit-default\/versions\/4\/reports$/);
  await expect(page.getByRole("link", { name: "baseline (human)" })).toBeVisible();

  // A viewer reads the statistics with numbered reviewers and no form; a call without permission is refused.
  await signInFast(page, "viewer");
  await page.goto("/models/credit-default/label-quality");
  await expect(page.getByTestId("kappa-row")).toContainText("Reviewer 1 · Reviewer 2");
  await expect(page.getByText("Rita Reviewer")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Record human baseline" })).toHaveCount(0);
  expect(await trpcMutation(page, "feedback.recordHumanBaseline", { model: "credit-default", version: 4 })).toBe(403);

  // Churn has one reviewer per item: agreement is not measured, and says so.
  await page.goto("/models/churn/label-quality");
  await expect(page.getByTestId("no-agreement")).toBeVisible();
});
