import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, signInFast, test, type DemoRole } from "./fixtures";

/**
 * Every main page passes axe-core's WCAG 2.1 A/AA rules with no serious or critical violation, for the
 * role that sees the most of it (a manager sees the decision form, an admin the admin pages).
 */
async function expectAccessible(page: Page, what: string) {
  await page.waitForLoadState("networkidle");
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const blocking = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .map((n) => n.target.join(" "))
          .slice(0, 5)
          .join(", ")}`,
    );
  expect(blocking, `${what} has accessibility violations`).toEqual([]);
}

const pages: { role: DemoRole; path: string; what: string }[] = [
  { role: "manager", path: "/", what: "the overview" },
  { role: "manager", path: "/models", what: "the models list" },
  { role: "manager", path: "/models/credit-default", what: "a model" },
  { role: "manager", path: "/models/credit-default/versions/6", what: "a version" },
  { role: "manager", path: "/models/credit-default/timeline", what: "a model's timeline" },
  { role: "manager", path: "/models/credit-default/requirements", what: "a model's requirements" },
  { role: "manager", path: "/models/churn/compare", what: "the comparison" },
  { role: "manager", path: "/models/credit-default/accuracy?slice=region", what: "a model's live accuracy" },
  {
    role: "data_scientist",
    path: "/models/credit-default/guidelines?version=2&from=1&to=2",
    what: "a model's labeling guidelines with a diff",
  },
  { role: "manager", path: "/releases", what: "the releases" },
  { role: "admin", path: "/audit", what: "the audit log" },
  { role: "manager", path: "/datasets", what: "the datasets" },
  { role: "admin", path: "/admin/users", what: "the users admin" },
  { role: "admin", path: "/admin/keys", what: "the API keys admin" },
  { role: "admin", path: "/admin/webhooks", what: "the webhooks admin" },
  { role: "manager", path: "/account", what: "the account page" },
  // A data scientist sees the reference data forms and the proposed features; the features editor.
  { role: "data_scientist", path: "/models/credit-default/versions/5", what: "a version with reference data" },
  { role: "data_scientist", path: "/models/credit-default/features", what: "a model's declared features" },
];

for (const { role, path, what } of pages) {
  test(`${what} (${path}) passes axe`, async ({ page }) => {
    await signInFast(page, role);
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    await expectAccessible(page, what);
  });
}

test("a release decision page, with its gate details and confirmation dialog open, passes axe", async ({ page }) => {
  await signInFast(page, "manager");
  await page.goto("/releases");
  await page
    .getByRole("table", { name: "Pending release requests" })
    .getByRole("link", { name: "Review" })
    .first()
    .click();
  await expect(page).toHaveURL(/\/releases\/[0-9a-f-]{36}$/);
  for (const summary of await page.getByText(/the numbers behind it/).all()) await summary.click();
  await expectAccessible(page, "the release decision page");
  await page.getByLabel("Note").fill("Checking the dialog, not deciding.");
  await page.getByRole("button", { name: "Reject" }).click();
  await expect(page.getByRole("alertdialog")).toBeVisible();
  await expectAccessible(page, "the rejection dialog");
  await page.keyboard.press("Escape");
  await expect(page.getByRole("alertdialog")).toBeHidden();
});

test("a report page passes axe", async ({ page }) => {
  await signInFast(page, "manager");
  await page.goto("/models/credit-default/versions/6/reports");
  await page.locator('a[href^="/reports/"]').first().click();
  await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}$/);
  await expectAccessible(page, "a report");
});

test("the sign-in page passes axe", async ({ page }) => {
  await page.goto("/signin");
  await expectAccessible(page, "the sign-in page");
});
