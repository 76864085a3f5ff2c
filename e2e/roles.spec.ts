import { DEMO, expect, signIn, test, type DemoRole } from "./fixtures";

/** "Alerts" carries the count of unresolved alerts beside it. */
const ALERTS = /^Alerts/;

const NAV: Record<DemoRole, (string | RegExp)[]> = {
  viewer: ["Overview", "Models", "Releases", ALERTS, "Datasets", "Audit log"],
  reviewer: ["Overview", "Models", "Releases", ALERTS, "Datasets", "Review"],
  data_scientist: ["Overview", "Models", "Releases", ALERTS, "Datasets", "Adjudication", "Review policy", "Audit log"],
  manager: ["Overview", "Models", "Releases", ALERTS, "Datasets", "Audit log"],
  admin: ["Overview", "Models", "Releases", ALERTS, "Datasets", "Audit log", "Users", "API keys", "Webhooks"],
};

for (const role of Object.keys(DEMO) as DemoRole[]) {
  test(`${role} signs in and sees only their navigation`, async ({ page }) => {
    await signIn(page, role);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText(NAV[role]);
    // Signing in lands on the overview, every model at a glance.
    await expect(page.getByRole("table", { name: "Models at a glance" })).toContainText("credit-default");
  });
}

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(DEMO.viewer.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signin-error")).toContainText("do not match");
});

test("a reviewer opening the admin page directly is refused", async ({ page }) => {
  await signIn(page, "reviewer");
  await page.goto("/admin/keys");
  await expect(page.getByTestId("forbidden")).toBeVisible();
});

test("signed out, pages redirect to sign in", async ({ page }) => {
  await page.goto("/models/credit-default");
  await expect(page).toHaveURL(/\/signin/);
});

test("signing in returns to the page the sign-in interrupted", async ({ page }) => {
  await page.goto("/models/churn/compare?a=3&b=5");
  await expect(page).toHaveURL(/\/signin\?next=%2Fmodels%2Fchurn%2Fcompare%3Fa%3D3%26b%3D5$/);
  await page.getByLabel("Email").fill(DEMO.viewer.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signin-error")).toBeVisible();
  await expect(page.getByLabel("Email")).toHaveValue(DEMO.viewer.email); // kept after a wrong password
  await page.getByLabel("Password").fill(DEMO.viewer.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/models\/churn\/compare\?a=3&b=5$/);

  // A link that tries to bounce people elsewhere after sign-in lands on the overview instead.
  await page.context().clearCookies();
  await page.goto("/signin?next=%2F%2Fevil.example");
  await page.getByLabel("Email").fill(DEMO.viewer.email);
  await page.getByLabel("Password").fill(DEMO.viewer.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  expect(new URL(page.url()).hostname).toBe("localhost");
});
