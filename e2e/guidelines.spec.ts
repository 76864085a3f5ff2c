import { expect, signInFast, test, trpcMutation } from "./fixtures";

test("a data scientist writes labeling guidelines v1 and v2; a viewer reads v2, the history and what changed", async ({
  page,
}) => {
  await signInFast(page, "data_scientist");
  await page.goto("/models/churn");
  await page.getByRole("link", { name: "Guidelines" }).click();
  await expect(page).toHaveURL(/\/models\/churn\/guidelines$/);
  await expect(page.getByTestId("guidelines-empty")).toBeVisible();

  await page.getByRole("button", { name: "Write guidelines" }).click();
  const v1 = [
    "# Churn labels",
    "A customer **churned** when they cancelled within 30 days of the prediction.",
    "<script>window.guidelinesScriptRan = true</script>",
  ].join("\n\n");
  await page.getByLabel("Guidelines (Markdown)").fill(v1);
  await page.getByRole("button", { name: "Publish guidelines v1" }).click();
  const text = page.getByTestId("guidelines-text");
  await expect(text.getByRole("heading", { name: "Churn labels" })).toBeVisible();
  await expect(text.locator("script")).toHaveCount(0);
  await expect(page.getByTestId("guidelines-meta")).toContainText("Version 1 by scientist@ratchet.dev");

  await page.getByRole("button", { name: "Edit guidelines" }).click();
  await expect(page.getByLabel("Guidelines (Markdown)")).toHaveValue(v1);
  await page.getByLabel("Guidelines (Markdown)").fill(`${v1}\n\n## Downgrades\n\nA downgrade is not churn.`);
  await page.getByLabel("What changed (optional)").fill("Downgrades are not churn");
  await page.getByRole("button", { name: "Publish guidelines v2" }).click();
  await expect(text.getByRole("heading", { name: "Downgrades" })).toBeVisible();
  await expect(page.getByTestId("guidelines-meta")).toContainText("Version 2");
  expect(await page.evaluate(() => Object.hasOwn(window, "guidelinesScriptRan"))).toBe(false);

  // A viewer reads the latest version and the history, and can compare; nothing lets them write.
  await signInFast(page, "viewer");
  await page.goto("/models/churn/guidelines");
  await expect(page.getByTestId("guidelines-text").getByRole("heading", { name: "Downgrades" })).toBeVisible();
  await expect(page.getByRole("button", { name: /guidelines/ })).toHaveCount(0);
  const history = page.getByRole("table", { name: "Guideline versions" });
  await expect(history.getByRole("row")).toHaveCount(3); // header + v2 + v1
  await expect(page.getByTestId("guidelines-version-2")).toContainText("Downgrades are not churn");

  await page.getByTestId("guidelines-version-2").getByRole("link", { name: "changes from v1" }).click();
  const diff = page.getByTestId("guidelines-diff");
  await expect(diff).toContainText("4 lines added, 0 removed");
  await expect(diff.locator('[data-change="added"]').filter({ hasText: "## Downgrades" })).toHaveCount(1);
  await expect(diff.locator('[data-change="removed"]')).toHaveCount(0);

  await page.getByTestId("guidelines-version-1").getByRole("link", { name: "v1" }).click();
  await expect(page.getByTestId("older-version")).toContainText("You are reading version 1");
  await expect(page.getByTestId("guidelines-text").getByRole("heading", { name: "Downgrades" })).toHaveCount(0);

  expect(
    await trpcMutation(page, "guidelines.publish", { model: "churn", markdown: "# defaced", basedOnVersion: 2 }),
  ).toBe(403);
});
