import type { APIResponse, Page } from "@playwright/test";
import { expect, signIn, signInFast, test } from "./fixtures";

/** Headers every response must carry, whatever it is. */
function expectSecurityHeaders(res: APIResponse) {
  const h = res.headers();
  const csp = h["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // The e2e server runs a production build.
  expect(h["strict-transport-security"]).toMatch(/max-age=\d+/);
}

test("pages, API routes and static files carry the security headers", async ({ page }) => {
  const signin = await page.request.get("/signin");
  expectSecurityHeaders(signin);
  expectSecurityHeaders(await page.request.get("/api/health"));
  expectSecurityHeaders(await page.request.get("/api/v1/models"));
  const script = /<script[^>]+src="(\/_next\/static\/[^"]+\.js)"/.exec(await signin.text())?.[1];
  expect(script).toBeTruthy();
  const asset = await page.request.get(script!);
  expect(asset.ok()).toBeTruthy();
  expectSecurityHeaders(asset);
  // A fresh nonce for every request.
  const nonce = (r: APIResponse) => /'nonce-([^']+)'/.exec(r.headers()["content-security-policy"] ?? "")?.[1];
  expect(nonce(await page.request.get("/signin"))).not.toBe(nonce(signin));
  // Auth.js's own routes carry them too, and still sign in behind the body limit.
  await signInFast(page, "viewer");
  expectSecurityHeaders(await page.request.get("/api/auth/session"));
  expect(await (await page.request.get("/api/auth/session")).json()).toMatchObject({
    user: { email: "viewer@ratchet.dev" },
  });
});

/** Collects CSP violations the way the browser reports them: the DOM event and the console message. */
async function watchViolations(page: Page) {
  const violations: string[] = [];
  await page.exposeFunction("reportCspViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { reportCspViolation: (t: string) => void }).reportCspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || "inline"} on ${location.pathname}`,
      );
    });
  });
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (execute|load|apply|evaluate)/i.test(m.text()))
      violations.push(`${page.url()}: ${m.text()}`);
  });
  return violations;
}

test("the main pages work under the policy without a single violation", async ({ page }) => {
  test.setTimeout(300_000); // thirteen pages on a shared two-core machine
  const violations = await watchViolations(page);
  await signIn(page, "admin");
  const pages = [
    "/models",
    "/models/credit-default",
    "/models/credit-default/timeline",
    "/models/credit-default/requirements",
    "/models/credit-default/versions/6",
    "/models/credit-default/versions/6/reports",
    "/models/churn/compare",
    "/releases",
    "/datasets",
    "/audit",
    "/admin/users",
    "/admin/keys",
    "/admin/webhooks",
  ];
  for (const path of pages) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    // Hydrated: client components (tRPC forms, recharts) ran their scripts.
    await page.waitForLoadState("networkidle");
  }
  // recharts drew its charts (inline style attributes and SVG) on the timeline and the comparison.
  for (const path of ["/models/credit-default/timeline", "/models/churn/compare"]) {
    await page.goto(path);
    await expect(page.locator("svg.recharts-surface").first()).toBeVisible();
  }
  expect(violations).toEqual([]);
});

test("injected markup cannot run script, and the violation is reported (the policy, and this check, work)", async ({
  page,
}) => {
  const violations = await watchViolations(page);
  await page.goto("/signin");
  // The classic stored-XSS shape: markup with an inline event handler.
  await page.evaluate(() =>
    document.body.insertAdjacentHTML("beforeend", '<img src="/missing.png" onerror="window.injected = true">'),
  );
  await expect.poll(() => violations.some((v) => /script-src/.test(v))).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
});
