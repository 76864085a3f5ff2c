import { startReceiver } from "../server/domain/webhooks/test-receiver";
import { verifySignature } from "../server/domain/webhooks/signing";
import { expect, signInFast, test, waitingForHydration } from "./fixtures";

const sha = "c".repeat(64);

test("an admin registers a webhook; a registered version is delivered signed and shows in the delivery log", async ({
  page,
  browser,
}) => {
  const receiver = await startReceiver();
  try {
    await signInFast(page, "admin");
    await page.goto("/admin/webhooks");

    // Refused first: not an http(s) URL and no event; the form says why and nothing is stored.
    await page.getByLabel("URL").fill("ftp://example.com/hook");
    await page.getByRole("button", { name: "Register endpoint" }).click();
    await expect(page.getByTestId("error-url")).toContainText("http:// or https://");
    await expect(page.getByTestId("error-events")).toContainText("at least one event");

    await page.getByLabel("URL").fill(receiver.url);
    await page.getByLabel("version.created").check();
    await page.getByRole("button", { name: "Register endpoint" }).click();
    const secret = (await page.getByTestId("new-secret").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    const row = page.getByTestId(`endpoint-${receiver.url}`);
    await expect(row).toContainText("version.created");
    await expect(row).toContainText("active");
    await row.getByRole("button", { name: "Pause" }).click();
    await expect(row).toContainText("paused");
    await row.getByRole("button", { name: "Resume" }).click();
    await expect(row).toContainText("active");
    // The secret is shown once: after a reload it is nowhere on the page.
    await page.reload();
    await expect(page.getByTestId("new-secret")).toHaveCount(0);
    expect(await page.content()).not.toContain(secret);

    const scientist = waitingForHydration(await browser.newPage());
    await signInFast(scientist, "data_scientist");
    const res = await scientist.request.post("/api/trpc/models.registerVersion", {
      headers: { "content-type": "application/json" },
      data: {
        json: {
          model: "house-price",
          artifactUri: "s3://models/house-price/next.joblib",
          artifactSha256: sha,
          config: { alpha: 0.5 },
        },
      },
    });
    expect(res.status()).toBe(200);
    const version = ((await res.json()) as { result: { data: { json: { version: number } } } }).result.data.json
      .version;
    await scientist.close();

    // The worker ticks in the background (every 500 ms under Playwright); the log refetches on its own.
    const log = page
      .getByRole("table", { name: "Webhook deliveries" })
      .getByRole("row")
      .filter({ hasText: receiver.url });
    await expect(log.first()).toContainText("delivered", { timeout: 30_000 });
    await expect(log.first()).toContainText("version.created");

    const delivery = receiver.received.find(
      (r) => (JSON.parse(r.body) as { data: { model: string } }).data.model === "house-price",
    );
    expect(delivery).toBeDefined();
    expect(delivery!.headers["ratchet-event"]).toBe("version.created");
    expect(JSON.parse(delivery!.body)).toMatchObject({
      type: "version.created",
      data: { model: "house-price", version },
    });
    expect(verifySignature(secret, delivery!.headers["ratchet-signature"] as string, delivery!.body)).toBe(true);
  } finally {
    await receiver.close();
  }
});

test("a data scientist cannot open the webhooks page or register an endpoint", async ({ page }) => {
  await signInFast(page, "data_scientist");
  await page.goto("/admin/webhooks");
  await expect(page.getByTestId("forbidden")).toBeVisible();
  const res = await page.request.post("/api/trpc/webhooks.create", {
    headers: { "content-type": "application/json" },
    data: { json: { url: "https://attacker.example/hook", events: ["version.created"] } },
  });
  expect(res.status()).toBe(403);
});
