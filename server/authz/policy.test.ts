import { describe, expect, it } from "vitest";
import { can, permissionsOf } from "./policy";

describe("policy", () => {
  it("grants a person the union of their roles' permissions", () => {
    const p = { kind: "user" as const, id: "u", email: "e", name: "n", roles: ["reviewer", "admin"] as const };
    expect(can(p, "keys:manage")).toBe(true);
    expect(can(p, "versions:write")).toBe(false);
  });
  it("denies by default: nobody signed in, no roles, unknown scopes", () => {
    expect(can(null, "registry:read")).toBe(false);
    expect(permissionsOf({ kind: "user", id: "u", email: "e", name: "n", roles: [] }).size).toBe(0);
    expect(
      can({ kind: "apiKey", id: "k", name: "k", scopes: ["nonsense" as never], ownerUserId: "u" }, "registry:read"),
    ).toBe(false);
  });
  it("lets a predictions:write key log predictions and nothing else; no role may", () => {
    const key = {
      kind: "apiKey" as const,
      id: "k",
      name: "k",
      scopes: ["predictions:write"] as const,
      ownerUserId: "u",
    };
    expect([...permissionsOf(key)]).toEqual(["predictions:write"]);
    for (const role of ["viewer", "reviewer", "data_scientist", "manager", "admin"] as const) {
      expect(can({ kind: "user", id: "u", email: "e", name: "n", roles: [role] }, "predictions:write"), role).toBe(
        false,
      );
    }
    const reports = {
      kind: "apiKey" as const,
      id: "k",
      name: "k",
      scopes: ["reports:write", "registry:read", "versions:write"] as const,
      ownerUserId: "u",
    };
    expect(can(reports, "predictions:write")).toBe(false);
  });
  it("lets data scientists, not pipelines or managers, archive versions", () => {
    const person = (role: "data_scientist" | "manager" | "viewer") => ({
      kind: "user" as const,
      id: "u",
      email: "e",
      name: "n",
      roles: [role],
    });
    expect(can(person("data_scientist"), "versions:archive")).toBe(true);
    expect(can(person("manager"), "versions:archive")).toBe(false);
    expect(can(person("viewer"), "versions:archive")).toBe(false);
    const key = {
      kind: "apiKey" as const,
      id: "k",
      name: "k",
      scopes: ["registry:read", "models:write", "versions:write", "datasets:write", "reports:write"] as const,
      ownerUserId: "u",
    };
    expect(can(key, "versions:archive")).toBe(false);
  });
  it("never lets an API key manage users or keys", () => {
    const key = {
      kind: "apiKey" as const,
      id: "k",
      name: "k",
      scopes: ["registry:read", "models:write", "versions:write", "datasets:write"] as const,
      ownerUserId: "u",
    };
    expect(can(key, "users:manage")).toBe(false);
    expect(can(key, "keys:manage")).toBe(false);
  });
});
