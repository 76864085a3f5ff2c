import { expect, signInFast, test } from "./fixtures";

test("a manager opens the comparison from a release request, keeps only the differences, and sees the verdict", async ({ page }) => {
  await signInFast(page, "manager");
  await page.goto("/releases");
  const row = page.getByRole("table", { name: "Pending release requests" }).getByRole("row", { name: /churn/ });
  await expect(row).toContainText("v5");
  await row.getByRole("link", { name: "Review" }).click();
  await expect(page.getByTestId("check-champion")).toContainText("Worse than the champion on 1");
  await page.getByRole("link", { name: "Compare v5 with champion v3" }).click();

  await expect(page).toHaveURL(/\/models\/churn\/compare\?a=3&b=5$/);
  // The page streams (loading.tsx shows first): give the comparison time to compute on a busy machine.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("churn: v5 against v3", { timeout: 30_000 });
  await expect(page.getByTestId("primary-verdict")).toContainText("auc: better on 7, worse on 1"); // back-tests carry outcomes: paired on all eight datasets
  const annual = page.getByRole("table", { name: /plan=annual/ });
  await expect(annual.getByRole("row", { name: /^auc/ })).toContainText("paired DeLong");
  await expect(annual.getByRole("row", { name: /^auc/ })).toContainText("worse");
  await expect(page.getByRole("table", { name: /^holdout/ }).getByRole("row", { name: /^auc/ })).toContainText("better");
  const undecided = page.locator("tbody td span", { hasText: /^no detectable difference$/ });
  expect(await undecided.count()).toBeGreaterThan(0);

  await page.getByRole("switch", { name: "Differences only" }).check();
  await expect(page).toHaveURL(/diff=1/);
  await expect(undecided).toHaveCount(0);
  await expect(annual.getByRole("row", { name: /^auc/ })).toContainText("worse");
  await expect(page.getByRole("table", { name: /^holdout/ }).getByRole("row", { name: /^latency_p95_ms/ })).toHaveCount(0);

  await expect(page.getByTestId("compare-backtest-chart")).toBeVisible();
  await expect(page.getByTestId("version-history-chart")).toBeVisible();
  await expect(page.getByTestId("online-evidence")).toContainText("Wilson interval");
  await expect(page.getByRole("table", { name: "Differences in config" })).toContainText("trees");

  // A wider margin is part of the URL; with 0.2 AUC points tolerated, annual plans are no longer "worse".
  await page.getByLabel("margin auc").fill("0.2");
  await page.getByRole("button", { name: "Apply margins" }).click();
  await expect(page).toHaveURL(/margin\.auc=0\.2/);
  await expect(page.getByTestId("primary-verdict")).toContainText("worse on 0", { timeout: 30_000 });
});

test("the comparison is for signed-in people only", async ({ page }) => {
  const res = await page.request.get(`/api/trpc/compare.versions?input=${encodeURIComponent(JSON.stringify({ json: { model: "churn" } }))}`);
  expect(res.status()).toBe(401);
  await page.goto("/models/churn/compare");
  await expect(page).toHaveURL(/\/signin/);
});
