import { createKeyThroughForm, expect, LEAD, signInFast, test } from "./fixtures";

/**
 * A pipeline drives a release through the API with a key an admin made for a manager: the request lands in
 * the managers' inbox as that manager's, who therefore may not decide it; another manager rejects it on the
 * page, and the pipeline reads the decision back.
 */
test("a pipeline's release request is its key owner's: another manager decides it, and the pipeline reads the decision", async ({
  page,
  request,
}) => {
  await signInFast(page, "admin");
  const key = await createKeyThroughForm(page, {
    name: "release-pipeline",
    owner: "manager@ratchet.dev",
    scopes: ["releases:request"],
  });
  const auth = { authorization: `Bearer ${key}` };

  const gate = await request.get("/api/v1/models/credit-default/versions/2/gate", { headers: auth });
  expect(gate.status()).toBe(200);
  const verdict = (await gate.json()) as { status: string; checks: { id: string; status: string }[] };
  expect(verdict.status).toBe("fail");

  const requested = await request.post("/api/v1/releases", {
    headers: { ...auth, "idempotency-key": `e2e-${Date.now()}` },
    data: { model: "credit-default", version: 2, strategy: "shadow", rationale: "shadow v2 to compare latency" },
  });
  expect(requested.status(), await requested.text()).toBe(201);
  const { id, requestedBy, status } = (await requested.json()) as { id: string; requestedBy: string; status: string };
  expect({ requestedBy, status }).toEqual({ requestedBy: "manager@ratchet.dev", status: "pending" });
  // The key reads, but never decides.
  expect((await request.get("/api/v1/models/credit-default/champion", { headers: auth })).status()).toBe(200);

  await signInFast(page, "manager");
  await page.goto(`/releases/${id}`);
  await expect(page.getByTestId("rationale")).toHaveText(/shadow v2 to compare latency/);
  await expect(page.getByTestId("cannot-decide")).toContainText('through your API key "release-pipeline"');

  await signInFast(page, LEAD);
  await page.goto(`/releases/${id}`);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Note").fill("Latency is measured on the canary already");
  await page.getByRole("button", { name: "Reject" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Reject release" }).click();
  await expect(page.getByTestId("decision")).toContainText("rejected by lead@ratchet.dev");

  const decided = await request.get(`/api/v1/releases/${id}`, { headers: auth });
  expect(await decided.json()).toMatchObject({
    status: "rejected",
    decision: { decision: "reject", by: "lead@ratchet.dev", note: "Latency is measured on the canary already" },
  });
});
