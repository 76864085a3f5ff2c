import { describe, expect, it } from "vitest";
import { can, permissionsOf, SCOPES, type Role } from "./policy";

/** One person with one role. */
const person = (role: Role) => ({ kind: "user" as const, id: "u", email: "e", name: "n", roles: [role] });

/** A pipeline's key with every scope a training and serving pipeline uses. */
const pipelineKey = {
  kind: "apiKey" as const,
  id: "k",
  name: "k",
  scopes: [
    "registry:read",
    "models:write",
    "versions:write",
    "datasets:write",
    "reports:write",
    "predictions:write",
  ] as const,
  ownerUserId: "u",
};

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
  it("shows reviewers by name in label-quality statistics to data scientists only; no key scope grants it", () => {
    expect(can(person("data_scientist"), "feedback:reviewers")).toBe(true);
    for (const role of ["viewer", "reviewer", "manager", "admin"] as const)
      expect(can(person(role), "feedback:reviewers"), role).toBe(false);
    for (const scope of SCOPES)
      expect(
        can({ kind: "apiKey", id: "k", name: "k", scopes: [scope], ownerUserId: "u" }, "feedback:reviewers"),
        scope,
      ).toBe(false);
  });
  it("lets data scientists and reference:write keys set reference data; viewers, reviewers and managers may not", () => {
    const person = (role: "viewer" | "reviewer" | "data_scientist" | "manager" | "admin") => ({
      kind: "user" as const,
      id: "u",
      email: "e",
      name: "n",
      roles: [role],
    });
    expect(can(person("data_scientist"), "reference:write")).toBe(true);
    for (const role of ["viewer", "reviewer", "manager", "admin"] as const)
      expect(can(person(role), "reference:write"), role).toBe(false);
    const key = { kind: "apiKey" as const, id: "k", name: "k", scopes: ["reference:write"] as const, ownerUserId: "u" };
    expect([...permissionsOf(key)]).toEqual(["reference:write"]);
    const pipeline = {
      kind: "apiKey" as const,
      id: "k",
      name: "k",
      scopes: ["registry:read", "versions:write", "reports:write", "predictions:write"] as const,
      ownerUserId: "u",
    };
    expect(can(pipeline, "reference:write")).toBe(false);
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
  it("lets only data scientists publish labeling guidelines; no key scope grants it", () => {
    for (const role of ["viewer", "reviewer", "data_scientist", "manager", "admin"] as const) {
      expect(can({ kind: "user", id: "u", email: "e", name: "n", roles: [role] }, "guidelines:write"), role).toBe(
        role === "data_scientist",
      );
    }
    const key = {
      kind: "apiKey" as const,
      id: "k",
      name: "k",
      scopes: ["registry:read", "models:write", "versions:write", "datasets:write", "reports:write"] as const,
      ownerUserId: "u",
    };
    expect(can(key, "guidelines:write")).toBe(false);
  });
  it("lets data scientists, and no other role or key, run a monitoring check now", () => {
    for (const role of ["viewer", "reviewer", "data_scientist", "manager", "admin"] as const) {
      const person = { kind: "user" as const, id: "u", email: "e", name: "n", roles: [role] };
      expect(can(person, "monitoring:run"), role).toBe(role === "data_scientist");
    }
    const key = {
      kind: "apiKey" as const,
      id: "k",
      name: "k",
      scopes: [...SCOPES],
      ownerUserId: "u",
    };
    expect(can(key, "monitoring:run")).toBe(false);
  });
  it("lets data scientists configure alert rules, data scientists and managers answer alerts, and no key do either", () => {
    expect(can(person("data_scientist"), "alerts:configure")).toBe(true);
    expect(can(person("manager"), "alerts:configure")).toBe(false);
    for (const role of ["data_scientist", "manager"] as const)
      expect(can(person(role), "alerts:manage"), role).toBe(true);
    for (const role of ["viewer", "reviewer", "admin"] as const) {
      expect(can(person(role), "alerts:manage"), role).toBe(false);
      expect(can(person(role), "alerts:configure"), role).toBe(false);
    }
    const key = pipelineKey;
    expect(can(key, "alerts:configure")).toBe(false);
    expect(can(key, "alerts:manage")).toBe(false);
  });
  it("lets reviewers label, and data scientists edit review policies and adjudicate; no key does either", () => {
    expect(can(person("reviewer"), "feedback:label")).toBe(true);
    expect(can(person("reviewer"), "feedback:policy")).toBe(false);
    expect(can(person("reviewer"), "feedback:adjudicate")).toBe(false);
    expect(can(person("data_scientist"), "feedback:policy")).toBe(true);
    expect(can(person("data_scientist"), "feedback:adjudicate")).toBe(true);
    expect(can(person("data_scientist"), "feedback:label")).toBe(false);
    for (const role of ["manager", "viewer", "admin"] as const)
      for (const permission of ["feedback:label", "feedback:policy", "feedback:adjudicate"] as const)
        expect(can(person(role), permission), `${role} ${permission}`).toBe(false);
    const key = pipelineKey;
    expect(can(key, "feedback:label")).toBe(false);
    expect(can(key, "feedback:policy")).toBe(false);
  });
  it("lets data scientists and feedback:read keys export labels; the scope grants nothing else", () => {
    for (const role of ["viewer", "reviewer", "data_scientist", "manager", "admin"] as const)
      expect(can(person(role), "feedback:read"), role).toBe(role === "data_scientist");
    const exporter = {
      kind: "apiKey" as const,
      id: "k",
      name: "k",
      scopes: ["feedback:read"] as const,
      ownerUserId: "u",
    };
    expect([...permissionsOf(exporter)]).toEqual(["feedback:read"]);
    expect(can(pipelineKey, "feedback:read")).toBe(false);
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
  it("lets a key request a release and read its outcome, never decide one", () => {
    const key = {
      kind: "apiKey" as const,
      id: "k",
      name: "k",
      scopes: ["releases:request"] as const,
      ownerUserId: "u",
    };
    expect(can(key, "releases:request")).toBe(true);
    expect(can(key, "registry:read")).toBe(true);
    expect(can(key, "releases:decide")).toBe(false);
    expect(can(key, "versions:write")).toBe(false);
  });
});
