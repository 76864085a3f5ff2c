import { expect, signInFast, test } from "./fixtures";

test("a manager's overview lists the decisions waiting, and Review opens the request", async ({ page }) => {
  await signInFast(page, "manager");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const decisions = page.getByTestId("overview-decisions");
  await expect(decisions.getByRole("row").filter({ hasText: "credit-default" }).first()).toBeVisible();
  await expect(decisions.getByRole("row").filter({ hasText: "house-price" })).toContainText("Loosen requirements");
  await decisions.getByRole("row").filter({ hasText: "Release v6" }).getByRole("link", { name: "Review" }).click();
  await expect(page).toHaveURL(/\/releases\/[0-9a-f-]{36}$/);
});

test("a data scientist's overview lists versions not in production; a viewer's shows models only", async ({ page }) => {
  await signInFast(page, "data_scientist");
  await page.goto("/");
  await expect(page.getByTestId("overview-candidates").getByRole("row").filter({ hasText: "credit-default" }).first()).toBeVisible();
  await expect(page.getByTestId("overview-decisions")).toHaveCount(0);

  await page.context().clearCookies();
  await signInFast(page, "viewer");
  await page.goto("/");
  await expect(page.getByTestId("overview-models").getByRole("row").filter({ hasText: "churn" })).toContainText("v3");
  await expect(page.getByTestId("overview-candidates")).toHaveCount(0);
  await expect(page.getByTestId("overview-decisions")).toHaveCount(0);
});
