import { expect, signInFast, test, trpcMutation } from "./fixtures";

/**
 * The registry's lists: state in the URL (filters, sort, page survive a reload and can be shared), tags,
 * archiving, the metric search and the paged requirement history. Each journey works on its own data
 * (its own tags, versions or model) so the specs do not depend on one another.
 */

test("a filtered, sorted models list survives a reload", async ({ page }) => {
  await signInFast(page, "viewer");
  await page.goto("/models");
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Search models").fill("e");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/[?&]q=e(&|$)/);
  await page.getByTestId("sort-name").click();
  await expect(page).toHaveURL(/sort=name/);
  const names = page.getByRole("table", { name: "Models" }).locator("tbody tr td:first-child");
  await expect(names).toHaveText(["churn", "credit-default", "house-price"]);
  await page.getByTestId("sort-name").click();
  await expect(page).toHaveURL(/dir=desc/);
  await expect(names).toHaveText(["house-price", "credit-default", "churn"]);

  await page.getByLabel("Search models").fill("credit");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(names).toHaveText(["credit-default"]);
  const shared = page.url();
  await page.reload();
  await expect(names).toHaveText(["credit-default"]);
  await expect(page.getByLabel("Search models")).toHaveValue("credit");
  // The same link opened fresh shows the same view.
  await page.goto("/models");
  await page.goto(shared);
  await expect(names).toHaveText(["credit-default"]);
});

test("a data scientist tags a model and a version; the lists filter by tag", async ({ page }) => {
  await signInFast(page, "data_scientist");
  await page.goto("/models/churn");
  const modelTags = page.getByTestId("tag-editor").first();
  // Checked while typing, with the server's rule: no upper case (once hydrated: its button is enabled then).
  await expect(modelTags.getByRole("button", { name: "Add tag" })).toBeEnabled();
  await modelTags.getByLabel("New tag").fill("Retention");
  await expect(modelTags.getByTestId("error-tag")).toContainText("lower-case");
  await modelTags.getByLabel("New tag").fill("retention");
  await modelTags.getByRole("button", { name: "Add tag" }).click();
  await expect(modelTags.getByRole("list", { name: "Tags" })).toContainText("retention");

  await page.goto("/models");
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Tag").selectOption("retention");
  await expect(page).toHaveURL(/tag=retention/);
  const names = page.getByRole("table", { name: "Models" }).locator("tbody tr td:first-child");
  await expect(names).toHaveText(["churn"]);
  await page.reload();
  await expect(names).toHaveText(["churn"]);

  await page.goto("/models/churn/versions/2");
  await page.waitForLoadState("networkidle");
  await page.getByLabel("New tag").fill("feature-pruned");
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("list", { name: "Tags" })).toContainText("feature-pruned");
  await page.goto("/models/churn");
  await page.waitForLoadState("networkidle");
  await page.getByRole("table", { name: "Versions" }).getByTestId("tag-feature-pruned").click();
  await expect(page).toHaveURL(/tag=feature-pruned/);
  const versions = page.getByRole("table", { name: "Versions" }).locator("tbody tr td:first-child");
  await expect(versions).toHaveText(["v2"]);

  // Removing the tag takes the version out of the filtered list.
  await page.goto("/models/churn/versions/2");
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "Remove tag feature-pruned" }).click();
  await expect(page.getByRole("list", { name: "Tags" })).not.toContainText("feature-pruned");
  await page.goto("/models/churn?tag=feature-pruned");
  await expect(page.getByRole("table", { name: "Versions" })).toContainText("No version matches these filters.");
});

test("archiving hides a version; 'show archived' brings it back; the champion cannot be archived", async ({ page }) => {
  await signInFast(page, "data_scientist");
  await page.goto("/models/credit-default/versions/5");
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "Archive version" }).click();
  await expect(page.getByTestId("form-error")).toContainText("champion");

  await page.goto("/models/credit-default/versions/2");
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "Archive version" }).click();
  await expect(page.getByTestId("archived")).toBeVisible();

  await page.goto("/models/credit-default");
  await page.waitForLoadState("networkidle");
  const versions = page.getByRole("table", { name: "Versions" }).locator("tbody tr td:first-child");
  await expect(versions).not.toContainText(["v2"]);
  await expect(versions).toContainText(["v1"]);
  await page.getByLabel("Show archived").check();
  await expect(page).toHaveURL(/archived=include/);
  await expect(page.getByRole("table", { name: "Versions" }).getByRole("row", { name: /^v2 / })).toContainText(
    "archived",
  );
  await page.reload();
  await expect(page.getByLabel("Show archived")).toBeChecked();
  await expect(versions).toContainText(["v2"]);

  await page.goto("/models/credit-default/versions/2");
  await page.waitForLoadState("networkidle");
  await page.getByRole("button", { name: "Unarchive version" }).click();
  await expect(page.getByTestId("archived")).toHaveCount(0);
  await page.goto("/models/credit-default");
  await expect(versions).toContainText(["v2"]);
});

