import { expect, signInFast, test, trpcMutation } from "./fixtures";

test("a manager's overview lists the decisions waiting, and Review opens the request", async ({ page }) => {
  // Other journeys decide the demo's own requests; this one makes its own.
  await signInFast(page, "data_scientist");
  expect(
    await trpcMutation(page, "releases.request", {
      model: "credit-default",
      version: 1,
      strategy: "shadow",
      rationale: "shadow v1 beside the champion for the overview journey",
    }),
  ).toBe(200);
  await page.context().clearCookies();

  await signInFast(page, "manager");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const decisions = page.getByTestId("overview-decisions");
  const row = decisions.getByRole("row").filter({ hasText: "Release v1 " }).filter({ hasText: "credit-default" });
  await expect(row).toContainText("scientist@ratchet.dev");
  await row.getByRole("link", { name: "Review" }).click();
  await expect(page).toHaveURL(/\/releases\/[0-9a-f-]{36}$/);
  await expect(page.getByText("shadow v1 beside the champion for the overview journey")).toBeVisible();
});

test("a data scientist's overview lists versions not in production; a viewer's shows models only", async ({ page }) => {
  await signInFast(page, "data_scientist");
  await page.goto("/");
  await expect(
    page.getByTestId("overview-candidates").getByRole("row").filter({ hasText: "credit-default" }).first(),
  ).toBeVisible();
  await expect(page.getByTestId("overview-decisions")).toHaveCount(0);

  await page.context().clearCookies();
  await signInFast(page, "viewer");
  await page.goto("/");
  await expect(page.getByTestId("overview-models").getByRole("row").filter({ hasText: "churn" })).toContainText("v3");
  await expect(page.getByTestId("overview-candidates")).toHaveCount(0);
  await expect(page.getByTestId("overview-decisions")).toHaveCount(0);
});
