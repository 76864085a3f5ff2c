import { createKeyThroughForm, expect, signInFast, test, waitingForHydration } from "./fixtures";

const sha = "b".repeat(64);

test("a data scientist registers a version and diffs it against the champion", async ({ page }) => {
  await signInFast(page, "data_scientist");
  await page.goto("/models/credit-default");
  await expect(page.getByTestId("champion")).toHaveText("v5");
  await page.getByRole("link", { name: "Register version" }).click();

  // Bad input first: the field says why, and nothing is registered.
  await page.getByLabel("Artifact URI").fill("s3://models/credit-default/7/model.joblib");
  await page.getByLabel("Artifact sha256").fill("not-a-hash");
  await page
    .getByLabel("Coefficients / config (JSON)")
    .fill('{"intercept": -2.0, "coefficients": {"debt_to_income": 2.1}, "threshold": 0.3}');
  await page.getByRole("button", { name: "Register version" }).click();
  await expect(page.getByTestId("error-artifactSha256")).toContainText("64 lower-case hex");

  await page.getByLabel("Artifact sha256").fill(sha);
  await page.getByLabel("Training dataset").selectOption("credit-applications@6");
  await page.getByRole("button", { name: "Register version" }).click();
  await expect(page).toHaveURL(/\/models\/credit-default\/versions\/7$/);
  await expect(page.getByTestId("sha256")).toHaveText(sha);
  await expect(page.getByTestId("lineage")).toContainText("v6");

  await page.getByLabel(/Compare v7 against/).selectOption("5");
  await page.getByRole("button", { name: "Show diff" }).click();
  const diff = page.getByTestId("diff-config");
  await expect(diff).toContainText("coefficients.debt_to_income");
  await expect(diff).toContainText("threshold");
  await expect(diff.getByRole("row", { name: /coefficients\.inquiries_6m/ })).toContainText("removed");
});

test("a viewer is refused the same registration on the server", async ({ page }) => {
  await signInFast(page, "viewer");
  await page.goto("/models/credit-default");
  await expect(page.getByRole("link", { name: "Register version" })).toHaveCount(0);
  // The server refuses the call itself, not just the missing button.
  const res = await page.request.post("/api/trpc/models.registerVersion", {
    headers: { "content-type": "application/json" },
    data: { json: { model: "credit-default", artifactUri: "s3://x", artifactSha256: sha, config: {} } },
  });
  expect(res.status()).toBe(403);
  await page.goto("/models/credit-default/versions/new");
  await expect(page.getByTestId("forbidden")).toBeVisible();
});

test("an admin creates an API key; a pipeline registers a version with it; it shows in the UI and the audit log", async ({
  page,
  request,
}) => {
  await signInFast(page, "admin");
  const key = await createKeyThroughForm(page, {
    name: "training-pipeline",
    owner: "scientist@ratchet.dev",
    scopes: ["versions:write"],
  });
  expect(key).toMatch(/^rk_/);
  // Shown once, so it can be copied in one click.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "Copy key" }).click();
  await expect(page.getByTestId("copy-button")).toHaveText("Copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

  const res = await request.post("/api/v1/models/churn/versions", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      artifactUri: "s3://models/churn/5/model.joblib",
      artifactSha256: sha,
      config: { kind: "gradient_boosting", trees: 500 },
      parentVersion: 4,
    },
  });
  expect(res.status()).toBe(201);
  const version = (await res.json()) as { version: number };

  const refused = await request.post("/api/v1/datasets", {
    headers: { authorization: `Bearer ${key}` },
    data: { name: "x", role: "test", rowCount: 1, hash: "sha256:12345678", uri: "s3://x" },
  });
  expect(refused.status()).toBe(403);

  await page.reload();
  await expect(page.getByRole("row", { name: /training-pipeline/ })).not.toContainText("never");

  await page.goto(`/audit?entityId=churn@${version.version}`);
  await expect(page.getByRole("table", { name: "Audit entries" })).toContainText("key:training-pipeline");
  await expect(page.getByRole("table", { name: "Audit entries" })).toContainText("version.created");

  await signInFast(page, "viewer");
  await page.goto("/models/churn");
  await expect(page.getByRole("table", { name: "Versions" })).toContainText(
    "key:training-pipeline on behalf of scientist@ratchet.dev",
  );
  // Entries about keys are for admins: a viewer's audit log does not list the key's creation.
  await page.goto("/audit?entityType=api_key");
  await expect(page.getByRole("table", { name: "Audit entries" })).toContainText("No entries match.");
});

test("an admin disables a user and the next request of that user is refused", async ({ page, browser }) => {
  const other = waitingForHydration(await browser.newPage());
  await signInFast(other, "reviewer");
  await other.goto("/models");
  await expect(other.getByTestId("signed-in-as")).toHaveText("reviewer@ratchet.dev");

  await signInFast(page, "admin");
  await page.goto("/admin/users");
  await page.getByTestId("user-reviewer@ratchet.dev").getByRole("button", { name: "Disable" }).click();
  await expect(page.getByTestId("user-reviewer@ratchet.dev")).toContainText("disabled");

  await other.goto("/models");
  await expect(other).toHaveURL(/\/signin/);
  await page.getByTestId("user-reviewer@ratchet.dev").getByRole("button", { name: "Enable" }).click();
  await expect(page.getByTestId("user-reviewer@ratchet.dev")).toContainText("active");
});
