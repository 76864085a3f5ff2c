import { expect, LEAD, signInFast, test, trpcMutation } from "./fixtures";

// Serial: each journey builds on the state the one before left. No retry: a retry replays the group from
// the start on state the first attempt already changed, so it could only fail again.
test.describe.configure({ mode: "serial", retries: 0 });

test("a manager reads a failing gate and can approve it only as an override, which stays visible", async ({ page }) => {
  await signInFast(page, "manager");
  await page.goto("/releases");
  const row = page
    .getByRole("table", { name: "Pending release requests" })
    .getByRole("row", { name: /credit-default/ });
  await expect(row).toContainText("fail");
  await row.getByRole("link", { name: "Review" }).click();
  await expect(page.getByTestId("gate-request-status")).toHaveText("fail");
  await expect(page.getByTestId("check-requirements")).toContainText("missed");

  await page.getByLabel("Note").fill("Latency fix is days away");
  await page.getByRole("button", { name: "Approve" }).click();
  // A plain approval of a failing gate is refused before any confirmation is asked (the server refuses it too).
  await expect(page.getByTestId("error-override")).toContainText("override");
  await expect(page.getByRole("alertdialog")).toHaveCount(0);
  expect(
    await trpcMutation(page, "releases.decide", {
      releaseId: page.url().split("/").pop(),
      decision: "approve",
      note: "no override",
    }),
  ).toBe(400);

  await page.getByLabel("Approve as an override of the gate").check();
  await page.getByLabel(/Justification/).fill("Canary at 10 % is safe while the latency fix lands; Risk agreed.");
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("alertdialog")).toContainText(
    "v6 becomes the challenger and serves 10 % of traffic as a canary; v5 stays champion",
  );
  await expect(page.getByRole("alertdialog")).toContainText("overrides a gate that did not pass");
  await page.getByRole("alertdialog").getByRole("button", { name: "Approve release" }).click();
  await expect(page.getByTestId("override-banner")).toContainText("Canary at 10 % is safe");
  await expect(page.getByTestId("decision")).toContainText("approved by manager@ratchet.dev");
  // The justification travels with the release: on the model's timeline and on the version's page.
  await page.goto("/models/credit-default/timeline");
  await expect(page.getByTestId("timeline-override").first()).toContainText("Canary at 10 % is safe");
  await page.goto("/models/credit-default/versions/6");
  await expect(page.getByTestId("version-override")).toContainText("Canary at 10 % is safe");

  const key = await page.request.get("/api/v1/models/credit-default/champion");
  expect(key.status()).toBe(401); // the machine API wants a key, not a browser session
});

