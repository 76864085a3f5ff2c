import { expect, signIn, test } from "./fixtures";

const TITLE = "Pricing features drift: drift in plan_price";
const NOTE = "Pricing team confirms the new plans; retraining v3 on them.";

/**
 * A data scientist follows the demo's open critical churn alert to the feature behind it: one click from the
 * alert lands on plan_price's reference and current distributions; back on the list she acknowledges it with
 * a note, and the gate still fails on it (acknowledging says who is on it; only resolving unblocks).
 */
test("a data scientist goes from an alert to the feature's distributions, then acknowledges it; the gate still fails", async ({
  page,
}) => {
  await signIn(page, "data_scientist");
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: /^Alerts/ })
    .click();
  await expect(page).toHaveURL(/\/alerts$/);
  const row = () => page.getByRole("table", { name: "Alerts" }).getByRole("row", { name: new RegExp(TITLE) });
  await expect(row()).toContainText("critical");
  await expect(row()).toContainText("open");

  // One click: the monitoring page of churn, at the alert's (daily) windows, on plan_price's distributions.
  await row().getByRole("link", { name: TITLE }).click();
  await expect(page).toHaveURL(/\/models\/churn\/monitoring\?granularity=day&feature=plan_price$/);
  await expect(page.getByRole("heading", { name: "plan_price: reference and current" })).toBeVisible();
  const panel = page.getByTestId("feature-panel");
  await expect(panel).toHaveAttribute("data-feature", "plan_price");
  await expect(page.locator("#feature-distribution")).toBeInViewport();
  // Reference and current bars, and the engine's verdict on them: the new plan prices drift.
  const chart = panel.getByTestId("distribution-chart");
  await expect(chart).toBeVisible();
  await expect(chart).toContainText("reference");
  await expect(chart).toContainText("current window");
  await expect(page.getByTestId("feature-verdict")).toContainText(/^Drift in plan_price: jensenshannon/);
  await expect(page.getByTestId("feature-panel")).toContainText("New categories: 12.99, 17.99");
  // The tile counts churn's unresolved alerts and leads to them.
  const tile = page.getByTestId("tile-alerts");
  await expect(tile).toContainText("1 unresolved");
  await expect(tile).toContainText("1 critical (blocking releases)");
  await expect(tile.getByRole("link")).toHaveAttribute("href", "/models/churn/alerts");

  // Target drift from the reviewers' labels sits on the same page, saying what it compares with.
  const target = page.locator("#target-drift");
  await expect(target.getByRole("heading", { name: "Target drift (from labels)" })).toBeVisible();
  await expect(target.getByTestId("target-reference")).toContainText(
    /Reference: the earliest labeled week|No reference yet/,
  );
  await expect(target.getByRole("table", { name: "Target drift per week" })).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL(/\/alerts$/);
  await row()
    .getByRole("button", { name: `Acknowledge ${TITLE}` })
    .click();
  await row().getByRole("button", { name: "Acknowledge", exact: true }).click();
  // The note is required, checked in the browser as the server checks it; nothing is asked yet.
  await expect(row().getByTestId(/^error-note-/)).toContainText("at least 3 characters");
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  await row().getByLabel("Acknowledge: note").fill(NOTE);
  await row().getByRole("button", { name: "Acknowledge", exact: true }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("keeps blocking releases of this model until it is resolved");
  await dialog.getByRole("button", { name: "Acknowledge" }).click();
  await expect(dialog).toBeHidden();

  await expect(row()).toContainText("acknowledged");
  await expect(row().getByTestId("acknowledged")).toHaveText(
    new RegExp(`^Acknowledged by scientist@ratchet\\.dev, .+ ago: “${NOTE.replaceAll(".", "\\.")}”$`),
  );
  await expect(row().getByRole("button", { name: /^Acknowledge/ })).toHaveCount(0);
  await expect(row().getByRole("button", { name: `Resolve ${TITLE}` })).toBeVisible();
  // Still unresolved: the sidebar's count keeps it.
  await expect(page.getByTestId("nav-alert-count")).toContainText("2");

  // The gate's alert check fails on an acknowledged critical alert, naming it and saying it is not resolved.
  await page.goto("/models/churn/versions/5/release");
  await expect(page.getByTestId("gate-status")).toHaveText("fail");
  const check = page.getByTestId("check-alerts");
  await expect(check).toContainText("fail");
  await expect(check).toContainText(`Open critical alert: ${TITLE} (acknowledged, not resolved).`);

  // The monitoring tile says it was acknowledged, and is still critical.
  await page.goto("/models/churn/monitoring");
  await expect(page.getByTestId("tile-alerts")).toContainText("1 critical (blocking releases), 1 acknowledged");

  // The audit log has the acknowledgement with its note.
  await page.goto("/audit?entityType=alert");
  await expect(page.getByRole("main")).toContainText("alert.acknowledged");
});
