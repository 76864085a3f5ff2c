import type { Page } from "@playwright/test";
import { expect, signInFast, test, waitingForHydration } from "./fixtures";

/** Labels and estimate per version row of the Live accuracy table, as shown. */
async function perVersion(page: Page): Promise<Map<string, { labels: number; estimate: string }>> {
  const table = page.getByRole("table", { name: "Live accuracy per version", exact: true });
  await expect(table).toBeVisible();
  const out = new Map<string, { labels: number; estimate: string }>();
  for (const row of await table.locator("tbody tr").all()) {
    const version = (await row.locator("td").first().innerText()).trim();
    const labels = Number(await row.getByTestId("labels").innerText());
    out.set(version, { labels, estimate: (await row.getByTestId("estimate").innerText()).trim() });
  }
  return out;
}

const total = (rows: Map<string, { labels: number }>) => [...rows.values()].reduce((s, r) => s + r.labels, 0);

test("a manager sees live accuracy move after a reviewer labels production predictions", async ({ browser }) => {
  const managerContext = await browser.newContext();
  const manager = waitingForHydration(await managerContext.newPage());
  await signInFast(manager, "manager");
  await manager.goto("/models/churn");
  await manager.getByRole("link", { name: "Live accuracy" }).click();
  await expect(manager).toHaveURL(/\/models\/churn\/accuracy$/);
  await expect(manager.getByRole("heading", { level: 1 })).toHaveText("churn: live accuracy", { timeout: 30_000 });
  await expect(manager.getByTestId("live-accuracy-chart")).toBeVisible();
  const before = await perVersion(manager);
  const labeledBefore = total(before);
  expect(labeledBefore).toBeGreaterThan(0);
  await expect(manager.getByTestId("live-accuracy-summary")).toContainText(`${labeledBefore} labeled items count`);

  // A reviewer, in a browser of their own, labels three churn items with the keyboard.
  const reviewerContext = await browser.newContext();
  const reviewer = waitingForHydration(await reviewerContext.newPage());
  await signInFast(reviewer, "reviewer");
  await reviewer.goto("/review?model=churn");
  let previous: string | null = null;
  for (let i = 0; i < 3; i++) {
    const item = reviewer.getByTestId("review-item");
    await expect(item).toBeVisible();
    if (previous) await expect(item).not.toHaveAttribute("data-item-id", previous);
    previous = await item.getAttribute("data-item-id");
    await reviewer.keyboard.press("2"); // churns
    await expect(reviewer.getByRole("radio", { checked: true })).toContainText("churns");
    await reviewer.keyboard.press("Enter");
  }
  await expect(reviewer.getByTestId("review-item")).not.toHaveAttribute("data-item-id", previous!);

  // The manager reloads: three more labels count, and the estimate of the versions they touched moved.
  await manager.reload();
  await expect(manager.getByTestId("live-accuracy-summary")).toContainText(`${labeledBefore + 3} labeled items count`, {
    timeout: 30_000,
  });
  const after = await perVersion(manager);
  const touched = [...after].filter(([v, r]) => r.labels > (before.get(v)?.labels ?? 0));
  expect(touched.length).toBeGreaterThan(0);
  expect(touched.some(([v, r]) => r.estimate !== before.get(v)?.estimate)).toBe(true);

  // credit-default declares categorical features: slicing by one is a choice on its page.
  await manager.goto("/models/credit-default/accuracy");
  await manager.getByLabel("Slice feature").selectOption("region");
  await manager.getByRole("button", { name: "Show" }).click();
  await expect(manager).toHaveURL(/slice=region/);
  await expect(manager.getByRole("table", { name: "Live accuracy per region" })).toBeVisible({ timeout: 30_000 });
  await Promise.all([managerContext.close(), reviewerContext.close()]);
});
