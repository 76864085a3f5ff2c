import { expect, signInFast, test } from "./fixtures";

test("a manager opens the comparison from a release request, keeps only the differences, and sees the verdict", async ({
  page,
}) => {
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
  await expect(page.getByRole("table", { name: /^holdout/ }).getByRole("row", { name: /^auc/ })).toContainText(
    "better",
  );
  const undecided = page.locator("tbody td span", { hasText: /^no detectable difference$/ });
  expect(await undecided.count()).toBeGreaterThan(0);

  await page.getByRole("switch", { name: "Differences only" }).check();
  await expect(page).toHaveURL(/diff=1/);
  await expect(undecided).toHaveCount(0);
  await expect(annual.getByRole("row", { name: /^auc/ })).toContainText("worse");
  await expect(page.getByRole("table", { name: /^holdout/ }).getByRole("row", { name: /^latency_p95_ms/ })).toHaveCount(
    0,
  );

  await expect(page.getByTestId("compare-backtest-chart")).toBeVisible();
  await expect(page.getByTestId("version-history-chart")).toBeVisible();
  // The demo's reviewers labeled churn requests both v3 and v5 (in shadow) answered: accuracy on shared traffic.
  await expect(page.getByRole("table", { name: "Labeled accuracy on shared traffic" })).toBeVisible();
  await expect(page.getByTestId("online-accuracy-difference")).toContainText(/v5 − v3: .* accuracy, 95 % interval \[/);
  await expect(page.getByRole("table", { name: "Differences in config" })).toContainText("trees");

  // A wider margin is part of the URL; with 0.2 AUC points tolerated, annual plans are no longer "worse".
  await page.getByLabel("margin auc").fill("0.2");
  await page.getByRole("button", { name: "Apply margins" }).click();
  await expect(page).toHaveURL(/margin\.auc=0\.2/);
  await expect(page.getByTestId("primary-verdict")).toContainText("worse on 0", { timeout: 30_000 });
});

test("the comparison is for signed-in people only", async ({ page }) => {
  const res = await page.request.get(
    `/api/trpc/compare.versions?input=${encodeURIComponent(JSON.stringify({ json: { model: "churn" } }))}`,
  );
  expect(res.status()).toBe(401);
  await page.goto("/models/churn/compare");
  await expect(page).toHaveURL(/\/signin/);
});

test("a data scientist puts four churn versions on one table against the champion, and sees what was not tested", async ({
  page,
}) => {
  await signInFast(page, "data_scientist");
  await page.goto("/models/churn/compare?a=3&b=5");
  // The two-version page says "not tested" for a latency posted without an interval, never "no detectable difference".
  const holdout = page.getByRole("table", { name: /^holdout/ });
  await expect(holdout.getByRole("row", { name: /^latency_p95_ms/ })).toContainText("not tested");
  await expect(holdout.getByRole("row", { name: /^brier/ })).toContainText("paired bootstrap");
  await expect(page.getByTestId("verdict-summary")).toContainText("not tested on");

  await page.getByRole("link", { name: "Compare up to four versions" }).click();
  await expect(page).toHaveURL(/\/models\/churn\/compare\/table\?v=3&v=5$/);
  for (const v of ["v1", "v4"]) await page.getByRole("checkbox", { name: new RegExp(`^${v} `) }).check();
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(/v=1/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("against v3");

  const table = page.getByRole("table", { name: "Versions against the reference" });
  // The reference first, then the others newest first (the order the form sends them in).
  await expect(table.getByRole("columnheader")).toHaveText(["Metric", "v3 (reference)", "v5", "v4", "v1"]);
  const auc = table.getByRole("row", { name: /^auc/ });
  await expect(auc.getByRole("cell")).toHaveCount(5);
  await expect(auc.getByRole("cell").nth(2)).toContainText("better"); // v5 beats v3 on the holdout's AUC…
  await expect(auc.getByRole("cell").nth(2)).toContainText("paired DeLong");
  await expect(
    table
      .getByRole("row", { name: /^latency_p95_ms/ })
      .getByRole("cell")
      .nth(2),
  ).toContainText("not tested");

  // …and loses on annual plans, where v1 has no report at all.
  const annual = await page.getByLabel("Dataset").locator("option", { hasText: "plan=annual" }).getAttribute("value");
  await page.getByLabel("Dataset").selectOption(annual!);
  await page.getByRole("button", { name: "Compare" }).click();
  await expect(page).toHaveURL(/plan%3Dannual/);
  const annualAuc = page
    .getByRole("table", { name: "Versions against the reference" })
    .getByRole("row", { name: /^auc/ });
  await expect(annualAuc.getByRole("cell").nth(2)).toContainText("worse");
  await expect(annualAuc.getByRole("cell").nth(4)).toContainText("no report on this dataset");

  // A fifth version is refused with a reason, not a half-built table.
  await page.goto("/models/churn/compare/table?v=1&v=2&v=3&v=4&v=5");
  await expect(page.getByTestId("compare-refused")).toContainText("at most four");
});
