import { describe, expect, it } from "vitest";
import { parseSignatureHeader, signatureHeader, signPayload, verifySignature } from "./signing";

const secret = "whsec_test";
const body = '{"id":1,"type":"version.created"}';
const t = 1_700_000_000;

describe("webhook signing", () => {
  it("is HMAC-SHA256 over `${timestamp}.${body}` in hex (vector from openssl dgst -sha256 -hmac)", () => {
    expect(signPayload(secret, t, body)).toBe("755d423dc8771ab148f1c434aac50b9e61ea60597e04e393bee83c31fc79ee84");
    expect(signatureHeader(secret, t, body)).toBe(
      `t=${t},v1=755d423dc8771ab148f1c434aac50b9e61ea60597e04e393bee83c31fc79ee84`,
    );
  });

  it("verifies its own header and refuses any change to secret, body or timestamp", () => {
    const header = signatureHeader(secret, t, body);
    expect(verifySignature(secret, header, body, { now: t })).toBe(true);
    expect(verifySignature("whsec_other", header, body, { now: t })).toBe(false);
    expect(verifySignature(secret, header, body.replace("1", "2"), { now: t })).toBe(false);
    expect(verifySignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, { now: t })).toBe(false);
  });

  it("refuses stale or future timestamps beyond the tolerance (replays)", () => {
    const header = signatureHeader(secret, t, body);
    expect(verifySignature(secret, header, body, { now: t + 300 })).toBe(true);
    expect(verifySignature(secret, header, body, { now: t + 301 })).toBe(false);
    expect(verifySignature(secret, header, body, { now: t - 301 })).toBe(false);
    expect(verifySignature(secret, header, body, { now: t + 3_600, toleranceSeconds: 7_200 })).toBe(true);
  });

  it("refuses missing and malformed headers, and accepts any one matching v1 (secret rotation)", () => {
    expect(verifySignature(secret, undefined, body)).toBe(false);
    expect(verifySignature(secret, "", body)).toBe(false);
    expect(verifySignature(secret, "v1=abc", body, { now: t })).toBe(false);
    expect(verifySignature(secret, `t=${t},v1=${"z".repeat(64)}`, body, { now: t })).toBe(false);
    expect(parseSignatureHeader("t=12,v1=" + "a".repeat(64))).toEqual({ timestamp: 12, signatures: ["a".repeat(64)] });
    const both = `t=${t},v1=${signPayload("whsec_old", t, body)},v1=${signPayload(secret, t, body)}`;
    expect(verifySignature(secret, both, body, { now: t })).toBe(true);
  });
});
