import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, REVIEWER2, signIn, signInFast, test, waitingForHydration } from "./fixtures";

/** The item on screen, once it differs from `previous`. */
async function itemOnScreen(page: Page, previous?: string | null): Promise<string> {
  const item = page.getByTestId("review-item");
  await expect(item).toBeVisible();
  if (previous) await expect(item).not.toHaveAttribute("data-item-id", previous);
  return (await item.getAttribute("data-item-id"))!;
}

test("a reviewer labels ten items with the keyboard only", async ({ page }) => {
  await signIn(page, "reviewer");
  await page.goto("/review?model=churn");
  // Other journeys (live accuracy) may have labeled with this reviewer today: count from where it stands.
  const progress = page.getByTestId("review-progress");
  await expect(progress).toContainText("Labeled today: ");
  const labeledBefore = Number(/Labeled today: (\d+)/.exec((await progress.textContent()) ?? "")![1]);
  // The model's guidelines (or that it has none) sit beside the item.
  await expect(page.getByTestId("guidelines-panel")).toBeVisible();
  const seen: string[] = [];
  let previous: string | null = null;
  for (let i = 0; i < 10; i++) {
    const id = await itemOnScreen(page, previous);
    seen.push(id);
    await expect(page.getByTestId("features")).toBeVisible();
    const key = i % 2 ? "2" : "1";
    await page.keyboard.press(key);
    await expect(page.getByRole("radio", { checked: true })).toContainText(i % 2 ? "churns" : "stays");
    if (i === 3) {
      await page.keyboard.press("f");
      await expect(page.getByRole("button", { name: /Flagged/ })).toHaveAttribute("aria-pressed", "true");
    }
    if (i === 5) {
      // N opens the note; Enter in it submits the label with the note.
      await page.keyboard.press("n");
      await expect(page.getByLabel("Note")).toBeFocused();
      await page.keyboard.type("renewal date unclear");
    }
    await page.keyboard.press("Enter");
    previous = id;
  }
  await itemOnScreen(page, previous);
  expect(new Set(seen).size).toBe(10);
  await expect(progress).toContainText(`Labeled today: ${labeledBefore + 10} `);

  // S skips: the item goes away and does not come back to this reviewer.
  const skipped = await itemOnScreen(page);
  await page.keyboard.press("s");
  const after = await itemOnScreen(page, skipped);
  expect(after).not.toBe(skipped);
  await expect(progress).toContainText(`Labeled today: ${labeledBefore + 10} `);
});

test("two reviewers labeling at the same time never see the same item", async ({ browser }) => {
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  const pages = await Promise.all(contexts.map(async (c) => waitingForHydration(await c.newPage())));
  await signInFast(pages[0]!, "reviewer");
  await signInFast(pages[1]!, REVIEWER2);
  await Promise.all(pages.map((p) => p.goto("/review?model=churn")));
  const seen: Set<string>[] = [new Set(), new Set()];
  const last: (string | null)[] = [null, null];
  for (let round = 0; round < 5; round++) {
    // Both reviewers work at once: read, pick, submit, in parallel.
    await Promise.all(
      pages.map(async (page, who) => {
        const id = await itemOnScreen(page, last[who]);
        seen[who]!.add(id);
        await page.keyboard.press("1");
        await expect(page.getByRole("radio", { checked: true })).toBeVisible();
        await page.keyboard.press("Enter");
        last[who] = id;
      }),
    );
  }
  for (const [who, page] of pages.entries()) seen[who]!.add(await itemOnScreen(page, last[who]));
  expect(seen[0]!.size).toBe(6);
  expect(seen[1]!.size).toBe(6);
  expect([...seen[0]!].filter((id) => seen[1]!.has(id))).toEqual([]);
  await Promise.all(contexts.map((c) => c.close()));
});

test("a reviewer reads the model's guidelines beside each item, hides them, and the label records the version shown", async ({
  page,
}) => {
  await signInFast(page, "reviewer");
  await page.goto("/review?model=credit-default");
  const id = await itemOnScreen(page);
  const panel = page.getByRole("complementary", { name: "Labeling guidelines" });
  // The demo's credit-default guidelines are at version 2 (restructured loans), rendered as Markdown.
  await expect(panel.getByTestId("guidelines-panel-title")).toHaveText("Guidelines v2");
  const text = panel.getByTestId("guidelines-panel-text");
  await expect(text.getByRole("heading", { name: "Labeling credit-default predictions" })).toBeVisible();
  await expect(text.getByRole("heading", { name: "Restructured loans" })).toBeVisible();
  // The page with its side panel passes axe's WCAG 2.1 A/AA rules (nothing serious or critical).
  const { violations } = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  expect(violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  // G (or the button) hides them and shows them again; the choice stays for the next item.
  await page.keyboard.press("g");
  await expect(text).toBeHidden();
  await expect(panel.getByRole("button", { name: /Show/ })).toHaveAttribute("aria-expanded", "false");
  await panel.getByRole("button", { name: /Show/ }).click();
  await expect(text).toBeVisible();
  await panel.getByRole("button", { name: /Hide/ }).blur();
  await page.keyboard.press("1");
  await page.keyboard.press("Enter");
  await itemOnScreen(page, id);
  await expect(panel.getByTestId("guidelines-panel-title")).toHaveText("Guidelines v2");

  // The export (a pipeline's feedback:read key) names the version the label was given under.
  await signInFast(page, "admin");
  const created = await page.request.post("/api/trpc/admin.createKey", {
    headers: { "content-type": "application/json" },
    data: { json: { name: "export-e2e", scopes: ["feedback:read"], ownerEmail: "scientist@ratchet.dev" } },
  });
  expect(created.ok()).toBeTruthy();
  const key = ((await created.json()) as { result: { data: { json: { key: string } } } }).result.data.json.key;
  const res = await page.request.get("/api/v1/models/credit-default/feedback/export?format=jsonl", {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(res.status()).toBe(200);
  const rows = (await res.text())
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as { item_id: string; guideline_version: number | null; reviewer: string });
  const mine = rows.filter((r) => r.item_id === id);
  expect(mine.length).toBeGreaterThan(0);
  expect(mine.at(-1)!.guideline_version).toBe(2);
  expect(mine.at(-1)!.reviewer).toMatch(/^rv_/);
  // Without a key (a session is not enough for /api/v1) it is refused.
  const denied = await page.request.get("/api/v1/models/credit-default/feedback/export?format=csv");
  expect(denied.status()).toBe(401);
});

test("a data scientist settles conflicting labels; a reviewer cannot open adjudication", async ({ page, browser }) => {
  await signIn(page, "data_scientist");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Adjudication" }).click();
  const conflicts = page.getByTestId("conflict");
  await expect(conflicts.first()).toBeVisible();
  const before = await conflicts.count();
  const first = conflicts.first();
  const id = await first.getAttribute("data-item-id");
  // Each label shows the guidelines' version its reviewer was given.
  await expect(first.getByTestId("label-guidelines").first()).toHaveText(/guidelines v\d|no guidelines shown/);
  await first.getByLabel("Note (optional)").fill("Checked the repayment record.");
  await first.getByRole("button", { name: "Resolve as default" }).click();
  await expect(page.locator(`[data-testid="conflict"][data-item-id="${id}"]`)).toHaveCount(0);
  await expect(conflicts).toHaveCount(before - 1);

  const context = await browser.newContext();
  const reviewer = waitingForHydration(await context.newPage());
  await signInFast(reviewer, "reviewer");
  await reviewer.goto("/review/adjudicate");
  await expect(reviewer.getByTestId("forbidden")).toBeVisible();
  await context.close();
});
