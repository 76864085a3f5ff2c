import { expect, signInFast, test, trpcMutation } from "./fixtures";

/** A small training sample of churn's inputs, with the model's output and the true outcome. */
function sample(rows: number) {
  const plans = ["monthly", "annual", "student"];
  const lines = ["days_since_login,plan,support_tickets_30d,prediction,target"];
  for (let i = 0; i < rows; i++)
    lines.push(`${(i * 7) % 40},${plans[i % 3]},${i % 4},${i % 5 === 0 ? 1 : 0},${i % 6 === 0 ? 1 : 0}`);
  return lines.join("\n") + "\n";
}

test("a data scientist uploads a CSV reference on the version page, sees the proposed features and marks one important", async ({
  page,
}) => {
  await signInFast(page, "data_scientist");
  await page.goto("/models/churn/versions/3");
  const card = page.getByTestId("reference-data");
  // The demo may already hold a reference for v3 (the monitoring page's): whatever it is, a refusal keeps it.
  const before = (await page.getByTestId("reference-summary").textContent()) ?? "";

  // Refused first: a ragged row is named, and nothing is stored.
  await page.getByLabel("Reference sample (CSV or JSON)").setInputFiles({
    name: "broken.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("days_since_login,plan\n3,monthly\n4\n"),
  });
  await page.getByRole("button", { name: "Upload reference" }).click();
  await expect(page.getByTestId("error-reference-file")).toContainText("line 3");
  await expect(page.getByTestId("reference-summary")).toHaveText(before);

  await page.getByLabel("Reference sample (CSV or JSON)").setInputFiles({
    name: "churn-sample.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(sample(120)),
  });
  await page.getByRole("button", { name: "Upload reference" }).click();
  await expect(page.getByTestId("reference-summary")).toContainText("120 rows");
  await expect(page.getByTestId("reference-summary")).toContainText("churn-sample.csv");
  const proposed = card.getByRole("table", { name: "Proposed features" });
  await expect(proposed.getByTestId("proposed-days_since_login")).toContainText("numerical");
  await expect(proposed.getByTestId("proposed-plan")).toContainText("categorical");
  await expect(proposed.getByTestId("proposed-plan")).toContainText("annual, monthly, student");
  await expect(proposed.getByTestId("proposed-support_tickets_30d")).toContainText("not declared");

  await page.getByRole("button", { name: "Declare 3 features as proposed" }).click();
  await expect(page).toHaveURL(/\/models\/churn\/features$/);
  const row = page.getByTestId("feature-days_since_login");
  await expect(row.getByLabel("Kind of days_since_login")).toHaveValue("numerical");
  await row.getByLabel("days_since_login is important").check();
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row).toContainText("important");

  // It stays so, and the version page now finds the declaration as proposed.
  await page.reload();
  await expect(page.getByTestId("feature-days_since_login").getByLabel("days_since_login is important")).toBeChecked();
  await expect(page.getByTestId("feature-plan").getByLabel("plan is important")).not.toBeChecked();
  await page.goto("/models/churn/versions/3");
  await expect(page.getByTestId("proposed-plan")).toContainText("as declared");
});

test("a viewer reads the reference data but has no form, and the server refuses an upload", async ({ page }) => {
  await signInFast(page, "viewer");
  await page.goto("/models/credit-default/versions/5");
  await expect(page.getByTestId("reference-summary")).toContainText("1,000 rows");
  await expect(page.getByTestId("proposed-debt_to_income")).toContainText("as declared");
  await expect(page.getByLabel("Reference sample (CSV or JSON)")).toHaveCount(0);
  const status = await trpcMutation(page, "referenceData.upload", {
    model: "credit-default",
    version: 5,
    format: "csv",
    content: sample(3),
  });
  expect(status).toBe(403);
  await page.goto("/models/credit-default/features");
  await expect(page.getByTestId("feature-debt_to_income")).toContainText("important");
  await expect(page.getByRole("button", { name: "Save" })).toHaveCount(0);
});
