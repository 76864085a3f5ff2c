import { describe, expect, it } from "vitest";
import { newNonce, securityHeaders } from "./security-headers";

describe("security headers", () => {
  it("allow scripts only with the request's nonce, never eval, in production, with HSTS", () => {
    const h = securityHeaders({ nonce: "abc123==", production: true });
    const scripts = h["content-security-policy"]!.split("; ").find((d) => d.startsWith("script-src"));
    expect(scripts).toBe("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(h["content-security-policy"]).toContain("object-src 'none'");
    expect(h).toMatchObject({
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
    });
    expect(h["strict-transport-security"]).toMatch(/^max-age=\d{7,}/);
  });

  it("leave HSTS out in development (it would stick to localhost) and allow eval for React's dev tools", () => {
    const h = securityHeaders({ nonce: "n", production: false });
    expect(h["strict-transport-security"]).toBeUndefined();
    expect(h["content-security-policy"]).toContain("'unsafe-eval'");
  });

  it("make a fresh, unguessable nonce each time", () => {
    const a = newNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});