test("versions searched by a metric: 'auc ≥ 0.6 on holdout'", async ({ page }) => {
  await signInFast(page, "viewer");
  await page.goto("/models/credit-default");
  await page.waitForLoadState("networkidle");
  const form = page.getByRole("form", { name: "Search by metric" });
  await form.getByLabel("Metric").fill("auc");
  await form.getByLabel("Value").fill("abc");
  await expect(form).toContainText("enter a number");
  await form.getByLabel("Value").fill("0.6");
  await form.getByLabel("Report kind").selectOption("holdout");
  await form.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/metric=auc/);
  const values = page.getByTestId("metric-value");
  await expect(values.first()).toBeVisible();
  for (const text of await values.allTextContents()) expect(Number(text)).toBeGreaterThanOrEqual(0.6);
  const matched = await values.count();

  // A bound nothing reaches matches nothing; a shared link keeps the search.
  await page.goto(page.url().replace("value=0.6", "value=0.999"));
  await expect(page.getByRole("table", { name: "Versions" })).toContainText("No version matches these filters.");
  await page.goBack();
  await expect(values).toHaveCount(matched);
});

test("the requirement history pages while the diff compares the sets asked for", async ({ page }) => {
  await signInFast(page, "data_scientist");
  expect(
    await trpcMutation(page, "models.create", { name: "e2e-history", task: "binary_classification", owner: "e2e" }),
  ).toBe(200);
  // Twelve tightenings: each takes effect at once, so the history has twelve sets.
  for (let i = 0; i < 12; i++) {
    const status = await trpcMutation(page, "requirements.propose", {
      model: "e2e-history",
      primaryMetric: "auc",
      rationale: `tighten step ${i + 1}`,
      requirements: [{ metric: "auc", direction: "higher", floor: 0.6 + i / 100 }],
    });
    expect(status).toBe(200);
  }
  await page.goto("/models/e2e-history/requirements");
  await page.waitForLoadState("networkidle");
  const sets = page.getByRole("table", { name: "Requirement sets" }).locator("tbody tr");
  await expect(sets).toHaveCount(10);
  await expect(page.getByTestId("page-status")).toHaveText(/1–10 of 12/);
  await expect(page.getByRole("table", { name: "Requirement set diff" })).toContainText("tightened");

  await page.getByRole("navigation", { name: "Requirement set pages" }).getByRole("button", { name: "Next →" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(sets).toHaveCount(2);
  await expect(sets.first()).toContainText("v2");
  await expect(sets.last()).toContainText("v1");
  // The diff still compares the newest set with the one before it, though neither is on this page.
  const diff = page.getByRole("table", { name: "Requirement set diff" });
  await expect(diff).toContainText("v11");
  await expect(diff).toContainText("v12");
  await page.reload();
  await expect(sets).toHaveCount(2);
});

test("datasets filtered by role survive a reload; the version form lists the model's own datasets first", async ({
  page,
}) => {
  await signInFast(page, "data_scientist");
  await page.goto("/datasets");
  await page.waitForLoadState("networkidle");
  await page.getByRole("group", { name: "Filter datasets" }).getByLabel("Role").selectOption("backtest");
  await expect(page).toHaveURL(/role=backtest/);
  const roles = page.getByRole("table", { name: "Datasets" }).locator("tbody tr td:nth-child(3)");
  await expect(roles.first()).toHaveText("backtest");
  await page.reload();
  for (const role of await roles.allTextContents()) expect(role).toBe("backtest");

  await page.goto("/models/churn/versions/new");
  const groups = page.getByLabel("Training dataset").locator("optgroup");
  await expect(groups.first()).toHaveAttribute("label", "Datasets of churn");
  // Its training data and the data it was evaluated on; another model's training data comes after.
  const own = await groups.first().locator("option").allTextContents();
  expect(own.some((o) => o.startsWith("subscriber-activity v"))).toBe(true);
  expect(own.some((o) => o.startsWith("credit-applications"))).toBe(false);
  await expect(groups.nth(1)).toHaveAttribute("label", "Other datasets");
  await expect(groups.nth(1)).toContainText("credit-applications");
});
