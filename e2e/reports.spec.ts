import { expect, signInFast, test } from "./fixtures";

/** A small binary-classification report with outcomes; deterministic so the page shows the same numbers each run. */
function report(slice: string) {
  const outcomes = Array.from({ length: 240 }, (_, i) => {
    const label = i % 3 === 0 ? 1 : 0;
    const score = Math.round(((label ? 0.45 : 0.1) + ((i * 37) % 100) / 200) * 1000) / 1000;
    return { id: `e2e-${i}`, label, prediction: score >= 0.5 ? 1 : 0, score };
  });
  return {
    kind: "holdout",
    slice,
    sampleSize: outcomes.length,
    metrics: { latency_p95_ms: 28, accuracy: 0.99 },
    outcomes,
  };
}

test("a data scientist uploads a report JSON and sees its metrics with intervals", async ({ page }) => {
  await signInFast(page, "data_scientist");
  await page.goto("/models/credit-default/versions/6");
  await page.getByRole("link", { name: "Reports", exact: true }).click();
  await expect(page).toHaveURL(/\/models\/credit-default\/versions\/6\/reports$/);

  // Refused first: an accuracy above 1 names the field, and nothing is stored.
  await page
    .getByLabel("Report JSON")
    .fill(JSON.stringify({ kind: "holdout", sampleSize: 10, metrics: { accuracy: 1.2 } }));
  await page.getByRole("button", { name: "Upload report" }).click();
  await expect(page.getByTestId("report-errors")).toContainText("metrics.accuracy");
  await expect(page.getByTestId("report-errors")).toContainText("between 0 and 1");

  // Then a real report, chosen as a file.
  const slice = `e2e-${Date.now()}`;
  await page.getByLabel("Report file (JSON)").setInputFiles({
    name: "report.json",
    mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify(report(slice))),
  });
  await expect(page.getByLabel("Report JSON")).toHaveValue(/"outcomes"/);
  await page.getByRole("button", { name: "Upload report" }).click();
  await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}$/);

  const accuracy = page.getByTestId("metric-accuracy");
  await expect(accuracy).toContainText("computed");
  await expect(accuracy).toContainText(/\[0\.\d{3}, 0\.\d{3}\]/); // the 95% interval
  await expect(accuracy).toContainText("disagrees"); // 0.99 was posted
  await expect(page.getByTestId("metric-auc")).toContainText(/\[0\.\d{3}, 0\.\d{3}\]/);
  await expect(page.getByTestId("metric-latency_p95_ms")).toContainText("posted");
  await expect(page.getByRole("table", { name: "Confusion matrix" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Baselines" })).toContainText("zero-rule");

  await page.getByRole("link", { name: "reports", exact: true }).click();
  const row = page.getByRole("table", { name: "Reports" }).getByRole("row", { name: new RegExp(slice) });
  await expect(row).toContainText("holdout");
  await expect(row).toContainText("1 disagree");
});

test("a viewer sees the reports but no upload form, and the server refuses the upload", async ({ page }) => {
  await signInFast(page, "viewer");
  await page.goto("/models/credit-default/versions/6/reports");
  await expect(page.getByRole("table", { name: "Reports" })).toBeVisible();
  await expect(page.getByLabel("Report JSON")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Upload report" })).toHaveCount(0);
  const res = await page.request.post("/api/trpc/reports.upload", {
    headers: { "content-type": "application/json" },
    data: { json: { model: "credit-default", version: 6, kind: "holdout", sampleSize: 1, metrics: { accuracy: 0.9 } } },
  });
  expect(res.status()).toBe(403);
});