test("a data scientist uploads a report and requests a release; a manager reads the gate and approves; the champion changes", async ({
  page,
}) => {
  await signInFast(page, "data_scientist");
  await page.goto("/models/house-price/versions/3/reports");
  // The gate counts RMSE (the primary metric) only when Ratchet computes it from enough outcomes (200+).
  const outcomes = Array.from({ length: 250 }, (_, i) => ({
    id: `h${i}`,
    label: 200_000 + i * 1000,
    prediction: 200_000 + i * 1000 + ((i % 7) - 3) * 5000,
  }));
  const regressionSuite = { kind: "regression", sampleSize: 250, metrics: { latency_p95_ms: 11 }, outcomes };
  await page.getByLabel("Report JSON").fill(JSON.stringify(regressionSuite));
  await page.getByRole("button", { name: "Upload report" }).click();
  await expect(page).toHaveURL(/\/reports\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("metric-rmse")).toContainText("10,");

  await page.goto("/models/house-price/versions/3");
  await page.getByRole("link", { name: "Request release" }).click();
  await expect(page.getByTestId("gate-status")).toHaveText("pass");
  await page.getByLabel("Rationale").fill("Lower RMSE than v2 on the holdout, the now-test and every back-test.");
  await page.getByRole("button", { name: "Request release" }).click();
  await expect(page.getByTestId("rationale")).toHaveText(/Lower RMSE than v2/);
  await expect(page.getByTestId("cannot-decide")).toContainText("Only managers");

  await signInFast(page, "manager");
  await page.goto("/releases");
  await page
    .getByRole("table", { name: "Pending release requests" })
    .getByRole("row", { name: /house-price/ })
    .getByRole("link", { name: "Review" })
    .click();
  await expect(page.getByTestId("gate-request-status")).toHaveText("pass");
  await expect(page.getByTestId("check-champion")).toContainText("At least as good as the champion");
  await page.getByLabel("Note").fill("Better everywhere; approved.");
  await page.getByRole("button", { name: "Approve" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Approve release" }).click();
  await expect(page.getByTestId("decision")).toContainText("approved");
  await page.goto("/models/house-price");
  await expect(page.getByTestId("champion")).toHaveText("v3");
});

test("a manager rolls back with a reason in one step, after confirming what will change; cancelling changes nothing", async ({
  page,
}) => {
  await signInFast(page, "manager");
  await page.goto("/models/house-price/timeline");
  await page.getByLabel("Reason").fill("Valuations in the coastal region jumped after v3; back to v2.");
  await page.getByRole("button", { name: "Roll back" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("v2 becomes the champion of house-price again");
  await expect(dialog).toContainText("v3 steps down");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  await page.reload();
  await expect(page.getByTestId("timeline")).not.toContainText("Rolled back v3 → v2");
  await page.goto("/models/house-price");
  await expect(page.getByTestId("champion")).toHaveText("v3");

  await page.goto("/models/house-price/timeline");
  await page.getByLabel("Reason").fill("Valuations in the coastal region jumped after v3; back to v2.");
  await page.getByRole("button", { name: "Roll back" }).click();
  await page
    .getByRole("alertdialog")
    .getByRole("button", { name: /^Roll back to v/ })
    .click();
  await expect(page.getByRole("status")).toContainText("Rolled back from v3 to v2");
  await page.reload();
  await expect(page.getByTestId("timeline")).toContainText("Rolled back v3 → v2");
  await page.goto("/models/house-price");
  await expect(page.getByTestId("champion")).toHaveText("v2");
});

test("a manager's rollback form offers only former champions, never the unreleased v6, and rolls back and forth between them", async ({
  page,
}) => {
  await signInFast(page, "manager");
  await page.goto("/models/credit-default/timeline");
  const returnTo = page.getByLabel("Return to");
  const offered = async () =>
    returnTo.locator("option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  // Champions so far: v1, v3, v4 and v5 (now). v6 waits as a canary with a failing gate; v2 was never released.
  expect(await offered()).toEqual(["", "4", "3", "1"]);
  await expect(returnTo.locator("option").first()).toHaveText("the previous good champion (v4)");
  expect(
    await trpcMutation(page, "releases.rollback", {
      model: "credit-default",
      toVersion: 6,
      reason: "sneak the candidate in without a gate",
    }),
  ).toBe(400);

  await page.getByLabel("Reason").fill("Approval rates jumped after v5; back to v4 while we look.");
  await page.getByRole("button", { name: "Roll back" }).click();
  await page
    .getByRole("alertdialog")
    .getByRole("button", { name: /^Roll back to v/ })
    .click();
  await expect(page.getByRole("status")).toContainText("Rolled back from v5 to v4");
  await page.reload();
  await expect(page.getByTestId("timeline")).toContainText("Rolled back v5 → v4");
  // v5 is a former champion now (rolled back from, so never the default), and may be returned to.
  expect(await offered()).toEqual(["", "5", "3", "1"]);
  await expect(returnTo.locator("option", { hasText: "v5" })).toHaveText("v5 (was rolled back from)");
  await returnTo.selectOption("5");
  await page.getByLabel("Reason").fill("False alarm: the jump was a marketing campaign; back to v5.");
  await page.getByRole("button", { name: "Roll back" }).click();
  await page
    .getByRole("alertdialog")
    .getByRole("button", { name: /^Roll back to v/ })
    .click();
  await expect(page.getByRole("status")).toContainText("Rolled back from v4 to v5");
  await page.goto("/models/credit-default");
  await expect(page.getByTestId("champion")).toHaveText("v5");
});

test("the requester cannot approve their own request, and a reviewer cannot approve at all", async ({ page }) => {
  await signInFast(page, LEAD);
  await page.goto("/models/churn/versions/1/release");
  await page.getByLabel("Rationale").fill("Simpler model for the audit sample, shadow only.");
  await page.getByLabel("Strategy").selectOption("shadow");
  await page.getByRole("button", { name: "Request release" }).click();
  await expect(page.getByTestId("cannot-decide")).toContainText("four eyes");
  const releaseId = page.url().split("/").pop()!;
  expect(
    await trpcMutation(page, "releases.decide", {
      releaseId,
      decision: "approve",
      note: "my own",
      override: true,
      justification: "I am sure about this one",
    }),
  ).toBe(403);

  await signInFast(page, "reviewer");
  await page.goto(`/releases/${releaseId}`);
  await expect(page.getByTestId("cannot-decide")).toContainText("Only managers");
  expect(
    await trpcMutation(page, "releases.decide", { releaseId, decision: "reject", note: "not mine to decide" }),
  ).toBe(403);
});

test("a loosened requirement waits for a manager other than the proposer", async ({ page }) => {
  await signInFast(page, "data_scientist");
  await page.goto("/models/churn/requirements");
  await expect(page.getByTestId("floor-auc")).toHaveText("0.62");
  await page.getByLabel("floor auc").fill("0.55");
  await page.getByLabel("Rationale").fill("Holiday traffic is noisier; relax for December.");
  await page.getByRole("button", { name: "Propose set" }).click();
  await expect(page.getByTestId("propose-result")).toContainText("waits for a manager");
  await expect(page.getByTestId("pending-loosens")).toContainText("lowers the floor of auc from 0.62 to 0.55");
  await expect(page.getByTestId("awaiting-manager")).toBeVisible();
  await expect(page.getByTestId("floor-auc")).toHaveText("0.62");

  await signInFast(page, "manager");
  await page.goto("/models/churn/requirements");
  await page.getByLabel("Note").fill("Agreed for December only.");
  await page.getByRole("button", { name: "Approve loosening" }).click();
  await expect(page.getByTestId("floor-auc")).toHaveText("0.55");
});
