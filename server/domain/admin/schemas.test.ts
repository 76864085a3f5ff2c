import { describe, expect, it } from "vitest";
import "@/server/validation/messages";
import { createKeyInput, createUserInput } from "./schemas";

const user = { name: "A", password: "a long enough password", roles: ["viewer"] };
const address = (lastLabel: number) =>
  `${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(lastLabel)}.io`;
const at254 = address(58);
const at255 = address(59);

describe("email addresses", () => {
  it("are at most 254 characters, wherever one is taken", () => {
    expect(at254).toHaveLength(254);
    expect(createUserInput.safeParse({ ...user, email: at254 }).success).toBe(true);
    const long = createUserInput.safeParse({ ...user, email: at255 });
    expect(long.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["email", "at most 254 characters"]]);
    const key = createKeyInput.safeParse({ name: "k", scopes: ["registry:read"], ownerEmail: at255 });
    expect(key.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["ownerEmail", "at most 254 characters"],
    ]);
  });
  it("are stored lower-case", () => {
    expect(createUserInput.parse({ ...user, email: "Ops@Example.com" }).email).toBe("ops@example.com");
  });
});
