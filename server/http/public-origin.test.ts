import { describe, expect, it } from "vitest";
import { atPublicOrigin, publicOrigin } from "./public-origin";

const LOCAL = "http://localhost:3000/api/auth/callback/credentials?x=1";
const h = (entries: Record<string, string>) => new Headers(entries);

describe("the origin a request reached Ratchet by", () => {
  it("uses the Host header, over http, instead of the address the server listens on", () => {
    expect(publicOrigin(LOCAL, h({ host: "ratchet.example.com" }), { trustProxy: false })).toBe(
      "http://ratchet.example.com",
    );
    expect(publicOrigin(LOCAL, h({ host: "127.0.0.1:3203" }), { trustProxy: false })).toBe("http://127.0.0.1:3203");
    expect(atPublicOrigin(LOCAL, h({ host: "Ratchet.Example.com:8080" }), { trustProxy: false })).toBe(
      "http://ratchet.example.com:8080/api/auth/callback/credentials?x=1",
    );
  });

  it("ignores X-Forwarded-Host and -Proto unless a proxy is trusted", () => {
    const headers = h({
      host: "ratchet.example.com",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
    });
    expect(publicOrigin(LOCAL, headers, { trustProxy: false })).toBe("http://ratchet.example.com");
  });

  it("behind a trusted proxy, takes the entries the proxy added (the last ones)", () => {
    const headers = h({
      host: "10.0.0.5:3000",
      "x-forwarded-host": "evil.example, ratchet.example.com",
      "x-forwarded-proto": "http, https",
    });
    expect(publicOrigin(LOCAL, headers, { trustProxy: true })).toBe("https://ratchet.example.com");
    expect(publicOrigin(LOCAL, h({ host: "ratchet.example.com" }), { trustProxy: true })).toBe(
      "http://ratchet.example.com",
    );
  });

  it("AUTH_URL wins over every header", () => {
    const headers = h({ host: "ratchet.example.com", "x-forwarded-host": "other.example" });
    expect(publicOrigin(LOCAL, headers, { trustProxy: true, authUrl: "https://ratchet.corp.example/" })).toBe(
      "https://ratchet.corp.example",
    );
  });

  it("falls back to the request's own origin for a Host that is not a host name", () => {
    for (const host of ["evil.example/path", "a b", "x@evil.example", ""]) {
      expect(publicOrigin(LOCAL, h({ host }), { trustProxy: false })).toBe("http://localhost:3000");
    }
  });
});
