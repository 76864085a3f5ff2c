import { expect, signInFast, test } from "./fixtures";

/**
 * A data scientist runs a monitoring check now and watches it finish: the windows of the model's last
 * day of traffic are computed by the job worker, not by the request. A viewer sees the progress only.
 */
test("a data scientist runs a monitoring check and watches its progress", async ({ page }) => {
  // A serving system logs a few predictions of credit-default v1 (through an admin's key).
  await signInFast(page, "admin");
  const created = await page.request.post("/api/trpc/admin.createKey", {
    headers: { "content-type": "application/json" },
    data: { json: { name: "serving-e2e", scopes: ["predictions:write"], ownerEmail: "scientist@ratchet.dev" } },
  });
  expect(created.ok()).toBeTruthy();
  const key = ((await created.json()) as { result: { data: { json: { key: string } } } }).result.data.json.key;
  const now = Date.now();
  const posted = await page.request.post("/api/v1/predictions", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      predictions: Array.from({ length: 20 }, (_, i) => ({
        model: "credit-default",
        version: 1,
        id: `e2e-${i}`,
        time: new Date(now - i * 60_000).toISOString(),
        features: { income: 40_000 + i * 1_000, region: i % 2 ? "north" : "south" },
        prediction: i % 2,
        confidence: 0.8,
        latencyMs: 5,
      })),
    },
  });
  expect(posted.status()).toBe(201);

  await signInFast(page, "data_scientist");
  await page.goto("/models/credit-default");
  const status = page.getByTestId("monitoring-check-status");
  // The status is "Loading…" until the page has hydrated and asked for the latest check: a click before
  // that lands on server-rendered HTML and does nothing.
  await expect(status).toHaveText(/^(?!Loading)/);
  await page.getByRole("button", { name: "Run check now" }).click();
  await expect(status).toContainText(/Queued|Running|Done/);
  // The job worker computes the hour, day and week windows of the last day's rows (at least three).
  await expect(status).toContainText(/Done .*: \d+ windows computed\./, { timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Run check now" })).toBeEnabled();
  await expect(page.getByTestId("monitoring-check")).toContainText("Requested by");

  await signInFast(page, "viewer");
  await page.goto("/models/credit-default");
  await expect(page.getByTestId("monitoring-check-status")).toContainText(/Done .*windows computed/);
  await expect(page.getByRole("button", { name: "Run check now" })).toHaveCount(0);
});
