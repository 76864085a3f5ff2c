import type { Page } from "@playwright/test";
import { expect, signInFast, test } from "./fixtures";

/** The focused element's role-ish description: tag, accessible text, and whether its focus is visible. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body)
      return { tag: "body", text: "", id: "", testId: "", visible: false, inDialog: false };
    const style = getComputedStyle(el);
    const visible =
      (style.outlineStyle !== "none" && style.outlineWidth !== "0px") ||
      (style.boxShadow !== "none" && style.boxShadow !== "");
    const label = (el as HTMLInputElement).labels?.[0]?.textContent;
    const text = (el.getAttribute("aria-label") || label || el.textContent || el.id).trim();
    return {
      tag: el.tagName.toLowerCase(),
      text,
      id: el.id,
      testId: el.dataset.testid ?? "",
      visible,
      inDialog: !!el.closest('[role="alertdialog"]'),
    };
  });
}

/** Presses Tab (or Shift+Tab) until the focused element matches, failing after `max` presses. */
async function tabTo(page: Page, match: (f: Awaited<ReturnType<typeof focused>>) => boolean, what: string, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    if (match(f)) {
      expect(f.visible, `focus on ${what} is visible`).toBe(true);
      return f;
    }
  }
  throw new Error(`Tab never reached ${what}`);
}

test("the keyboard alone reaches every action on the release decision page, and the dialog traps focus until Escape", async ({
  page,
}) => {
  // This journey makes its own request, so it does not depend on what other journeys decided.
  await signInFast(page, "data_scientist");
  const res = await page.request.post("/api/trpc/releases.request", {
    headers: { "content-type": "application/json" },
    data: {
      json: {
        model: "house-price",
        version: 1,
        strategy: "shadow",
        rationale: "shadow v1 beside the champion for the keyboard journey",
      },
    },
  });
  expect(res.status(), await res.text()).toBe(200);
  const { id } = ((await res.json()) as { result: { data: { json: { id: string } } } }).result.data.json;
  await page.context().clearCookies();

  await signInFast(page, "manager");
  await page.goto(`/releases/${id}`);
  await page.waitForLoadState("networkidle");

  // The gate's numbers open from the keyboard, and a metric's definition shows on focus.
  await tabTo(page, (f) => f.tag === "summary", "the gate's numbers");
  await page.keyboard.press("Enter");
  await expect(page.locator("details[open]").first()).toBeVisible();
  await tabTo(page, (f) => f.testId.startsWith("metric-help-"), "a metric's name");
  await expect(page.getByRole("tooltip")).toContainText(/error|mean|share/i);

  const note = await tabTo(page, (f) => f.id === "note", "the note");
  expect(note.tag).toBe("textarea");
  await page.keyboard.type("Shadow only; let us watch it for a week.");
  await tabTo(page, (f) => f.tag === "input" && f.text.includes("override"), "the override checkbox");
  await tabTo(page, (f) => f.text === "Approve", "Approve");
  await page.keyboard.press("Tab");
  expect((await focused(page)).text).toBe("Reject");
  await page.keyboard.press("Tab");
  expect((await focused(page)).text).toContain("Compare v1 with champion");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Shift+Tab");
  expect((await focused(page)).text).toBe("Approve");

  // The gate fails (v1 is worse than the champion): a plain approval is refused before any dialog.
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("error-override")).toBeVisible();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toHaveCount(0);
  await page.keyboard.press("Shift+Tab");
  expect((await focused(page)).text).toContain("override");
  await page.keyboard.press("Space");
  await tabTo(page, (f) => f.id === "justification", "the justification");
  await page.keyboard.type("Shadow serves nobody; we want its live error before the next retrain.");
  await tabTo(page, (f) => f.text === "Approve", "Approve");

  // Enter opens the confirmation; focus moves into it and stays there.
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("confirm-outcome")).toContainText("v1 becomes the challenger in shadow");
  await expect(dialog).toContainText("overrides a gate that did not pass");
  for (let i = 0; i < 5; i++) {
    expect((await focused(page)).inDialog, "focus stays in the dialog").toBe(true);
    await page.keyboard.press("Tab");
  }
  // Escape cancels: the dialog closes, focus returns to Approve, and nothing was decided.
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  expect((await focused(page)).text).toBe("Approve");
  await page.reload();
  await expect(page.getByTestId("decision")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Approve" })).toBeVisible();

  // Then decide, still by keyboard only.
  await tabTo(page, (f) => f.id === "note", "the note");
  await page.keyboard.type("Shadow only; let us watch it for a week.");
  await tabTo(page, (f) => f.tag === "input" && f.text.includes("override"), "the override checkbox");
  await page.keyboard.press("Space");
  await tabTo(page, (f) => f.id === "justification", "the justification");
  await page.keyboard.type("Shadow serves nobody; we want its live error before the next retrain.");
  await tabTo(page, (f) => f.text === "Approve", "Approve");
  await page.keyboard.press("Enter");
  await expect(dialog).toBeVisible();
  const confirm = await tabTo(page, (f) => f.text === "Approve release", "the confirm button", 5);
  expect(confirm.inDialog).toBe(true);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("decision")).toContainText("approved by manager@ratchet.dev");
  await expect(page.getByTestId("override-banner")).toContainText("we want its live error");
});
