import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, isEncryptedSecret, SecretDecryptionError, secretKeyFrom } from "./crypto";

describe("secrets at rest", () => {
  const key = secretKeyFrom("a".repeat(32));
  it("round-trips and never stores the plain text", () => {
    const stored = encryptSecret("whsec_top-secret", key);
    expect(isEncryptedSecret(stored)).toBe(true);
    expect(stored).not.toContain("top-secret");
    expect(decryptSecret(stored, key)).toBe("whsec_top-secret");
    expect(encryptSecret("whsec_top-secret", key)).not.toBe(stored); // fresh IV each time
  });
  it("refuses another key and tampered text", () => {
    const stored = encryptSecret("x", key);
    expect(() => decryptSecret(stored, secretKeyFrom("b".repeat(32)))).toThrow(SecretDecryptionError);
    const tampered = stored.slice(0, -2) + (stored.endsWith("A") ? "B" : "A") + stored.slice(-1);
    expect(() => decryptSecret(tampered, key)).toThrow(SecretDecryptionError);
    expect(() => decryptSecret("plain", key)).toThrow(SecretDecryptionError);
  });
});
