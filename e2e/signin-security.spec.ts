import type { Browser, Page } from "@playwright/test";
import { generate } from "otplib";
import { expect, signInFast, test, trpcMutation, waitingForHydration } from "./fixtures";

/**
 * Sign-in security as a person meets it. Every journey uses its own throwaway account (created by the
 * demo admin), so the lockout never touches the demo accounts the other specs sign in with.
 */
async function throwawayUser(browser: Browser, label: string) {
  const admin = waitingForHydration(await browser.newPage());
  await signInFast(admin, "admin");
  const email = `${label}-${Date.now()}@example.com`;
  const password = `first-password-${label}`;
  expect(await trpcMutation(admin, "admin.createUser", { email, password, roles: ["viewer"] })).toBe(200);
  return { email, password, admin };
}

async function submitSignIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("after five wrong passwords even the right one is refused with the throttling message", async ({
  browser,
  page,
}) => {
  const { email, password } = await throwawayUser(browser, "lockout");
  await page.goto("/signin");
  for (let i = 1; i <= 5; i++) {
    await submitSignIn(page, email, `wrong-password-${i}`);
    await expect(page.getByTestId("signin-error")).toHaveText(
      "That email and password do not match an active account.",
    );
    await page.reload();
  }
  await submitSignIn(page, email, password);
  await expect(page.getByTestId("signin-error")).toHaveText(
    /^Too many failed sign-ins for this account\. Try again in 1[45] minutes\.$/,
  );
  await expect(page.getByTestId("signed-in-as")).toHaveCount(0);

  // Scripts posting to the credentials endpoint get a real 429 with Retry-After.
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email, password },
    maxRedirects: 0,
  });
  expect(res.status()).toBe(429);
  expect(Number(res.headers()["retry-after"])).toBeGreaterThan(800);
});

test("changing one's password ends the session; the new password signs in, the old one no longer does", async ({
  browser,
  page,
}) => {
  const { email, password } = await throwawayUser(browser, "change");
  await page.goto("/signin");
  await submitSignIn(page, email, password);
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
  // `next start` runs with NODE_ENV=production: the session cookie is Secure (browsers allow it on localhost).
  const session = (await page.context().cookies()).find((c) => c.name.endsWith("authjs.session-token"));
  expect(session).toMatchObject({ name: "__Secure-authjs.session-token", secure: true, httpOnly: true });

  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "Account and security" }).click();
  await page.getByLabel("Current password").fill(password);
  await page.getByLabel("New password").fill("é".repeat(40)); // 80 bytes: bcrypt would cut it
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("error-newPassword")).toContainText("at most 72 bytes");
  await page.getByLabel("New password").fill("my-brand-new-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("password-changed")).toBeVisible();

  await page.goto("/models"); // the old session cookie is refused
  await expect(page).toHaveURL(/\/signin/);
  await submitSignIn(page, email, password);
  await expect(page.getByTestId("signin-error")).toContainText("do not match");
  await page.reload();
  await submitSignIn(page, email, "my-brand-new-password");
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
});

test("an admin's forced reset: the person must choose a new password before anything else", async ({
  browser,
  page,
}) => {
  const { email, password, admin } = await throwawayUser(browser, "reset");
  await admin.goto("/admin/users");
  const row = admin.getByTestId(`user-${email}`);
  await row.getByText("Force password reset").click();
  await row.getByLabel(`temporary password for ${email}`).fill("temporary-password-1");
  await row.getByRole("button", { name: "Reset" }).click();
  await expect(row).toContainText("reset pending");

  await page.goto("/signin");
  await submitSignIn(page, email, password);
  await expect(page.getByTestId("signin-error")).toContainText("do not match");
  await page.reload();
  await submitSignIn(page, email, "temporary-password-1");
  await expect(page.getByTestId("pending-step")).toContainText("An admin reset your password");
  await page.goto("/models");
  await expect(page.getByTestId("pending-step")).toBeVisible();
  await page.getByLabel("Current password").fill("temporary-password-1");
  await page.getByLabel("New password").fill("chosen-by-me-123");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByTestId("password-changed")).toBeVisible();
  await submitSignIn(page, email, "chosen-by-me-123");
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
});

test("enabling two-step sign-in, then signing in with a code from the app", async ({ browser, page }) => {
  const { email, password } = await throwawayUser(browser, "totp");
  await page.goto("/signin");
  await submitSignIn(page, email, password);
  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "Account and security" }).click();
  await page.getByRole("button", { name: "Set up two-step sign-in" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("mfa-secret").textContent())!.trim();
  await page.getByLabel("Code from the app").fill(await generate({ secret }));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("recovery-codes").getByRole("listitem")).toHaveCount(10);
  await page.getByRole("button", { name: "I have saved them, continue" }).click();
  await expect(page.getByTestId("mfa-status")).toContainText("Recovery codes left: 10");

  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await submitSignIn(page, email, password);
  await expect(page.getByLabel("Authentication code")).toBeVisible();
  await page.getByLabel("Authentication code").fill("000000" === (await generate({ secret })) ? "111111" : "000000");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signin-error")).toContainText("That code is not valid");
  await page.getByLabel("Authentication code").fill(await generate({ secret }));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(email);
});

test("before the page's scripts run, the sign-in form cannot be sent by the browser with the password in the URL", async ({
  browser,
}) => {
  // A slow network: the HTML is there, React is not. (Scripts off stands for "not yet".)
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const urls: string[] = [];
  page.on("request", (r) => urls.push(r.url()));
  await page.goto("/signin");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeDisabled();
  await page.getByLabel("Email").fill("viewer@ratchet.dev");
  await page.getByLabel("Password").fill("ratchet-viewer");
  // Enter in a field submits a form natively, unless its default button is disabled.
  await page.getByLabel("Password").press("Enter");
  // Any request the browser made for that Enter was sent before this one.
  await page.goto("/api/health");
  expect(urls.filter((u) => u.includes("ratchet-viewer"))).toEqual([]);
  expect(urls.filter((u) => new URL(u).pathname === "/signin" && new URL(u).search !== "")).toEqual([]);
  await context.close();
});
