import { request as playwrightRequest } from "@playwright/test";
import { DEMO, expect, signInFast, test } from "./fixtures";

const PORT = Number(process.env.E2E_PORT ?? 3100);

test("a form says what is wrong while typing, and shows the server's refusal that names no field", async ({ page }) => {
  await signInFast(page, "data_scientist");
  await page.goto("/models/new");
  // Wrong before submitting: the field explains as the person types (the server's own schema, in the browser).
  await page.getByLabel("Name").fill("Churn Model");
  await expect(page.getByTestId("error-name")).toContainText("lower-case letters, digits and dashes");
  await page.getByLabel("Name").fill("churn");
  await expect(page.getByTestId("error-name")).toHaveCount(0);
  // The server refuses what only it can know: the name is taken. Said in full, above the form.
  await page.getByLabel("Owner (team)").fill("retention");
  await page.getByRole("button", { name: "Register model" }).click();
  await expect(page.getByTestId("form-error")).toHaveText('A model named "churn" already exists.');
  await expect(page).toHaveURL(/\/models\/new$/);
});

test("an admin disabling themselves is told why, not asked to correct fields", async ({ page }) => {
  await signInFast(page, "admin");
  await page.goto("/admin/users");
  await page.getByTestId(`user-${DEMO.admin.email}`).getByRole("button", { name: "Disable" }).click();
  await expect(page.getByTestId("form-error")).toContainText("you cannot disable yourself");
  await expect(page.getByTestId("form-error")).not.toContainText("correct the fields");
});

test("an empty floor in the requirement form is an error, not 0; a lower-is-better bound is a ceiling", async ({
  page,
}) => {
  await signInFast(page, "data_scientist");
  await page.goto("/models/credit-default/requirements");
  // Validation while typing is react-hook-form's: typing before the page has hydrated would go unseen.
  // The form's buttons are enabled once it has (a button that needs React is disabled until then).
  await expect(page.getByRole("button", { name: "Propose set" })).toBeEnabled();
  await page.getByLabel("floor auc").fill("");
  await expect(page.getByTestId("requirement-1-errors")).toContainText("floor: required");
  await expect(page.getByLabel("ceiling latency_p95_ms")).toBeVisible();
  await expect(page.getByRole("table", { name: "Active requirements" })).toContainText("at most");
});

test("a data scientist writes the model card; everyone reads it rendered, never its scripts", async ({ page }) => {
  await signInFast(page, "data_scientist");
  await page.goto("/models/house-price");
  await page.getByRole("button", { name: /Write model card|Edit model card/ }).click();
  const card = [
    "# House price",
    "**Intended use:** listing estimates. See [the runbook](https://wiki.example.com/house-price).",
    "<script>window.cardScriptRan = true</script>",
    "[do not click](javascript:window.cardLinkRan=true)",
    "| metric | value |\n|---|---|\n| rmse | 21k |",
  ].join("\n\n");
  await page.getByLabel("Model card (Markdown)").fill(card);
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("card-preview").getByRole("heading", { name: "House price" })).toBeVisible();
  await page.getByRole("button", { name: "Save model card" }).click();

  const rendered = page.getByTestId("model-card");
  await expect(rendered.getByRole("heading", { name: "House price" })).toBeVisible();
  await expect(rendered.getByRole("link", { name: "the runbook" })).toHaveAttribute(
    "href",
    "https://wiki.example.com/house-price",
  );
  await expect(rendered.getByRole("table")).toContainText("rmse");
  await expect(rendered.locator("script")).toHaveCount(0);
  await expect(rendered.locator('a[href^="javascript:"]')).toHaveCount(0);
  await rendered.getByText("do not click").click();
  expect(
    await page.evaluate(() => Object.hasOwn(window, "cardScriptRan") || Object.hasOwn(window, "cardLinkRan")),
  ).toBe(false);

  // A viewer reads the same card and has no way to edit it (the server refuses the call too).
  await signInFast(page, "viewer");
  await page.goto("/models/house-price");
  await expect(page.getByTestId("model-card").getByRole("heading", { name: "House price" })).toBeVisible();
  await expect(page.getByRole("button", { name: /model card/ })).toHaveCount(0);
  const res = await page.request.post("/api/trpc/models.updateCard", {
    headers: { "content-type": "application/json" },
    data: { json: { model: "house-price", card: "defaced" } },
  });
  expect(res.status()).toBe(403);
});

test("sign-in redirects use the host the request came by, through 127.0.0.1 and a made-up Host", async () => {
  for (const [host, origin] of [
    [undefined, `http://127.0.0.1:${PORT}`],
    ["ratchet.example.com", "http://ratchet.example.com"],
  ] as const) {
    const api = await playwrightRequest.newContext({
      baseURL: `http://127.0.0.1:${PORT}`,
      extraHTTPHeaders: host ? { host } : {},
    });
    try {
      const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
      const ok = await api.post("/api/auth/callback/credentials", {
        form: { csrfToken, email: DEMO.viewer.email, password: DEMO.viewer.password, callbackUrl: "/models" },
        maxRedirects: 0,
      });
      expect(ok.status(), host ?? "127.0.0.1").toBe(302);
      expect(ok.headers().location).toBe(`${origin}/models`);
      // A wrong password goes back to the sign-in page on the same host.
      const wrong = await api.post("/api/auth/callback/credentials", {
        form: { csrfToken, email: DEMO.viewer.email, password: "not-the-password", callbackUrl: "/models" },
        maxRedirects: 0,
      });
      expect(wrong.headers().location).toMatch(new RegExp(`^${origin.replaceAll(".", "\\.")}/signin\\?`));
    } finally {
      await api.dispose();
    }
  }
  // Without a trusted proxy, a client's own X-Forwarded-Host is not believed.
  const spoof = await playwrightRequest.newContext({
    baseURL: `http://127.0.0.1:${PORT}`,
    extraHTTPHeaders: { host: "ratchet.example.com", "x-forwarded-host": "evil.example" },
  });
  try {
    const { csrfToken } = (await (await spoof.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const res = await spoof.post("/api/auth/callback/credentials", {
      form: { csrfToken, email: DEMO.viewer.email, password: DEMO.viewer.password, callbackUrl: "/models" },
      maxRedirects: 0,
    });
    expect(res.headers().location).toBe("http://ratchet.example.com/models");
  } finally {
    await spoof.dispose();
  }
});
