import { describe, expect, it } from "vitest";
import { lineDiff } from "./line-diff";

const render = (oldText: string, newText: string) =>
  lineDiff(oldText, newText).map((c) => (c.kind === "same" ? " " : c.kind === "added" ? "+" : "-") + c.text);

/** Applying the diff must give back both texts exactly: the property every correct diff has. */
function reconstructs(oldText: string, newText: string) {
  const changes = lineDiff(oldText, newText);
  const norm = (t: string) => (t === "" ? [] : t.split("\n"));
  expect(changes.filter((c) => c.kind !== "added").map((c) => c.text)).toEqual(norm(oldText));
  expect(changes.filter((c) => c.kind !== "removed").map((c) => c.text)).toEqual(norm(newText));
}

describe("line diff", () => {
  it("marks an edited line as removed and added, keeping the lines around it", () => {
    expect(
      render("# Rules\nLabel fraud as 1\nWhen unsure, skip", "# Rules\nLabel fraud as yes\nWhen unsure, skip"),
    ).toEqual([" # Rules", "-Label fraud as 1", "+Label fraud as yes", " When unsure, skip"]);
  });

  it("numbers lines in the old and the new text", () => {
    const changes = lineDiff("a\nb\nc", "a\nx\nb\nc");
    expect(changes).toEqual([
      { kind: "same", text: "a", oldLine: 1, newLine: 1 },
      { kind: "added", text: "x", newLine: 2 },
      { kind: "same", text: "b", oldLine: 2, newLine: 3 },
      { kind: "same", text: "c", oldLine: 3, newLine: 4 },
    ]);
  });

  it("keeps the longest common run of lines when lines move", () => {
    const changes = lineDiff("a\nb\nc\nd\ne", "b\nc\nd\na\ne");
    expect(changes.filter((c) => c.kind === "same").map((c) => c.text)).toEqual(["b", "c", "d", "e"]);
  });

  it.each([
    ["", "new\ntext"],
    ["old\ntext", ""],
    ["same\ntext", "same\ntext"],
    ["a\nb\nc\nd", "d\nc\nb\na"],
    ["x\r\ny", "x\ny\nz"],
  ])("reconstructs both texts (%j → %j)", (a, b) => reconstructs(a.replace(/\r\n/g, "\n"), b));
});
