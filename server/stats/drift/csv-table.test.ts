import { describe, expect, it } from "vitest";
import { CsvInputError } from "../csv";
import { parseCsvTable, parseCsvValue } from "./csv-table";

describe("parseCsvTable", () => {
  it("reads RFC 4180 quoting (commas, newlines, doubled quotes), a BOM and CRLF, by column", () => {
    const t = parseCsvTable(
      '\ufeffid,note,amount\r\n1,"a, b",2.5\r\n2,"line one\nline two",\r\n3,"say ""hi""",-1e3\r\n',
      "--reference r.csv",
    );
    expect(t.names).toEqual(["id", "note", "amount"]);
    expect(t.rows).toBe(3);
    expect(t.columns[1]).toEqual(["a, b", "line one\nline two", 'say "hi"']);
    expect(t.columns[2]).toEqual(Float64Array.from([2.5, Number.NaN, -1000])); // numbers only: typed, NaN = missing
  });

  it("keeps a column typed while it holds numbers and turns it into values at its first text", () => {
    const lines = [
      "n,m",
      ...Array.from(
        { length: 3000 },
        (_, i) => `${i === 5 ? "" : i * 0.5},${i === 2999 ? "0x1f" : i % 7 === 0 ? "nan" : -i}`,
      ),
    ];
    const t = parseCsvTable(lines.join("\n"), "r.csv");
    expect(t.columns[0]).toBeInstanceOf(Float64Array);
    expect(t.columns[0]![5]).toBeNaN();
    expect(t.columns[0]![2999]).toBe(1499.5);
    const m = t.columns[1] as (number | string | null)[];
    expect(Array.isArray(m)).toBe(true);
    expect(m).toHaveLength(3000);
    expect(m[0]).toBeNull(); // missing before the switch (empty or NaN) stays missing, as null
    expect(m[1]).toBe(-1);
    expect(m[2999]).toBe("0x1f");
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
