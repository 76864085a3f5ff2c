import { randomUUID } from "node:crypto";
import { expect, signInFast, test } from "./fixtures";

// A typo or a stale link in a URL is the Not-found page with a way back, never a server error.
const unknown = [
  "/models/credit-defualt",
  "/models/credit-defualt/compare",
  "/models/credit-defualt/timeline",
  "/models/credit-defualt/requirements",
  "/models/credit-defualt/monitoring",
  "/models/credit-defualt/alerts",
  "/models/credit-defualt/accuracy",
  "/models/credit-defualt/label-quality",
  "/models/credit-defualt/guidelines",
  "/models/credit-defualt/features",
  "/models/churn/versions/999",
  "/models/churn/monitoring?version=999",
  "/models/churn/versions/999/reports",
  "/models/churn/versions/999/release",
  `/releases/${randomUUID()}`,
  `/reports/${randomUUID()}`,
];

test("every unknown model, version, report or release shows Not found with a way back", async ({ page }) => {
  await signInFast(page, "data_scientist");
  for (const url of unknown) {
    const res = await page.goto(url);
    expect(res?.status(), url).toBe(404);
    await expect(page.getByRole("heading", { name: "Not found" }), url).toBeVisible();
    await expect(page.getByRole("link", { name: "Back to models" }), url).toBeVisible();
  }
});

test("the app has a favicon", async ({ request }) => {
  const res = await request.get("/icon.svg");
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("image/svg+xml");
});
