import { describe, expect, it } from "vitest";
import { mayDecideRelease, mayDecideRequirementSet, type Principal, type ReleaseAuthorship, type Role } from "./policy";

/**
 * The four-eyes matrix: who may decide a release, row by row. The domain refuses with the predicate's
 * reason and the decision page shows the same reason instead of the approve button.
 */
const user = (id: string, roles: Role[]): Principal => ({ kind: "user", id, email: `${id}@x`, name: id, roles });
const key = (owner: string): Principal => ({
  kind: "apiKey",
  id: "k",
  name: "pipeline",
  scopes: ["registry:read"],
  ownerUserId: owner,
});
const operator: Principal = { kind: "operator", name: "ops" };
const by = (userId: string, viaKey: string | null = null) => ({ userId, viaKey });
const release = (over: Partial<ReleaseAuthorship> = {}): ReleaseAuthorship => ({
  requester: by("sana"),
  versionAuthor: by("sana"),
  reportAuthors: [{ ...by("sana"), reportKind: "holdout" }],
  ...over,
});

const rows: [string, Principal | null, ReleaseAuthorship, boolean, RegExp | null][] = [
  ["a manager who made nothing of it", user("mona", ["manager"]), release(), true, null],
  ["nobody signed in", null, release(), false, /Only managers/],
  ["a data scientist (no releases:decide)", user("otto", ["data_scientist"]), release(), false, /Only managers/],
  ["an admin (no releases:decide)", user("ada", ["admin"]), release(), false, /Only managers/],
  [
    "the requester, though a manager",
    user("lena", ["data_scientist", "manager"]),
    release({ requester: by("lena") }),
    false,
    /You requested this release; another manager/,
  ],
  [
    "the requester through a key she owns",
    user("lena", ["manager"]),
    release({ requester: by("lena", "ci") }),
    false,
    /requested this release through your API key "ci"/,
  ],
  [
    "the version's author",
    user("lena", ["manager"]),
    release({ versionAuthor: by("lena") }),
    false,
    /You registered this version/,
  ],
  [
    "the version's author through a key",
    user("lena", ["manager"]),
    release({ versionAuthor: by("lena", "trainer") }),
    false,
    /registered this version through your API key "trainer"/,
  ],
  [
    "an evidence report's author",
    user("lena", ["manager"]),
    release({
      reportAuthors: [
        { ...by("sana"), reportKind: "holdout" },
        { ...by("lena"), reportKind: "nowtest" },
      ],
    }),
    false,
    /uploaded the nowtest report/,
  ],
  [
    "an evidence report's author through a key",
    user("lena", ["manager"]),
    release({ reportAuthors: [{ ...by("lena", "evals"), reportKind: "backtest" }] }),
    false,
    /backtest report this release rests on through your API key "evals"/,
  ],
  ["a key deciding for its owner, who made nothing", key("mona"), release(), false, /Only managers/], // keys have no releases:decide
  ["the console operator (made nothing, holds the database)", operator, release(), true, null],
];

describe("four eyes on a release (mayDecideRelease)", () => {
  it.each(rows)("%s", (_label, principal, who, allowed, reason) => {
    const decision = mayDecideRelease(principal, who);
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) expect(decision.reason).toMatch(reason!);
  });

  it("asks the requester first, then the author, then the reports (the reason names the first)", () => {
    const all = release({
      requester: by("lena"),
      versionAuthor: by("lena"),
      reportAuthors: [{ ...by("lena"), reportKind: "holdout" }],
    });
    expect(mayDecideRelease(user("lena", ["manager"]), all)).toMatchObject({
      reason: expect.stringMatching(/^You requested/),
    });
  });
});

describe("four eyes on a loosening (mayDecideRequirementSet)", () => {
  it.each([
    ["another manager", user("mona", ["manager"]), "sana", true],
    ["the proposer, though a manager", user("lena", ["manager", "data_scientist"]), "lena", false],
    ["a data scientist", user("otto", ["data_scientist"]), "sana", false],
    ["a set proposed by a key or the console (no person)", user("mona", ["manager"]), null, true],
  ] as const)("%s", (_label, principal, proposedBy, allowed) => {
    expect(mayDecideRequirementSet(principal, proposedBy).allowed).toBe(allowed);
  });
});
