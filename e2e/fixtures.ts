import { expect, test as base, type Page } from "@playwright/test";
import type { Scope } from "../server/authz/policy";

export const DEMO = {
  viewer: { email: "viewer@ratchet.dev", password: "ratchet-viewer" },
  reviewer: { email: "reviewer@ratchet.dev", password: "ratchet-reviewer" },
  data_scientist: { email: "scientist@ratchet.dev", password: "ratchet-scientist" },
  manager: { email: "manager@ratchet.dev", password: "ratchet-manager" },
  admin: { email: "admin@ratchet.dev", password: "ratchet-admin" },
} as const;
export const LEAD = { email: "lead@ratchet.dev", password: "ratchet-lead" } as const;
/** The demo's second reviewer (overlap and parallel labeling need two). */
export const REVIEWER2 = { email: "reviewer2@ratchet.dev", password: "ratchet-reviewer2" } as const;
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
export async function signInFast(page: Page, role: DemoRole | { email: string; password: string }) {
  const who = typeof role === "string" ? DEMO[role] : role;
  const { csrfToken } = (await (await page.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const res = await page.request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: who.email, password: who.password, callbackUrl: "/models" },
  });
  expect(res.ok()).toBeTruthy();
}

/**
 * Waits until the page has hydrated: every Button that needs React marks itself `data-hydrating` until then.
 * Typing into a form before that is lost when the form takes over its fields, and a click does nothing.
 */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.querySelector("[data-hydrating]") === null);
}

/** Makes `page.goto` and `page.reload` return once the new document has hydrated, as a person would wait to see it work. */
export function waitingForHydration(page: Page): Page {
  const goto = page.goto.bind(page);
  const reload = page.reload.bind(page);
  page.goto = async (url, options) => {
    const response = await goto(url, options);
    await hydrated(page);
    return response;
  };
  page.reload = async (options) => {
    const response = await reload(options);
    await hydrated(page);
    return response;
  };
  return page;
}

/** The journeys' `page` waits for hydration after each navigation; a page a journey opens itself uses waitingForHydration. */
export const test = base.extend({
  page: async ({ page }, provide) => {
    await provide(waitingForHydration(page));
  },
});
export { expect };

/**
 * Creates an API key as an admin does, through the form on /admin/keys (the page must be signed in as an
 * admin), and returns the key the page then shows once. The page stays on /admin/keys with the key shown.
 */
export async function createKeyThroughForm(
  page: Page,
  { name, owner, scopes }: { name: string; owner: string; scopes: Scope[] },
): Promise<string> {
  await page.goto("/admin/keys");
  // The form submits through React: its button is enabled once the page has hydrated (values typed before
  // that could be reset by the form when it takes over).
  await expect(page.getByRole("button", { name: "Create key" })).toBeEnabled();
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Owner").selectOption({ label: owner });
  for (const scope of scopes) await page.getByLabel(scope).check();
  await page.getByRole("button", { name: "Create key" }).click();
  return (await page.getByTestId("new-key").textContent())!.trim();
}

/** Calls a tRPC mutation with the page's session, as the browser would; returns the HTTP status. */
export async function trpcMutation(page: Page, path: string, input: unknown): Promise<number> {
  const res = await page.request.post(`/api/trpc/${path}`, {
    headers: { "content-type": "application/json" },
    data: { json: input },
  });
  return res.status();
}
