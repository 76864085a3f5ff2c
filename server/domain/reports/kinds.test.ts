import { describe, expect, it } from "vitest";
import { reportKindEnum } from "@/db/schema/enums";
import { reportKind } from "./schemas";

describe("report kinds", () => {
  it("the schemas accept exactly the kinds the database enum stores", () => {
    expect(reportKind.options).toEqual(reportKindEnum.enumValues);
  });
});
