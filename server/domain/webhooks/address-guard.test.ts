import { describe, expect, it } from "vitest";
import { literalIp, publicOnlyLookup, RefusedAddressError, refusedAddressReason } from "./address-guard";
import { refusedUrlReason } from "./network";

describe("webhook address guard", () => {
  it("refuses every address that is not public", () => {
    for (const ip of [
      "127.0.0.1",
      "127.1.2.3",
      "10.0.0.1",
      "172.16.5.4",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "::1",
      "::",
      "fe80::1",
      "fc00::1",
      "fd12:3456::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "::ffff:169.254.169.254",
      "64:ff9b::a00:1",
      "2002:a00:1::1",
    ]) {
      expect(refusedAddressReason(ip), ip).not.toBeNull();
    }
  });
  it("allows public addresses", () => {
    for (const ip of ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111", "::ffff:93.184.216.34"])
      expect(refusedAddressReason(ip), ip).toBeNull();
  });
  it("reads IP hosts as URLs write them, IPv6 in brackets", () => {
    expect(literalIp("[::1]")).toBe("::1");
    expect(literalIp("10.0.0.1")).toBe("10.0.0.1");
    expect(literalIp("hooks.example.com")).toBeNull();
  });
  it("checks the URL: scheme by environment, IP hosts always unless private targets are allowed", () => {
    const prod = { allowPrivate: false, allowHttp: false };
    expect(refusedUrlReason("http://hooks.example.com/x", prod)).toMatch(/http:\/\/ is refused in production/);
    expect(refusedUrlReason("https://hooks.example.com/x", prod)).toBeNull();
    expect(refusedUrlReason("https://169.254.169.254/latest/meta-data", prod)).toMatch(/linkLocal/);
    expect(refusedUrlReason("https://[::1]:8443/x", prod)).toMatch(/loopback/);
    expect(refusedUrlReason("https://u:p@hooks.example.com/x", prod)).toMatch(/credentials/);
    expect(refusedUrlReason("http://127.0.0.1:9/x", { allowPrivate: true, allowHttp: true })).toBeNull();
  });
  it("refuses at lookup time a name that resolves to loopback", async () => {
    const error = await new Promise<unknown>((resolve) => publicOnlyLookup("localhost", {}, (err) => resolve(err)));
    expect(error).toBeInstanceOf(RefusedAddressError);
    expect(String(error)).toMatch(/localhost resolves to .* loopback/);
  });
});
