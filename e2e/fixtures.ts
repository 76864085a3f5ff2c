import { expect, test as base, type Page } from "@playwright/test";

export const DEMO = {
  viewer: { email: "viewer@ratchet.dev", password: "ratchet-viewer" },
  reviewer: { email: "reviewer@ratchet.dev", password: "ratchet-reviewer" },
  data_scientist: { email: "scientist@ratchet.dev", password: "ratchet-scientist" },
  manager: { email: "manager@ratchet.dev", password: "ratchet-manager" },
  admin: { email: "admin@ratchet.dev", password: "ratchet-admin" },
} as const;
export type DemoRole = keyof typeof DEMO;

/** Signs in through the real form, as a person would. */
export async function signIn(page: Page, role: DemoRole) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(DEMO[role].email);
  await page.getByLabel("Password").fill(DEMO[role].password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("signed-in-as")).toHaveText(DEMO[role].email);
}

/** Signs in over HTTP (next-auth's credentials callback) to set up a journey quickly; cookies land in the page's context. */
export async function signInFast(page: Page, role: DemoRole) {
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: DEMO[role].email, password: DEMO[role].password, callbackUrl: "/models" },
  });
  expect(res.ok()).toBeTruthy();
}

export const test = base;
export { expect };
