import { describe, expect, it } from "vitest";
import { CsvInputError, parseOutcomesCsv } from "./csv";

const ok = "id,label,champion,challenger\na,1,1,0\nb,0,0,0\nc,1,0,1\n";

function errorOf(text: string, metric?: Parameters<typeof parseOutcomesCsv>[1]): CsvInputError {
  try {
    parseOutcomesCsv(text, metric);
  } catch (err) {
    if (err instanceof CsvInputError) return err;
    throw err;
  }
  throw new Error("expected a CsvInputError");
}

describe("parseOutcomesCsv", () => {
  it("parses into typed arrays", () => {
    const r = parseOutcomesCsv(ok, "accuracy");
    expect(r.ids).toEqual(["a", "b", "c"]);
    expect(r.labels).toEqual(Float64Array.from([1, 0, 1]));
    expect(r.champion).toEqual(Float64Array.from([1, 0, 0]));
    expect(r.challenger).toEqual(Float64Array.from([0, 0, 1]));
  });

  it("accepts any column order, CRLF, a BOM, quoted ids, blank lines and a missing final newline", () => {
    const text = '\ufeffchallenger,id,champion,label\r\n0.25,"x,1",0.75,1\r\n\r\n0.5,"say ""hi""",1e-1,0';
    const r = parseOutcomesCsv(text, "auc");
    expect(r.ids).toEqual(["x,1", 'say "hi"']);
    expect(Array.from(r.champion)).toEqual([0.75, 0.1]);
    expect(Array.from(r.challenger)).toEqual([0.25, 0.5]);
    expect(Array.from(r.labels)).toEqual([1, 0]);
  });

  it("names row, line and column for a non-number", () => {
    const rows = Array.from({ length: 11 }, (_, i) => `r${i},1,0.5,0.5`);
    const text = `id,label,champion,challenger\n${rows.join("\n")}\nr11,0,abc,0.1\n`;
    const err = errorOf(text, "auc");
    expect(err.message).toBe('row 12 (line 13), column "champion": "abc" is not a number');
    expect([err.row, err.line, err.column]).toEqual([12, 13, "champion"]);
  });

  it("counts physical lines separately from data rows", () => {
    const err = errorOf("id,label,champion,challenger\n\na,1,1,1\n\nb,0,1,x\n");
    expect(err.message).toBe('row 2 (line 5), column "challenger": "x" is not a number');
  });

  it.each([
    ["id,label,champion\na,1,1\n", /header \(line 1\): missing column "challenger"/],
    ["id,label,champion,challenger,extra\n", /unexpected column "extra"/],
    ["id,label,label,challenger\n", /duplicate column "label"/],
    ["", /empty/],
    ["id,label,champion,challenger\n", /no data rows/],
  ])("rejects bad structure: %j", (text, message) => {
    expect(() => parseOutcomesCsv(text)).toThrow(message);
  });

  it("rejects duplicate and empty ids, wrong field counts, non-finite values", () => {
    expect(errorOf(`${ok}a,0,1,1\n`).message).toBe(
      'row 4 (line 5), column "id": duplicate id "a" (first seen in row 1)',
    );
    expect(errorOf("id,label,champion,challenger\n ,0,1,1\n").message).toMatch(
      /row 1 \(line 2\), column "id": empty id/,
    );
    expect(errorOf("id,label,champion,challenger\na,0,1\n").message).toBe("row 1 (line 2): expected 4 fields, found 3");
    expect(errorOf("id,label,champion,challenger\na,0,1e999,1\n").message).toMatch(
      /column "champion": 1e999 is not a finite number/,
    );
    expect(errorOf("id,label,champion,challenger\na,0,,1\n").message).toMatch(/column "champion": "" is not a number/);
    expect(errorOf("id,label,champion,challenger\na,0,0x10,1\n").message).toMatch(/"0x10" is not a number/);
  });

  it("applies the metric's value rules", () => {
    const labels2 = "id,label,champion,challenger\na,2,1,0\n";
    expect(errorOf(labels2, "auc").message).toBe(
      'row 1 (line 2), column "label": label 2 is not 0 or 1 (metric auc needs binary labels)',
    );
    expect(() => parseOutcomesCsv(labels2, "rmse")).not.toThrow();
    const scores = "id,label,champion,challenger\na,1,0.7,0\nb,0,0.2,1\n";
    expect(errorOf(scores, "accuracy").message).toMatch(/column "champion": prediction 0.7 is not 0 or 1/);
    expect(errorOf(scores, "f1").column).toBe("champion");
    expect(() => parseOutcomesCsv(scores, "auc")).not.toThrow();
  });

  it("needs both classes for auc", () => {
    expect(() => parseOutcomesCsv("id,label,champion,challenger\na,1,0.2,0.3\nb,1,0.4,0.1\n", "auc")).toThrow(
      'column "label": every row has label 1; metric auc needs both classes',
    );
  });

  it("reports an unterminated quote", () => {
    expect(() => parseOutcomesCsv('id,label,champion,challenger\n"a,1,1,1\n')).toThrow(
      /line 2: unterminated quoted field/,
    );
  });
});
