import { describe, expect, it } from "vitest";
import { CsvInputError } from "../csv";
import { parseCsvTable, parseCsvValue } from "./csv-table";

describe("parseCsvTable", () => {
  it("reads RFC 4180 quoting (commas, newlines, doubled quotes), a BOM and CRLF, by column", () => {
    const t = parseCsvTable('\ufeffid,note,amount\r\n1,"a, b",2.5\r\n2,"line one\nline two",\r\n3,"say ""hi""",-1e3\r\n', "--reference r.csv");
    expect(t.names).toEqual(["id", "note", "amount"]);
    expect(t.rows).toBe(3);
    expect(t.columns[1]).toEqual(["a, b", "line one\nline two", 'say "hi"']);
    expect(t.columns[2]).toEqual([2.5, null, -1000]);
  });

  it("types each field: empty → missing, numbers, NaN, infinities, everything else a string", () => {
    expect(parseCsvValue("  ")).toBeNull();
    expect(parseCsvValue(" 42 ")).toBe(42);
    expect(parseCsvValue(".5e-1")).toBe(0.05);
    expect(parseCsvValue("NaN")).toBeNaN();
    expect(parseCsvValue("-inf")).toBe(Number.NEGATIVE_INFINITY);
    expect(parseCsvValue("Infinity")).toBe(Number.POSITIVE_INFINITY);
    expect(parseCsvValue("0x10")).toBe("0x10");
    expect(parseCsvValue("north")).toBe("north");
  });

  it.each([
    ["", /--current c\.csv: the file is empty/],
    ["a,b\n", /no data rows after the header/],
    ["a,a\n1,2\n", /duplicate column "a"/],
    ["a,\n1,2\n", /a column has no name/],
    ['a,b\n1,"open\n', /line 2: unterminated quoted field/],
    ["a,b\n1,2\n3\n", /row 2 \(line 3\): expected 2 fields as in the header, found 1/],
  ])("refuses %j naming the file and line", (text, message) => {
    expect(() => parseCsvTable(text, "--current c.csv")).toThrow(CsvInputError);
    expect(() => parseCsvTable(text, "--current c.csv")).toThrow(message);
  });
});
