import { generate } from "otplib";
import { describe, expect, it } from "vitest";
import { checkTotp, hashRecoveryCode, newRecoveryCodes } from "./totp";

describe("TOTP verification windows", () => {
  // Fixed secrets and times: the outcome is deterministic (a random pair could share a code by chance).
  const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  const other = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU";
  // The middle of a 30-second step, so "one step either side" is unambiguous.
  const t = 1_800_000_015;
  const codeAt = (epoch: number) => generate({ secret, epoch });

  it("accepts the current code, and the codes of the step just before and just after (clock drift, typing across a rollover)", async () => {
    expect(await checkTotp(secret, await codeAt(t), t)).toBe(true);
    expect(await checkTotp(secret, await codeAt(t - 30), t)).toBe(true);
    expect(await checkTotp(secret, await codeAt(t + 30), t)).toBe(true);
  });

  it("refuses codes two steps away or more", async () => {
    expect(await checkTotp(secret, await codeAt(t - 60), t)).toBe(false);
    expect(await checkTotp(secret, await codeAt(t + 60), t)).toBe(false);
    expect(await checkTotp(secret, await codeAt(t - 3600), t)).toBe(false);
  });

  it("ignores spaces people type, refuses anything that is not six digits, and codes of another secret", async () => {
    const code = await codeAt(t);
    expect(await checkTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, t)).toBe(true);
    expect(await checkTotp(secret, code.slice(0, 5), t)).toBe(false);
    expect(await checkTotp(secret, "abcdef", t)).toBe(false);
    expect(await checkTotp(other, code, t)).toBe(false);
  });
});

describe("recovery codes", () => {
  it("are ten distinct random codes whose hash ignores case, dashes and spaces", () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const c of codes) expect(c).toMatch(/^[0-9a-f]{5}(-[0-9a-f]{5}){3}$/);
    expect(hashRecoveryCode(` ${codes[0]!.toUpperCase().replaceAll("-", " ")} `)).toBe(hashRecoveryCode(codes[0]!));
    expect(hashRecoveryCode(codes[0]!)).not.toBe(hashRecoveryCode(codes[1]!));
  });
});
